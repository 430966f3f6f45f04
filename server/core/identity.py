"""Who is calling: the user behind a valid token, as the routes and services see them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str
    role: str
    # Only the embedded backend's first admin: the generated password must be replaced first.
    must_change_password: bool = False

    def has(self, roles: tuple[str, ...]) -> bool:
        return self.role in roles
