"""Builders and small utilities for knowledge-base tests: articles, JSONL files, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kb.knowledge_base import SearchResponse
from kb.models import Article

REPO_ROOT = Path(__file__).resolve().parents[2]
MAIN_PY = REPO_ROOT / "main.py"


def new_id() -> str:
    return str(uuid.uuid4())


def make_article(title: str, body: str = "", **fields: Any) -> Article:
    """A published FAQ with a fresh UUID; any Article field can be given."""
    fields.setdefault("uuid", new_id())
    fields.setdefault("type", "faq")
    return Article(title=title, body=body or f"{title}的处理说明。", **fields)


def content(article: Article) -> dict[str, Any]:
    """The fields that make up an article's content (what a round trip must keep)."""
    return {name: getattr(article, name) for name in Article.CONTENT_FIELDS}


def hit_ids(response: SearchResponse) -> list[str]:
    return [hit.uuid for hit in response.hits]


def record(**fields: Any) -> dict[str, Any]:
    """An import record (the JSONL / front matter shape) with sensible defaults."""
    base: dict[str, Any] = {"id": new_id(), "type": "faq", "title": "标题", "body": "正文"}
    base.update(fields)
    return base


def jsonl_text(records: Iterable[dict[str, Any] | str]) -> str:
    """One line per record; a str is written as is (to plant broken lines)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    return "\n".join(lines) + "\n"


def write_jsonl(
    path: Path,
    records: Iterable[dict[str, Any] | str],
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    data = jsonl_text(records).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def cli_env() -> dict[str, str]:
    """The environment for `python main.py`: no leaked data folder or language, UTF-8 pipes."""
    env = {k: v for k, v in os.environ.items() if k not in {"SEATDESK_DATA_DIR", "SEATDESK_LANG"}}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_cli(
    data_dir: Path, *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python main.py --data-dir DATA_DIR ARGS...` from the repository root."""
    return subprocess.run(
        [sys.executable, str(MAIN_PY), "--data-dir", str(data_dir), *args],
        cwd=REPO_ROOT,
        env=cli_env(),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
