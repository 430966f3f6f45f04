"""The demo knowledge base (common/resources/demo_kb): loaded only for the app's embedded first start,
and removed in one action.

Never loaded for an import or the command line, nor for a client of a real server: a center's
own knowledge base must not get the 179 demo articles mixed in.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kb.importer import decode, import_path
from kb.knowledge_base import KnowledgeBase
from kb.paths import RESOURCES_DIR

log = logging.getLogger(__name__)

DEMO_DIR = RESOURCES_DIR / "demo_kb"
LOADED_KEY = "demo_loaded"
REMOVED_KEY = "demo_removed"


def demo_files(folder: Path = DEMO_DIR) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


def demo_ids(folder: Path = DEMO_DIR) -> list[str]:
    """The UUIDs of the demo articles (every demo record carries one)."""
    ids = []
    for path in demo_files(folder):
        for line in decode(path.read_bytes()).split("\n"):
            if line.strip():
                ids.append(str(json.loads(line)["id"]))
    return ids


def load_demo_if_empty(kb: KnowledgeBase, folder: Path = DEMO_DIR) -> int:
    """Fill a knowledge base that has never held an article with the demo; returns how many
    were loaded. Once removed, the demo never comes back by itself."""
    store = kb.store
    if store.get_meta(LOADED_KEY) or store.get_meta(REMOVED_KEY) or store.max_seq() > 0:
        return 0
    count = 0
    for path in demo_files(folder):
        report = import_path(kb, path)
        count += report.created
        for error in report.errors:
            log.error("demo knowledge base: %s", error)
    if count:
        store.set_meta(LOADED_KEY, "1")
    return count


def has_demo(kb: KnowledgeBase, folder: Path = DEMO_DIR) -> bool:
    """Whether any demo article is still live here."""
    for uuid in demo_ids(folder):
        article = kb.store.get_article(uuid)
        if article is not None and article.status != "deleted":
            return True
    return False


def remove_demo(kb: KnowledgeBase, folder: Path = DEMO_DIR) -> int:
    """Delete every demo article still here (tombstones, gone from search at once); returns
    how many. The window's "remove demo" action and `main.py kb remove-demo` call this."""
    removed = 0
    for uuid in demo_ids(folder):
        article = kb.store.get_article(uuid)
        if article is not None and article.status != "deleted":
            kb.delete_article(uuid, author="remove-demo")
            removed += 1
    kb.store.set_meta(REMOVED_KEY, "1")
    return removed
