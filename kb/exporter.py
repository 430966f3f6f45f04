"""Export articles in the formats the importer reads: JSON Lines, or Markdown with front matter."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from common.articles import Article
from kb.store import KnowledgeStore

# Characters Windows refuses in file names, whitespace and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+')


def article_record(a: Article) -> dict[str, Any]:
    """What the importer reads back: the center's own id when the article came with one."""
    return a.record()


def export_jsonl(store: KnowledgeStore, path: Path) -> int:
    count = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        for article in store.articles():
            out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
            count += 1
    tmp.replace(path)
    return count


def markdown_text(a: Article) -> str:
    meta = article_record(a)
    body = meta.pop("body")
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{front}\n---\n{body}\n"


def export_markdown(store: KnowledgeStore, folder: Path) -> int:
    """One file per article; names are readable titles made unique by a short id suffix."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for article in store.articles():
        name = _UNSAFE.sub("_", article.title)[:60].strip("_.") or "article"
        (folder / f"{name}-{article.uuid[:8]}.md").write_text(
            markdown_text(article), encoding="utf-8", newline="\n"
        )
        count += 1
    return count


def export_path(store: KnowledgeStore, target: Path) -> int:
    """A path ending in .jsonl/.json/.txt is a file; anything else is a folder of Markdown."""
    if target.suffix.lower() in {".jsonl", ".json", ".txt", ".ndjson"}:
        return export_jsonl(store, target)
    return export_markdown(store, target)
