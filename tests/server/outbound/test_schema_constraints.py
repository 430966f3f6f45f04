"""What the OpenAPI document says about the campaign routes' inputs, and that the server keeps
to it (the fuzz test's findings, issue 11 #20): a do-not-call number matches the list import's
phone rules (every text the pattern allows is a number common.numbers.list_phone accepts), a
survey reference is a UUID or empty, a day is a real calendar day (2026-02-30 is refused by the
schema), and what only the center's data can decide (an unknown survey) is a 422 in the API's
own validation shape, English / 中文."""

from __future__ import annotations

import re
import uuid as uuidlib
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.numbers import list_phone
from common.outbound import LIST_PHONE_PATTERN, UUID_OR_EMPTY
from server.schemas import DncCreate
from tests.server.support import Actor, Actors, Backend


def _schema(server: Backend) -> dict[str, Any]:
    with server.client() as http:
        document: dict[str, Any] = http.get("/openapi.json").json()
    return document


def _component(document: dict[str, Any], name: str) -> dict[str, Any]:
    schemas: dict[str, Any] = document["components"]["schemas"]
    return dict(schemas[name])


def _field_errors(reply: httpx.Response) -> list[dict[str, Any]]:
    assert reply.status_code == 422, reply.text
    errors: list[dict[str, Any]] = reply.json()["detail"]
    assert isinstance(errors, list) and errors
    return errors


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.from_regex(re.compile(LIST_PHONE_PATTERN), fullmatch=True).filter(lambda t: len(t) <= 64))
def test_every_number_the_dnc_pattern_allows_is_one_the_list_rules_accept(text: str) -> None:
    # As the route reads it: the model strips the text, then the pattern (pydantic's own
    # regex engine) and the service (list_phone) judge it. Both must accept.
    body = DncCreate(phone=text)
    assert list_phone(body.phone).ok, (text, list_phone(body.phone))


def test_the_dnc_pattern_takes_the_numbers_people_type() -> None:
    typed = [
        "13800138000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "0086-13800138000",
        "１３８００１３８０００",
        "＋８６ １３８ ００１３ ８０００",
        "010-88886666",
        "0755 8888 6666",
        "010-88886666转12",
        "01088886666 ext 9",
    ]
    pattern = re.compile(LIST_PHONE_PATTERN)
    for text in typed:
        assert pattern.fullmatch(text) and list_phone(text).ok, text
    for text in ("0", "1380013800", "12345678901", "138001380001", "电话", "010-1234"):
        assert not pattern.fullmatch(text) and not list_phone(text).ok, text


def test_the_document_says_the_rules(server: Backend) -> None:
    document = _schema(server)
    dnc = _component(document, "DncCreate")["properties"]["phone"]
    assert dnc["pattern"] == LIST_PHONE_PATTERN
    campaign = _component(document, "CampaignCreate")["properties"]["survey_uuid"]
    assert campaign["pattern"] == UUID_OR_EMPTY
    day = _component(document, "HolidayOverrideWrite")["properties"]["day"]
    assert day["format"] == "date"
    put_survey = document["paths"]["/campaigns/surveys/{survey_uuid}"]["put"]
    (path_param,) = [p for p in put_survey["parameters"] if p["name"] == "survey_uuid"]
    assert path_param["schema"]["minLength"] == 36
    report = document["paths"]["/campaigns/{campaign_id}/report"]["get"]
    (day_param,) = [p for p in report["parameters"] if p["name"] == "day"]
    assert "date" in str(day_param["schema"])


def test_a_day_that_is_not_on_the_calendar_is_refused_by_the_schema(
    server: Backend, actors: Actors
) -> None:
    manager = actors("manager")
    refused = manager.http.put(
        "/campaigns/calendar", json={"overrides": [{"day": "2026-02-30", "kind": "closed"}]}
    )
    [error] = _field_errors(refused)
    assert error["loc"] == ["body", "overrides", 0, "day"]
    for bad in ("20260203", 1_770_076_800, "2026-02-03T00:00:00", "1999-12-31"):
        reply = manager.http.put(
            "/campaigns/calendar", json={"overrides": [{"day": bad, "kind": "closed"}]}
        )
        assert reply.status_code == 422, (bad, reply.text)
    stored = manager.http.put(
        "/campaigns/calendar",
        json={"overrides": [{"day": "2028-02-29", "kind": "workday", "note": "调休"}]},
    )
    assert stored.status_code == 200, stored.text
    assert stored.json()["overrides"] == [{"day": "2028-02-29", "kind": "workday", "note": "调休"}]
    assert manager.http.get("/campaigns/calendar").json() == stored.json()
    campaign = _new_campaign(manager)
    assert (
        manager.http.get(f"/campaigns/{campaign}/report", params={"day": "2026-02-30"}).status_code
        == 422
    )
    day = manager.http.get(f"/campaigns/{campaign}/report", params={"day": "2026-02-28"})
    assert day.status_code == 200 and day.json()["day"] == "2026-02-28", day.text


def test_a_do_not_call_number_outside_the_rules_is_refused_by_the_schema(
    server: Backend, actors: Actors
) -> None:
    manager = actors("supervisor")
    [error] = _field_errors(manager.http.post("/campaigns/dnc", json={"phone": "0"}))
    assert error["loc"] == ["body", "phone"]
    # Said in both languages, with the list import's reason (not the pattern itself).
    assert "not a phone number (invalid_format): 0" in error["msg"]
    assert "不是有效的电话号码（invalid_format）：0" in error["msg"]
    # On a campaign of its own (the shared server's other tests import lists with numbers).
    campaign = _new_campaign(manager)
    added = manager.http.post(
        "/campaigns/dnc",
        json={"phone": " ０１０－８８８８６６６６转１２ ", "campaign_id": campaign},
    )
    assert added.status_code == 201, added.text
    assert added.json()["phone_key"] == "01088886666x12"


def _new_campaign(actor: Actor, **fields: Any) -> int:
    body = {"name": f"活动-{uuidlib.uuid4().hex[:8]}", **fields}
    reply = actor.http.post("/campaigns", json=body)
    assert reply.status_code == 201, reply.text
    return int(reply.json()["id"])


def test_a_survey_reference_is_a_uuid_and_an_unknown_one_is_told_in_both_languages(
    server: Backend, actors: Actors
) -> None:
    manager = actors("manager")
    not_a_uuid = manager.http.post("/campaigns", json={"name": "x", "survey_uuid": "0" * 35})
    assert _field_errors(not_a_uuid)[0]["loc"] == ["body", "survey_uuid"]
    unknown = str(uuidlib.uuid4())
    [error] = _field_errors(
        manager.http.post(
            "/campaigns", json={"name": f"活动-{unknown[:8]}", "survey_uuid": unknown}
        )
    )
    english, chinese = error["msg"].split(" / ", 1)
    assert english == f"unknown survey: {unknown}" and chinese == f"未知的问卷：{unknown}"
    campaign = _new_campaign(manager, survey_uuid="")  # "": no survey
    patch = manager.http.patch(f"/campaigns/{campaign}", json={"survey_uuid": unknown})
    assert _field_errors(patch)[0]["msg"] == error["msg"]
    # A new survey's uuid, when the client makes it, is a UUID too ("" is not a way to say none).
    empty = manager.http.post(
        "/campaigns/surveys", json={"uuid": "", "name": "问卷", "definition": {}}
    )
    assert _field_errors(empty)[0]["loc"] == ["body", "uuid"]


def test_an_empty_survey_uuid_in_a_path_is_no_survey(server: Backend, actors: Actors) -> None:
    """A campaign without a survey says survey_uuid "": a link built from it asks for
    /campaigns/surveys/ . That is no survey (404), not the survey list's path (a redirect there
    answered a PUT with 405 and a GET with the list)."""
    manager = actors("manager")
    body = {"name": "问卷", "definition": {}}
    assert manager.http.put("/campaigns/surveys/", json=body).status_code == 404
    assert manager.http.get("/campaigns/surveys/").status_code == 404
    assert manager.http.get("/campaigns/surveys").status_code == 200
