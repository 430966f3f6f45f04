"""The survey model: definitions checked with clear messages, every question type's answers,
branching (skip to, end), required answers on the path taken only, stale answers dropped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from common import texts
from common.surveys import (
    END,
    AnswerError,
    Survey,
    SurveyInvalid,
    SurveyRunner,
    answer_problems,
    answers_from_json,
    answers_to_json,
    clean_answers,
    demo_survey,
    normalize_answer,
    parse_survey,
    path,
    survey_problems,
)


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    before = texts.language()
    texts.set_language("zh_CN")
    yield
    texts.set_language(before)


def q(qid: str, qtype: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": qtype, "text": f"问题 {qid}", **extra}


OPTIONS = [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}, {"code": "c", "label": "丙"}]


def survey(*questions: dict[str, Any], name: str = "回访") -> Survey:
    return Survey.model_validate({"uuid": "s1", "name": name, "questions": list(questions)})


def keys(s: Survey) -> list[tuple[str, str]]:
    return [(p.key, p.question_id) for p in survey_problems(s)]


# -- definitions ------------------------------------------------------------------------------
def test_a_good_definition_has_no_problems_and_round_trips_as_json() -> None:
    s = survey(
        q(
            "r",
            "rating",
            required=True,
            branches=[{"when": "between", "low": 1, "high": 2, "goto": "t"}],
        ),
        q("n", "nps", branches=[{"when": "equals", "value": 10, "goto": END}]),
        q("s", "single", options=OPTIONS, branches=[{"when": "equals", "value": "b", "goto": "t"}]),
        q(
            "m",
            "multiple",
            options=OPTIONS,
            branches=[{"when": "contains", "value": "c", "goto": END}],
        ),
        q("y", "yes_no", branches=[{"when": "equals", "value": False, "goto": END}]),
        q("t", "text", branches=[{"when": "contains", "value": "投诉", "goto": END}]),
    )
    assert survey_problems(s) == []
    assert parse_survey(s.model_dump_json()) == s
    assert parse_survey(json.loads(s.model_dump_json())) == s


def test_duplicate_and_missing_ids_and_empty_texts_are_reported() -> None:
    s = survey(q("a", "text"), q("a", "text"), {"id": " ", "type": "text", "text": ""})
    problems = survey_problems(s)
    assert [(p.key, p.field, p.position) for p in problems] == [
        ("duplicate_id", "id", 0),  # at both uses: whichever is looked at says so
        ("duplicate_id", "id", 1),
        ("empty_id", "id", 2),
        ("empty_text", "text", 2),
    ]
    assert problems[0].message == "题目编号“a”重复了"
    assert problems[2].message == "第 3 题缺少编号"


def test_an_empty_survey_and_a_nameless_one_are_rejected() -> None:
    assert keys(survey(name=" ")) == [("empty_name", ""), ("no_questions", "")]
    with pytest.raises(SurveyInvalid) as caught:
        parse_survey({"uuid": "x", "name": "", "questions": []})
    assert "问卷名称不能为空" in str(caught.value)


def test_end_is_not_a_question_id() -> None:
    assert keys(survey(q("end", "text"))) == [("reserved_id", "end")]


def test_choice_questions_need_options_and_others_may_not_have_them() -> None:
    s = survey(
        q("s", "single", options=[{"code": "a", "label": "甲"}]),
        q("m", "multiple", options=[*OPTIONS, {"code": "a", "label": "又一个"}]),
        q("x", "multiple", options=[{"code": "", "label": "甲"}, {"code": "b", "label": "乙"}]),
        q("r", "rating", options=OPTIONS),
    )
    problems = survey_problems(s)
    assert [(p.key, p.question_id, p.index) for p in problems] == [
        ("too_few_options", "s", -1),
        ("duplicate_option", "m", 3),
        ("empty_option", "x", 0),
        ("options_not_allowed", "r", -1),
    ]
    assert problems[0].message == "选择题“s”至少需要 2 个选项"


def test_branches_go_forward_to_existing_questions_only_so_no_loop_is_possible() -> None:
    s = survey(
        q("a", "rating", branches=[{"when": "equals", "value": 1, "goto": "c"}]),
        q("b", "rating", branches=[{"when": "equals", "value": 1, "goto": "a"}]),
        q("c", "rating", branches=[{"when": "equals", "value": 1, "goto": "c"}]),
        q("d", "rating", branches=[{"when": "equals", "value": 1, "goto": "nowhere"}]),
    )
    problems = survey_problems(s)
    assert [(p.key, p.question_id) for p in problems] == [
        ("branch_backward", "b"),
        ("branch_backward", "c"),
        ("branch_missing_target", "d"),
    ]
    assert problems[0].message == "题目“b”只能向后跳转，“a”不在它之后"
    assert problems[2].message == "题目“d”的跳转目标“nowhere”不存在"


def test_branch_values_must_fit_the_question() -> None:
    s = survey(
        q("r", "rating", branches=[{"when": "equals", "value": 6, "goto": END}]),
        q("n", "nps", branches=[{"when": "between", "low": 7, "high": 11, "goto": END}]),
        q("n2", "nps", branches=[{"when": "between", "low": 8, "high": 3, "goto": END}]),
        q("s", "single", options=OPTIONS, branches=[{"when": "equals", "value": "z", "goto": END}]),
        q("y", "yes_no", branches=[{"when": "equals", "value": "是", "goto": END}]),
        q("y2", "yes_no", branches=[{"when": "between", "low": 0, "high": 1, "goto": END}]),
        q("t", "text", branches=[{"when": "contains", "goto": END}]),
    )
    problems = survey_problems(s)
    assert [(p.key, p.question_id) for p in problems] == [
        ("branch_value_range", "r"),
        ("branch_range", "n"),
        ("branch_range", "n2"),
        ("branch_value_option", "s"),
        ("branch_value_type", "y"),
        ("branch_when", "y2"),
        ("branch_value_missing", "t"),
    ]
    assert problems[0].message == "题目“r”的跳转取值 6 超出范围 1–5"
    assert problems[5].message == "题目“y2”（是/否）不能用条件“between”"


def test_messages_come_in_english_too() -> None:
    texts.set_language("en")
    s = survey(q("a", "single", options=[]))
    assert survey_problems(s)[0].message == "Choice question 'a' needs at least 2 options"


def test_a_malformed_definition_is_rejected_with_a_message_not_a_traceback() -> None:
    with pytest.raises(SurveyInvalid) as caught:
        parse_survey(
            '{"uuid": "x", "name": "n", "questions": [{"id": "a", "type": "slider", "text": "t"}]}'
        )
    assert caught.value.problems[0].key == "bad_definition"
    assert caught.value.problems[0].message.startswith("问卷格式不正确：questions.0.type")


# -- answers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "good", "stored", "bad"),
    [
        (q("r", "rating"), 4, 4, [0, 6, True, "4", 4.5]),
        (q("n", "nps"), 0, 0, [-1, 11, False, "10"]),
        (q("n", "nps"), 10, 10, []),
        (q("s", "single", options=OPTIONS), "b", "b", ["z", ["b"], 1]),
        (q("m", "multiple", options=OPTIONS), ["c", "a"], ["a", "c"], [["z"], "a", []]),
        (q("y", "yes_no"), False, False, [0, "否", None]),
        (q("t", "text"), "  楼道灯坏了 ", "楼道灯坏了", [5, "   ", "长" * 2001]),
    ],
)
def test_every_question_type_takes_its_answers_and_refuses_others(
    question: dict[str, Any], good: object, stored: object, bad: list[object]
) -> None:
    model = survey(question).questions[0]
    assert normalize_answer(model, good) == stored
    for value in bad:
        with pytest.raises(AnswerError):
            normalize_answer(model, value)


def test_answer_errors_speak_to_the_agent() -> None:
    model = survey(q("r", "rating")).questions[0]
    with pytest.raises(AnswerError, match="请填写 1–5 之间的整数"):
        normalize_answer(model, 9)
    with pytest.raises(AnswerError, match="回答不能超过 2000 个字"):
        normalize_answer(survey(q("t", "text")).questions[0], "字" * 2001)


BRANCHING = survey(
    q(
        "used",
        "yes_no",
        required=True,
        branches=[{"when": "equals", "value": False, "goto": "overall"}],
    ),
    q("speed", "rating", required=True),
    q(
        "overall",
        "rating",
        required=True,
        branches=[{"when": "between", "low": 3, "high": 5, "goto": "nps"}],
    ),
    q(
        "areas",
        "multiple",
        options=OPTIONS,
        required=True,
        branches=[{"when": "contains", "value": "c", "goto": END}],
    ),
    q("detail", "text"),
    q("nps", "nps", required=True),
    q(
        "contact",
        "single",
        options=OPTIONS,
        required=True,
        branches=[{"when": "equals", "value": "a", "goto": END}],
    ),
    q("note", "text", required=True),
)


def test_the_path_follows_skip_rules_and_falls_through_unanswered_questions() -> None:
    assert path(BRANCHING, {}) == [
        "used",
        "speed",
        "overall",
        "areas",
        "detail",
        "nps",
        "contact",
        "note",
    ]
    assert path(BRANCHING, {"used": False, "overall": 4}) == [
        "used",
        "overall",
        "nps",
        "contact",
        "note",
    ]
    assert path(BRANCHING, {"used": True, "overall": 2, "areas": ["a", "c"]}) == [
        "used",
        "speed",
        "overall",
        "areas",
    ]
    assert path(BRANCHING, {"used": False, "overall": 5, "contact": "a"}) == [
        "used",
        "overall",
        "nps",
        "contact",
    ]


def test_the_runner_walks_next_and_back_on_the_path_taken() -> None:
    run = SurveyRunner(BRANCHING)
    assert run.next_question().id == "used"  # type: ignore[union-attr]
    run.set_answer("used", False)
    assert run.next_question("used").id == "overall"  # type: ignore[union-attr]
    run.set_answer("overall", 3)
    assert run.next_question("overall").id == "nps"  # type: ignore[union-attr]
    assert run.previous_question("nps").id == "overall"  # type: ignore[union-attr]
    assert run.previous_question("overall").id == "used"  # type: ignore[union-attr]
    assert run.previous_question("used") is None
    run.set_answer("nps", 8)
    run.set_answer("contact", "a")
    assert run.next_question("contact") is None  # the rule ends the survey
    assert run.is_last("contact")
    assert run.is_complete()


def test_required_answers_count_only_on_the_path_taken() -> None:
    run = SurveyRunner(BRANCHING)
    assert run.missing_required() == ["used", "speed", "overall", "areas", "nps", "contact", "note"]
    run.set_answer("used", False)
    run.set_answer("overall", 5)
    run.set_answer("nps", 9)
    assert run.missing_required() == ["contact", "note"]  # speed and areas were skipped
    run.set_answer("contact", "b")
    assert not run.is_complete()
    run.set_answer("note", "下午再打")
    assert run.is_complete()
    run.clear_answer("note")
    assert run.missing_required() == ["note"]
    assert run.required_message("note") == "必答题还没回答：问题 note"


def test_changing_an_answer_drops_the_answers_a_branch_now_skips() -> None:
    run = SurveyRunner(BRANCHING)
    run.set_answer("used", True)
    run.set_answer("speed", 2)
    run.set_answer("overall", 1)
    run.set_answer("areas", ["a"])
    run.set_answer("detail", "保洁不到位")
    assert run.set_answer("overall", 4) == ["areas", "detail"]
    assert run.answers == {"used": True, "speed": 2, "overall": 4}
    assert run.set_answer("used", False) == ["speed"]
    assert run.answers == {"used": False, "overall": 4}


def test_an_optional_question_may_stay_empty() -> None:
    run = SurveyRunner(
        BRANCHING,
        {"used": True, "speed": 3, "overall": 2, "areas": ["a"], "nps": 7, "contact": "a"},
    )
    assert "detail" in run.path()
    assert run.is_complete()


def test_a_restored_draft_resumes_at_the_first_unanswered_question() -> None:
    draft = answers_from_json(answers_to_json({"used": False, "overall": 4, "speed": 5}))
    run = SurveyRunner(BRANCHING, draft)
    assert run.answers == {"used": False, "overall": 4}  # speed was off the path: dropped
    assert run.resume_question().id == "nps"  # type: ignore[union-attr]
    done = SurveyRunner(BRANCHING, {"used": False, "overall": 4, "nps": 3, "contact": "a"})
    assert done.resume_question().id == "contact"  # type: ignore[union-attr]


def test_answers_serialize_as_a_json_object_keyed_by_question_id() -> None:
    run = SurveyRunner(BRANCHING, {"used": True, "speed": 4, "overall": 2, "areas": ["c", "a"]})
    assert json.loads(run.to_json()) == {
        "used": True,
        "speed": 4,
        "overall": 2,
        "areas": ["a", "c"],
    }
    assert answers_from_json("") == {}
    with pytest.raises(ValueError):
        answers_from_json("[1, 2]")


def test_clean_answers_drops_unknown_questions_and_values_that_no_longer_fit() -> None:
    cleaned = clean_answers(BRANCHING, {"used": True, "speed": 9, "ghost": 1, "overall": 5})
    assert cleaned == {"used": True, "overall": 5}


def test_answer_problems_report_a_finished_set() -> None:
    problems = answer_problems(BRANCHING, {"used": "maybe", "ghost": 1})
    assert [(p.key, p.question_id) for p in problems] == [
        ("answer_invalid", "used"),
        ("answer_unknown_question", "ghost"),
        ("answer_required", "used"),
        ("answer_required", "speed"),
        ("answer_required", "overall"),
        ("answer_required", "areas"),
        ("answer_required", "nps"),
        ("answer_required", "contact"),
        ("answer_required", "note"),
    ]
    assert problems[0].message == "请选择“是”或“否”"


def test_the_runner_refuses_answers_that_do_not_fit() -> None:
    run = SurveyRunner(BRANCHING)
    with pytest.raises(AnswerError):
        run.set_answer("speed", 0)
    with pytest.raises(AnswerError, match="没有编号为“ghost”的题目"):
        run.set_answer("ghost", 1)
    assert run.answers == {}


def test_the_demo_survey_is_valid_and_branches_as_described() -> None:
    demo = demo_survey()
    assert survey_problems(demo) == []
    assert {q.type for q in demo.questions} == {
        "rating",
        "nps",
        "single",
        "multiple",
        "yes_no",
        "text",
    }
    run = SurveyRunner(demo)
    run.set_answer("repair_used", False)
    run.set_answer("overall", 5)
    run.set_answer("recommend", 10)
    assert run.path() == ["repair_used", "overall", "recommend", "suggestion"]
    assert run.is_complete()
