"""The one Article model: rows (JSON lists), the wire form (no workstation-only fields), and the
import/export record. The same model goes through a real SQLite store and the real server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from common.articles import CONTENT_FIELDS, Article, uuid_for_external_id


def article(**fields: Any) -> Article:
    base: dict[str, Any] = {"uuid": "7f1c1d8e-2b5a-4a59-9c8e-0d6d3f1e2a11", "type": "faq"}
    base.update(title="宽带报装", body="带身份证原件。")
    base.update(fields)
    return Article(**base)


def test_a_database_row_with_json_lists_reads_back() -> None:
    row = article(tags=["宽带", "报装"], aliases=["装宽带"]).row()
    assert row["tags"] == '["宽带", "报装"]' and row["aliases"] == '["装宽带"]'
    back = Article.from_row(row)
    assert back.tags == ["宽带", "报装"] and back.aliases == ["装宽带"]
    assert back.to_dict() == article(tags=["宽带", "报装"], aliases=["装宽带"]).to_dict()


def test_row_keeps_only_the_tables_columns() -> None:
    row = article(seq=4).row({"uuid", "title", "tags", "seq"})
    assert row == {"uuid": article().uuid, "title": "宽带报装", "tags": "[]", "seq": 4}


def test_null_columns_are_empty_text() -> None:
    back = Article.from_row({**article().row(), "category": None, "external_id": None})
    assert back.category == "" and back.external_id == ""


def test_the_wire_form_leaves_out_what_only_this_workstation_keeps() -> None:
    local = article(seq=9, review_due="2030-01-01", external_id="FAQ-0012")
    wire = local.model_dump()
    assert not {"seq", "external_id"} & set(wire)
    # The review day is the author's, approved with the text (issue 13): on the wire.
    assert wire["review_due"] == "2030-01-01" and wire["attachments"] == []
    assert json.loads(local.model_dump_json()) == wire
    assert local.to_dict()["seq"] == 9, "to_dict keeps every field (copies in the store)"


def test_record_is_what_the_importer_reads() -> None:
    record = article(external_id="FAQ-0012", tags=["宽带"]).record()
    assert list(record) == ["id", *CONTENT_FIELDS]
    assert record["id"] == "FAQ-0012" and record["tags"] == ["宽带"]
    assert article().record()["id"] == article().uuid


def test_unknown_type_or_status_is_refused() -> None:
    with pytest.raises(ValidationError):
        article(type="memo")
    with pytest.raises(ValidationError):
        article(status="gone")


def test_external_ids_map_to_one_uuid_everywhere() -> None:
    assert uuid_for_external_id("FAQ-0012") == uuid_for_external_id("FAQ-0012")
    assert uuid_for_external_id("FAQ-0012") != uuid_for_external_id("FAQ-0013")


def test_attachments_travel_as_json_in_rows_and_as_objects_on_the_wire() -> None:
    ref = {"sha256": "a" * 64, "name": "流程图.png", "mime": "image/png", "size": 12}
    with_file = article(attachments=[ref])
    row = with_file.row()
    assert json.loads(row["attachments"]) == [ref]
    back = Article.from_row({**row, "attachments": row["attachments"]})
    assert back.attachments[0].name == "流程图.png"
    assert with_file.model_dump()["attachments"] == [ref]
    # An older row without the column reads as no attachments.
    assert Article.from_row({**row, "attachments": None}).attachments == []
