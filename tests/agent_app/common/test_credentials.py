"""Remembered passwords go to the secure store only; without one nothing is kept. No Qt."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import keyring.backends.null

from agent_app.common import credentials


def test_key_names_the_server_or_the_built_in_backend() -> None:
    assert credentials.credential_key("", "agent") == "embedded/agent"
    assert credentials.credential_key("http://kb.local:8470/", "li") == "http://kb.local:8470/li"


def test_round_trip_in_the_secure_store(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    assert credentials.secure_storage_available()
    assert credentials.save_password("", "agent", "s3cret-pass")
    assert memory_keyring.entries == {("SeatDesk", "embedded/agent"): "s3cret-pass"}
    assert credentials.load_password("", "agent") == "s3cret-pass"
    credentials.forget_password("", "agent")
    credentials.forget_password("", "agent")  # forgetting twice is harmless
    assert credentials.load_password("", "agent") is None


def test_no_secure_store_keeps_nothing() -> None:
    for backend in (keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()):
        keyring.set_keyring(backend)
        assert not credentials.secure_storage_available()
        assert credentials.save_password("", "agent", "s3cret-pass") is False
        assert credentials.load_password("", "agent") is None
        credentials.forget_password("", "agent")
