"""Small builders for the authoring tests: proposals, and publishing one through review."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from tests.server.support import Actor


def new_uuid() -> str:
    return str(uuidlib.uuid4())


BODY = (
    "第一步：核对身份。\n第二步：查询宽带账户。\n第三步：说明办理时限。\n第四步：复述办理结果。\n"
)


def content(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "faq", "title": "宽带报装流程", "body": BODY}
    data.update(fields)
    return data


def proposal(
    article_uuid: str | None = None, base_version: int | None = None, **fields: Any
) -> dict[str, Any]:
    return {
        "uuid": new_uuid(),
        "article_uuid": article_uuid or new_uuid(),
        "base_version": base_version,
        "content": content(**fields),
        "note": "",
    }


def submit(actor: Actor, item: dict[str, Any]) -> dict[str, Any]:
    response = actor.http.post("/authoring/proposals", json=item)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def published(trainer: Actor, manager: Actor, **fields: Any) -> dict[str, Any]:
    """A new article written by `trainer` and approved by `manager`; the article as it is."""
    item = submit(trainer, proposal(**fields))
    approved = manager.http.post(f"/authoring/proposals/{item['uuid']}/approve", json={})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "published"
    article = manager.http.get(f"/articles/{item['article_uuid']}")
    assert article.status_code == 200, article.text
    result: dict[str, Any] = article.json()
    return result
