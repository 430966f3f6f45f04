"""What a service refuses, with the HTTP status the API answers for it.

Services raise these instead of HTTPException so they stay usable outside a request (the CLI,
benchmarks); the app turns each into `{"detail": ...}` with its status.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status_code = 400

    def __init__(self, detail: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class BadRequest(ServiceError):
    status_code = 400


class Unauthorized(ServiceError):
    status_code = 401


class Forbidden(ServiceError):
    status_code = 403


class NotFound(ServiceError):
    status_code = 404


class Conflict(ServiceError):
    status_code = 409


class TooManyRequests(ServiceError):
    status_code = 429


class Invalid(ServiceError):
    """422: the input is well formed but names what the center does not allow (an unknown or
    deactivated business line). The detail has the shape of the API's own 422 (a list of field
    errors), which the OpenAPI document promises for every route."""

    status_code = 422

    def __init__(self, message: str, field: str = "") -> None:
        location = ["body", field] if field else ["body"]
        super().__init__([{"loc": location, "msg": message, "type": "value_error"}])
