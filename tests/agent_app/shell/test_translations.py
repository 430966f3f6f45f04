"""The Qt Linguist files are current: every visible string is in the .ts, translated, compiled."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))
import update_translations  # noqa: E402

TS = ROOT / "common" / "resources" / "translations" / "seatdesk_zh_CN.ts"


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    tree = ET.parse(ts)
    return {
        (ctx.findtext("name") or "", msg.findtext("source") or ""): msg
        for ctx in tree.iter("context")
        for msg in ctx.iter("message")
    }


def test_ts_file_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / TS.name
    shutil.copy(TS, fresh)
    update_translations.lupdate(fresh)
    assert set(messages(fresh)) == set(messages(TS)), "run tools/update_translations.py"


def test_every_string_is_translated_to_chinese() -> None:
    untranslated = [
        key
        for key, msg in messages(TS).items()
        if (
            msg.find("translation") is not None
            and msg.find("translation").get("type") == "unfinished"
        )  # type: ignore[union-attr]
    ]
    assert untranslated == []


def test_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    qm = tmp_path / "out.qm"
    update_translations.lrelease(TS, qm)
    assert qm.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run tools/update_translations.py"


def test_lupdate_tool_is_available() -> None:
    result = subprocess.run(
        [update_translations.tool("lupdate"), "-version"], capture_output=True, text=True
    )
    assert result.returncode == 0
