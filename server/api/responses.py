"""The refusals each route documents in the OpenAPI schema, besides its success and 422."""

from __future__ import annotations

from typing import Any

from server.schemas import ErrorOut

Responses = dict[int | str, dict[str, Any]]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


BAD_REQUEST: Responses = {400: _error("Refused as asked (e.g. merging a question into itself)")}
UNAUTHORIZED: Responses = {401: _error("Not logged in, or the session expired")}
FORBIDDEN: Responses = {
    403: _error("The role may not do this, or the generated password must be changed first")
}
# Every route behind a token: no or a bad token, or a role / password-change refusal.
AUTH: Responses = UNAUTHORIZED | FORBIDDEN
NOT_FOUND: Responses = {404: _error("No such item")}
CONFLICT: Responses = {409: _error("Changed by someone else, or exists already")}
TOO_LARGE: Responses = {413: _error("Request body over the size limit")}
INVALID: Responses = {422: _error("Invalid input")}
THROTTLED: Responses = {
    429: {
        **_error("Too many failed logins: try again after Retry-After seconds"),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    }
}
