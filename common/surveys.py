"""Surveys for outbound calls: the definition (questions, options, branching rules), its
validation, and the runner that says which question comes next on the path the answers take.

One model for the server (campaign surveys), the client (the survey form on the worklist) and
the authoring editor (issue 13). Definitions and answers travel as JSON; answers are
`{question_id: value}` with value an int (rating 1–5, NPS 0–10), an option code (single
choice), a list of option codes (multiple choice), a bool (yes/no) or a text.

Branching: each question may carry rules, tried in order once it is answered; the first rule
that matches jumps to a later question (`goto` its id) or ends the survey (`goto` "end").
Jumps only go forward, so a survey can never loop. An unanswered question falls through to the
next one. Required answers are required only on the path actually taken: a skipped question is
not required, and an answer left on a question a changed branch now skips is dropped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from common.resource_files import resources_dir
from common.texts import translate

QuestionType = Literal["rating", "nps", "single", "multiple", "yes_no", "text"]
QUESTION_TYPES: tuple[str, ...] = ("rating", "nps", "single", "multiple", "yes_no", "text")
CHOICE_TYPES = frozenset({"single", "multiple"})
SCALES: dict[str, tuple[int, int]] = {"rating": (1, 5), "nps": (0, 10)}
BranchWhen = Literal["equals", "contains", "between"]
BRANCH_WHENS: tuple[str, ...] = ("equals", "contains", "between")
# Which conditions make sense for which question type.
WHENS_FOR_TYPE: dict[str, tuple[str, ...]] = {
    "rating": ("equals", "between"),
    "nps": ("equals", "between"),
    "single": ("equals",),
    "multiple": ("contains", "equals"),
    "yes_no": ("equals",),
    "text": ("equals", "contains"),
}
END = "end"
TEXT_MAX = 2000
MIN_OPTIONS = 2

Answer: TypeAlias = int | bool | str | list[str]
Answers: TypeAlias = dict[str, Answer]

TEXTS = {
    # definitions
    "empty_name": ("问卷名称不能为空", "The survey needs a name"),
    "no_questions": ("问卷至少要有一个问题", "The survey needs at least one question"),
    "empty_id": ("第 {n} 题缺少编号", "Question {n} has no id"),
    "reserved_id": (
        "题目编号不能是“end”（它表示结束问卷）",
        "A question id cannot be 'end' (it ends the survey)",
    ),
    "duplicate_id": ("题目编号“{id}”重复了", "The question id '{id}' is used twice"),
    "empty_text": ("题目“{id}”没有题干", "Question '{id}' has no text"),
    "too_few_options": (
        "选择题“{id}”至少需要 {min} 个选项",
        "Choice question '{id}' needs at least {min} options",
    ),
    "options_not_allowed": (
        "只有单选题和多选题可以有选项（题目“{id}”）",
        "Only single and multiple choice questions have options (question '{id}')",
    ),
    "empty_option": (
        "题目“{id}”的第 {n} 个选项缺少代码或名称",
        "Option {n} of question '{id}' needs a code and a label",
    ),
    "duplicate_option": (
        "题目“{id}”的选项代码“{code}”重复了",
        "The option code '{code}' is used twice in question '{id}'",
    ),
    "branch_missing_target": (
        "题目“{id}”的跳转目标“{target}”不存在",
        "Question '{id}' jumps to '{target}', which does not exist",
    ),
    "branch_backward": (
        "题目“{id}”只能向后跳转，“{target}”不在它之后",
        "Question '{id}' can only jump forward; '{target}' does not come after it",
    ),
    "branch_when": (
        "题目“{id}”（{type}）不能用条件“{when}”",
        "Question '{id}' ({type}) cannot use the condition '{when}'",
    ),
    "branch_value_missing": (
        "题目“{id}”的跳转条件缺少取值",
        "A branch rule of question '{id}' has no value",
    ),
    "branch_value_range": (
        "题目“{id}”的跳转取值 {value} 超出范围 {low}–{high}",
        "A branch value of question '{id}' ({value}) is outside {low}–{high}",
    ),
    "branch_value_type": (
        "题目“{id}”的跳转取值“{value}”不适合此题型",
        "The branch value '{value}' of question '{id}' does not fit its type",
    ),
    "branch_value_option": (
        "题目“{id}”的跳转取值“{value}”不是它的选项",
        "The branch value '{value}' of question '{id}' is not one of its options",
    ),
    "branch_range": (
        "题目“{id}”的跳转范围要写成“低–高”，且在 {low}–{high} 之内",
        "A range rule of question '{id}' needs low ≤ high within {low}–{high}",
    ),
    "bad_definition": ("问卷格式不正确：{detail}", "The survey is not well formed: {detail}"),
    # answers
    "answer_unknown_question": ("没有编号为“{id}”的题目", "There is no question '{id}'"),
    "answer_integer": (
        "请填写 {low}–{high} 之间的整数",
        "Enter a whole number from {low} to {high}",
    ),
    "answer_option": ("“{value}”不是这道题的选项", "'{value}' is not an option of this question"),
    "answer_bool": ("请选择“是”或“否”", "Choose yes or no"),
    "answer_text": ("请填写文字", "Enter text"),
    "answer_too_long": (
        "回答不能超过 {max} 个字（现在 {n} 个）",
        "The answer may be at most {max} characters (it has {n})",
    ),
    "answer_required": ("必答题还没回答：{text}", "A required question is not answered: {text}"),
}

TYPE_NAMES: dict[str, tuple[str, str]] = {
    "rating": ("评分（1–5）", "Rating (1–5)"),
    "nps": ("推荐度（0–10）", "NPS (0–10)"),
    "single": ("单选", "Single choice"),
    "multiple": ("多选", "Multiple choice"),
    "yes_no": ("是/否", "Yes/no"),
    "text": ("文字", "Text"),
}


def _tr(key: str, **kwargs: object) -> str:
    return translate(TEXTS, key, **kwargs)


def type_name(question_type: str) -> str:
    """The question type's name in the language in use."""
    return translate(TYPE_NAMES, question_type) if question_type in TYPE_NAMES else question_type


# -- the definition ---------------------------------------------------------------------------
class Option(BaseModel):
    """A choice: `code` is stored in the answers, `label` is what the agent reads out."""

    model_config = ConfigDict(extra="forbid")

    code: str
    label: str


class Branch(BaseModel):
    """When the answer `equals` / `contains` `value`, or lies `between` `low` and `high`
    (inclusive), go to question `goto` (or END)."""

    model_config = ConfigDict(extra="forbid")

    when: BranchWhen = "equals"
    value: StrictBool | StrictInt | StrictStr | None = None
    low: int | None = None
    high: int | None = None
    goto: str


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: QuestionType
    text: str
    required: bool = False
    options: list[Option] = []
    branches: list[Branch] = []

    def option_label(self, code: str) -> str:
        for option in self.options:
            if option.code == code:
                return option.label
        return code


class Survey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uuid: str
    name: str
    version: int = 1
    questions: list[Question] = Field(default_factory=list)

    def question(self, question_id: str) -> Question | None:
        for question in self.questions:
            if question.id == question_id:
                return question
        return None

    def index_of(self, question_id: str) -> int:
        for index, question in enumerate(self.questions):
            if question.id == question_id:
                return index
        return -1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition or answers. `question_id` is '' for the survey as a
    whole; `field` names what to highlight ('name', 'id', 'text', 'options', 'branches');
    `index` is the option's or rule's position where that matters, else -1; `position` is
    the question's place in the survey (0-based; -1 for the survey as a whole), which tells two
    questions with the same id apart."""

    key: str
    message: str
    question_id: str = ""
    field: str = ""
    index: int = -1
    position: int = -1


class SurveyInvalid(ValueError):
    """A definition that cannot be used; `problems` say why, in the language in use."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.message for p in problems))
        self.problems = problems


class AnswerError(ValueError):
    """An answer that does not fit its question; the message is for the agent."""


def _problem(
    key: str, question_id: str = "", field: str = "", index: int = -1, **kw: object
) -> Problem:
    return Problem(key, _tr(key, **kw), question_id, field, index)


def survey_problems(survey: Survey) -> list[Problem]:
    """Everything wrong with `survey`, in the order of the questions; [] when it can be used."""
    problems: list[Problem] = []
    if not survey.name.strip():
        problems.append(_problem("empty_name", field="name"))
    if not survey.questions:
        problems.append(_problem("no_questions"))
    counts = Counter(q.id.strip() for q in survey.questions)
    for n, question in enumerate(survey.questions, 1):
        first = len(problems)
        qid = question.id.strip()
        if not qid:
            problems.append(_problem("empty_id", str(n), "id", n=n))
        elif qid == END:
            problems.append(_problem("reserved_id", qid, "id"))
        elif counts[qid] > 1:  # at every use: whichever the editor shows, it says so
            problems.append(_problem("duplicate_id", qid, "id", id=qid))
        label = qid or str(n)
        if not question.text.strip():
            problems.append(_problem("empty_text", question.id, "text", id=label))
        problems.extend(_option_problems(question, label))
        later = {q.id for q in survey.questions[n:]}
        earlier = {q.id for q in survey.questions[: n - 1]} | {question.id}
        for index, branch in enumerate(question.branches):
            problems.extend(_branch_problems(question, label, index, branch, later, earlier))
        problems[first:] = [replace(p, position=n - 1) for p in problems[first:]]
    return problems


def _option_problems(question: Question, label: str) -> list[Problem]:
    problems: list[Problem] = []
    if question.type not in CHOICE_TYPES:
        if question.options:
            problems.append(_problem("options_not_allowed", question.id, "options", id=label))
        return problems
    if len(question.options) < MIN_OPTIONS:
        problems.append(
            _problem("too_few_options", question.id, "options", id=label, min=MIN_OPTIONS)
        )
    codes: set[str] = set()
    for n, option in enumerate(question.options, 1):
        code = option.code.strip()
        if not code or not option.label.strip():
            problems.append(_problem("empty_option", question.id, "options", n - 1, id=label, n=n))
        elif code in codes:
            problems.append(
                _problem("duplicate_option", question.id, "options", n - 1, id=label, code=code)
            )
        codes.add(code)
    return problems


def _branch_problems(
    question: Question,
    label: str,
    index: int,
    branch: Branch,
    later: set[str],
    earlier: set[str],
) -> list[Problem]:
    def problem(key: str, **kw: object) -> Problem:
        return _problem(key, question.id, "branches", index, id=label, **kw)

    problems: list[Problem] = []
    target = branch.goto.strip()
    if target != END and target not in later:
        key = "branch_backward" if target in earlier else "branch_missing_target"
        problems.append(problem(key, target=target))
    if branch.when not in WHENS_FOR_TYPE[question.type]:
        problems.append(problem("branch_when", type=type_name(question.type), when=branch.when))
        return problems
    if branch.when == "between":
        low, high = SCALES[question.type]
        if (
            branch.low is None
            or branch.high is None
            or not low <= branch.low <= branch.high <= high
        ):
            problems.append(problem("branch_range", low=low, high=high))
        return problems
    value = branch.value
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(problem("branch_value_missing"))
        return problems
    if question.type in SCALES:
        low, high = SCALES[question.type]
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(problem("branch_value_type", value=value))
        elif not low <= value <= high:
            problems.append(problem("branch_value_range", value=value, low=low, high=high))
    elif question.type == "yes_no":
        if not isinstance(value, bool):
            problems.append(problem("branch_value_type", value=value))
    elif question.type in CHOICE_TYPES:
        if not isinstance(value, str):
            problems.append(problem("branch_value_type", value=value))
        elif value not in {o.code for o in question.options}:
            problems.append(problem("branch_value_option", value=value))
    elif not isinstance(value, str):
        problems.append(problem("branch_value_type", value=value))
    return problems


def ensure_valid(survey: Survey) -> Survey:
    """`survey` itself, or SurveyInvalid with every problem."""
    problems = survey_problems(survey)
    if problems:
        raise SurveyInvalid(problems)
    return survey


def parse_survey(data: Mapping[str, object] | str | bytes) -> Survey:
    """A checked Survey from its JSON (text or already decoded); SurveyInvalid otherwise."""
    try:
        survey = (
            Survey.model_validate_json(data)
            if isinstance(data, str | bytes)
            else Survey.model_validate(data)
        )
    except ValidationError as exc:
        detail = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SurveyInvalid([_problem("bad_definition", detail=detail)]) from exc
    return ensure_valid(survey)


# -- answers ----------------------------------------------------------------------------------
def is_empty(value: object) -> bool:
    """No answer: None, blank text or an empty selection."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def normalize_answer(question: Question, value: object) -> Answer:
    """The answer in its stored form (multiple choice in option order, text stripped), or
    AnswerError. An empty value is not an answer: callers clear the question instead."""
    qtype = question.type
    if qtype in SCALES:
        low, high = SCALES[qtype]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise AnswerError(_tr("answer_integer", low=low, high=high))
        return value
    if qtype == "yes_no":
        if not isinstance(value, bool):
            raise AnswerError(_tr("answer_bool"))
        return value
    codes = [o.code for o in question.options]
    if qtype == "single":
        if not isinstance(value, str) or value not in codes:
            raise AnswerError(_tr("answer_option", value=value))
        return value
    if qtype == "multiple":
        if not isinstance(value, list | tuple) or not value:
            raise AnswerError(_tr("answer_option", value=value))
        for code in value:
            if code not in codes:
                raise AnswerError(_tr("answer_option", value=code))
        return [code for code in codes if code in value]
    if not isinstance(value, str) or not value.strip():
        raise AnswerError(_tr("answer_text"))
    text = value.strip()
    if len(text) > TEXT_MAX:
        raise AnswerError(_tr("answer_too_long", max=TEXT_MAX, n=len(text)))
    return text


def branch_matches(question: Question, branch: Branch, answer: Answer) -> bool:
    """Whether `answer` (already normalized) meets the rule."""
    if branch.when == "between":
        return (
            isinstance(answer, int)
            and not isinstance(answer, bool)
            and branch.low is not None
            and branch.high is not None
            and branch.low <= answer <= branch.high
        )
    if branch.when == "contains":
        if isinstance(answer, list):
            return branch.value in answer
        return isinstance(answer, str) and isinstance(branch.value, str) and branch.value in answer
    if isinstance(answer, list):
        return answer == [branch.value]
    if isinstance(answer, bool) or isinstance(branch.value, bool):
        return isinstance(answer, bool) and answer is branch.value
    return answer == branch.value


def next_id(survey: Survey, question_id: str, answers: Mapping[str, object]) -> str:
    """Where the survey goes after `question_id` with these answers: an id or END."""
    index = survey.index_of(question_id)
    question = survey.questions[index]
    answer = answers.get(question_id)
    if not is_empty(answer):
        for branch in question.branches:
            if branch_matches(question, branch, answer):  # type: ignore[arg-type]
                return branch.goto
    return survey.questions[index + 1].id if index + 1 < len(survey.questions) else END


def path(survey: Survey, answers: Mapping[str, object]) -> list[str]:
    """The ids of the questions the answers lead through, from the first to the end."""
    taken: list[str] = []
    current = survey.questions[0].id if survey.questions else END
    while current != END and survey.index_of(current) >= 0 and current not in taken:
        taken.append(current)  # `not in taken` guards a definition nobody validated
        current = next_id(survey, current, answers)
    return taken


def clean_answers(survey: Survey, answers: Mapping[str, object]) -> Answers:
    """The answers that count: known questions on the path taken, each normalized. Answers
    that do not fit their question are dropped too (a draft saved by an older survey version)."""
    kept: Answers = {}
    for question in survey.questions:
        value = answers.get(question.id)
        if is_empty(value):
            continue
        try:
            kept[question.id] = normalize_answer(question, value)
        except AnswerError:
            continue
    on_path = set(path(survey, kept))
    return {qid: value for qid, value in kept.items() if qid in on_path}


def missing_required(survey: Survey, answers: Mapping[str, object]) -> list[str]:
    """Required questions on the path taken that have no answer."""
    return [
        qid
        for qid in path(survey, answers)
        if survey.questions[survey.index_of(qid)].required and is_empty(answers.get(qid))
    ]


def answer_problems(survey: Survey, answers: Mapping[str, object]) -> list[Problem]:
    """What is wrong with a finished set of answers: unknown questions, answers that do not fit,
    required questions on the path left unanswered."""
    problems: list[Problem] = []
    for qid, value in answers.items():
        question = survey.question(qid)
        if question is None:
            problems.append(_problem("answer_unknown_question", qid, id=qid))
            continue
        if is_empty(value):
            continue
        try:
            normalize_answer(question, value)
        except AnswerError as exc:
            problems.append(Problem("answer_invalid", str(exc), qid))
    cleaned = clean_answers(survey, answers)
    for qid in missing_required(survey, cleaned):
        text = survey.questions[survey.index_of(qid)].text
        problems.append(_problem("answer_required", qid, text=text))
    return problems


def answers_to_json(answers: Mapping[str, object]) -> str:
    return json.dumps(dict(answers), ensure_ascii=False, sort_keys=True)


def answers_from_json(text: str) -> Answers:
    """Answers from their JSON; blank text is no answers. Values are checked by the runner."""
    if not text or not text.strip():
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("survey answers must be a JSON object")
    return {str(k): v for k, v in data.items()}


class SurveyRunner:
    """One survey being answered: the answers so far (only those on the path taken), the path,
    the question after or before a given one, and whether it is complete."""

    def __init__(self, survey: Survey, answers: Mapping[str, object] | None = None) -> None:
        self.survey = survey
        self._answers: Answers = clean_answers(survey, answers or {})

    @property
    def answers(self) -> Answers:
        return dict(self._answers)

    def answer(self, question_id: str) -> Answer | None:
        return self._answers.get(question_id)

    def set_answer(self, question_id: str, value: object) -> list[str]:
        """Record an answer (an empty value clears it); AnswerError if it does not fit. Returns
        the ids whose answers were dropped because the path no longer passes them."""
        question = self.survey.question(question_id)
        if question is None:
            raise AnswerError(_tr("answer_unknown_question", id=question_id))
        if is_empty(value):
            self._answers.pop(question_id, None)
        else:
            self._answers[question_id] = normalize_answer(question, value)
        on_path = set(path(self.survey, self._answers))
        dropped = [qid for qid in self._answers if qid not in on_path]
        for qid in dropped:
            del self._answers[qid]
        return dropped

    def clear_answer(self, question_id: str) -> list[str]:
        return self.set_answer(question_id, None)

    def path(self) -> list[str]:
        return path(self.survey, self._answers)

    def first(self) -> Question | None:
        return self.survey.questions[0] if self.survey.questions else None

    def next_question(self, after: str | None = None) -> Question | None:
        """The question to show after `after` (the first when None); None when the survey ends."""
        if after is None:
            return self.first()
        target = next_id(self.survey, after, self._answers)
        return None if target == END else self.survey.question(target)

    def previous_question(self, before: str) -> Question | None:
        """The question shown before `before` on the path taken; None for the first."""
        taken = self.path()
        if before not in taken:
            return None
        index = taken.index(before)
        return self.survey.question(taken[index - 1]) if index > 0 else None

    def resume_question(self) -> Question | None:
        """Where to pick up a saved draft: the first question on the path not answered yet, or
        the last one when all are."""
        taken = self.path()
        for qid in taken:
            if qid not in self._answers:
                return self.survey.question(qid)
        return self.survey.question(taken[-1]) if taken else None

    def is_last(self, question_id: str) -> bool:
        return next_id(self.survey, question_id, self._answers) == END

    def missing_required(self) -> list[str]:
        return missing_required(self.survey, self._answers)

    def is_complete(self) -> bool:
        """Every required question on the path taken has an answer."""
        return not self.missing_required()

    def required_message(self, question_id: str) -> str:
        question = self.survey.question(question_id)
        return _tr("answer_required", text=question.text if question else question_id)

    def to_json(self) -> str:
        return answers_to_json(self._answers)


DEMO_SURVEY_FILE = "outbound/demo_survey.json"


def demo_survey() -> Survey:
    """The demo campaign's survey (a 物业 satisfaction follow-up), package data of `common`."""
    return parse_survey((resources_dir() / DEMO_SURVEY_FILE).read_text(encoding="utf-8"))
