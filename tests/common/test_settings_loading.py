"""The one validated settings loader, as the three kinds of settings use it: the desktop file
(a wrong value falls back with a logged warning), the phone's section of it, and the server's
environment variables (a wrong value is a clear error naming the variable)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from agent_app.common.settings import Settings
from agent_app.phone.config import AccountConfig, PhoneConfig
from common.settings_loading import SettingsError, load_lenient, load_strict
from server.core.config import ServerSettings


def write_settings(folder: Path, data: object) -> Path:
    (folder / "settings.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_desktop_settings_keep_good_values_and_drop_wrong_ones(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_settings(
        tmp_path,
        {
            "language": "en",
            "search_debounce_ms": "soon",  # wrong: not a number
            "results_limit": "30",  # a number written as text is still a number
            "remember_password": "maybe",
            "mask_numbers_for_roles": "agent",  # wrong: not a list
            "phone": {"max_calls": 2},
            "retired_option": 1,
        },
    )
    with caplog.at_level(logging.WARNING):
        settings = Settings.load(tmp_path)
    assert settings.language == "en" and settings.results_limit == 30
    assert settings.search_debounce_ms == Settings().search_debounce_ms
    assert settings.remember_password is False
    assert settings.mask_numbers_for_roles == ["agent"]
    assert settings.phone == {"max_calls": 2}
    warned = caplog.text
    assert "search_debounce_ms" in warned and "remember_password" in warned
    assert "mask_numbers_for_roles" in warned


def test_desktop_settings_that_are_not_an_object_give_defaults(tmp_path: Path) -> None:
    assert Settings.load(write_settings(tmp_path, ["not", "settings"])) == Settings()


def test_desktop_settings_round_trip(tmp_path: Path) -> None:
    saved = Settings(language="en", username="zhang", pull_interval_s=5.0)
    saved.save(tmp_path)
    assert Settings.load(tmp_path) == saved


def test_phone_settings_drop_a_wrong_value_inside_an_account(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = {
        "max_calls": "four",
        "accounts": [
            {"id": "a", "user": "1001", "domain": "pbx", "reg_expiry_s": "soon"},
            {"id": "b", "user": "1002", "domain": "pbx", "transport": "sctp"},
        ],
        "auto_answer": None,
        "audio": {"microphone": "USB"},
    }
    with caplog.at_level(logging.WARNING):
        config = PhoneConfig.from_dict(data)
    assert config.max_calls == PhoneConfig().max_calls
    assert [a.user for a in config.accounts] == ["1001", "1002"]
    assert config.accounts[0].reg_expiry_s == AccountConfig().reg_expiry_s
    assert config.accounts[1].transport == "udp"
    assert config.audio.microphone == "USB" and config.auto_answer.enabled is False
    assert "accounts.0.reg_expiry_s" in caplog.text and "max_calls" in caplog.text


def test_server_environment_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEATDESK_SERVER_TOKEN_TTL_S", "600")
    assert ServerSettings.from_env().token_ttl_s == 600
    assert ServerSettings.from_env(token_ttl_s=60).token_ttl_s == 60
    monkeypatch.setenv("SEATDESK_SERVER_TOKEN_TTL_S", "twelve hours")
    with pytest.raises(SettingsError) as raised:
        ServerSettings.from_env()
    message = str(raised.value)
    assert "SEATDESK_SERVER_TOKEN_TTL_S" in message and "twelve hours" in message
    assert "设置无效" in message


def test_strict_and_lenient_on_the_same_input() -> None:
    with pytest.raises(SettingsError, match="results_limit"):
        load_strict(Settings, {"results_limit": []}, "test")
    quiet = logging.getLogger("test.settings")
    assert load_lenient(Settings, {"results_limit": []}, "test", quiet) == Settings()
