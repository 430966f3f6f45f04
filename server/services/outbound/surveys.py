"""Survey definitions, stored as JSON (table surveys) and versioned on each change.

The definition's shape and rules (questions, options, branching, required answers) are
common/surveys.py's, shared with the window and the authoring editor: a definition is checked
with its parser before it is stored, so the server never hands out a survey the form cannot run.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection, Row

from common import surveys as survey_model
from common.outbound import Survey, SurveyIn
from common.timestamps import iso
from server.core.identity import CurrentUser
from server.services.errors import Conflict, Invalid, NotFound
from server.tables import surveys


def _out(row: Row[Any]) -> Survey:
    return Survey(
        uuid=row.uuid,
        name=row.name,
        definition=json.loads(row.definition),
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def _checked(definition: dict[str, Any], survey_uuid: str, name: str, version: int) -> str:
    """The definition as stored JSON, once common/surveys.py accepts it. Its uuid, name and
    version are the stored survey's (so the definition alone is a complete survey)."""
    if not isinstance(definition, dict):
        raise Invalid("a survey definition is a JSON object / 问卷定义须为 JSON 对象")
    full = {**definition, "uuid": survey_uuid, "name": name, "version": version}
    try:
        survey_model.parse_survey(full)
    except (ValidationError, ValueError) as exc:  # SurveyInvalid is a ValueError
        raise Invalid(f"the survey is not valid / 问卷定义无效：{exc}") from exc
    return json.dumps(full, ensure_ascii=False)


def list_surveys(conn: Connection) -> list[Survey]:
    rows = conn.execute(sa.select(surveys).order_by(surveys.c.name, surveys.c.uuid)).all()
    return [_out(row) for row in rows]


def get_survey(conn: Connection, survey_uuid: str) -> Survey:
    row = conn.execute(sa.select(surveys).where(surveys.c.uuid == survey_uuid)).first()
    if row is None:
        raise NotFound(f"no survey {survey_uuid} / 没有该问卷：{survey_uuid}")
    return _out(row)


def create_survey(conn: Connection, body: SurveyIn, user: CurrentUser | None) -> Survey:
    survey_uuid = body.uuid or str(uuidlib.uuid4())
    try:
        survey_uuid = str(uuidlib.UUID(survey_uuid))
    except ValueError as exc:
        raise Invalid("not a UUID / 不是有效的 UUID") from exc
    definition = _checked(body.definition, survey_uuid, body.name, 1)
    exists = conn.execute(sa.select(surveys.c.uuid).where(surveys.c.uuid == survey_uuid)).first()
    if exists is not None:
        raise Conflict(f"the survey {survey_uuid} exists already / 该问卷已存在")
    conn.execute(
        surveys.insert().values(
            uuid=survey_uuid,
            name=body.name,
            definition=definition,
            version=1,
            updated_at=iso(),
            updated_by=user.id if user else None,
        )
    )
    return get_survey(conn, survey_uuid)


def change_survey(
    conn: Connection, survey_uuid: str, body: SurveyIn, user: CurrentUser | None
) -> Survey:
    """Replace the name and definition; the version goes up by one."""
    current = get_survey(conn, survey_uuid)
    conn.execute(
        surveys.update()
        .where(surveys.c.uuid == survey_uuid)
        .values(
            name=body.name,
            definition=_checked(body.definition, survey_uuid, body.name, current.version + 1),
            version=current.version + 1,
            updated_at=iso(),
            updated_by=user.id if user else None,
        )
    )
    return get_survey(conn, survey_uuid)
