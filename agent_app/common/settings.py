"""The desktop app's settings: one JSON file in the data folder, one object per process.

Loaded through the one validated loader (common/settings_loading.py): a value of the wrong type
in a hand-edited file is dropped with a logged warning and its default used, so the workstation
still starts. Never a password here: remembered passwords live in the OS's secure store
(credentials.py).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from common.settings_loading import load_lenient

log = logging.getLogger(__name__)
SETTINGS_FILE = "settings.json"


@dataclass
class Settings:
    language: str = "zh_CN"  # zh_CN first, en second
    search_debounce_ms: int = 150
    search_log_idle_ms: int = 1500
    results_limit: int = 20
    server_url: str = ""  # empty: the built-in backend in this process (embedded mode)
    username: str = ""  # the last user who logged in on this workstation
    remember_password: bool = False  # log in at start with the password from the keyring
    pull_interval_s: float = 15.0  # how often the changes feed is pulled
    # The softphone: PhoneConfig.to_dict() (never a password: those are in the keyring).
    phone: dict[str, Any] = field(default_factory=dict)
    # Call-action shortcuts the agent changed (action name -> key sequence); the rest default.
    phone_shortcuts: dict[str, str] = field(default_factory=dict)
    # Roles shown customers' numbers masked (138****8000); also anyone not logged in.
    mask_numbers_for_roles: list[str] = field(default_factory=lambda: ["agent"])
    wrap_up_enabled: bool = True  # after-call work (话后处理) after every connected call
    wrap_up_limit_s: float = 30.0  # then back to the state before the call
    # Outbound: after an outcome is recorded, take the campaign's next record at once.
    outbound_auto_next: bool = False
    # The supervisors' board flags a call longer than this, and a 未就绪 longer than this.
    board_long_call_s: float = 600.0
    board_long_not_ready_s: float = 900.0

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        path = Path(data_dir) / SETTINGS_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            log.warning("settings file %s unreadable; using defaults", path)
            return cls()
        if not isinstance(raw, dict):
            log.warning("settings file %s holds no settings object; using defaults", path)
            return cls()
        return load_lenient(cls, raw, str(path), log)

    def save(self, data_dir: Path) -> None:
        path = Path(data_dir) / SETTINGS_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
