"""`python main.py kb ...`: import, export, search and maintain the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from kb.business_lines import business_lines
from kb.demo import load_demo_if_empty, remove_demo
from kb.exporter import export_path
from kb.importer import import_path
from kb.knowledge_base import KnowledgeBase
from kb.messages import UserError, tr
from kb.models import ARTICLE_TYPES, SearchFilters, business_line_code
from kb.paths import resolve_data_dir

# The rest of the demo kept in the data folder goes with the same action: server/cli.py adds
# the removal of the built-in backend's demo campaign here (kb/ never imports server/).
DEMO_PARTS: list[Callable[[Path], int]] = []


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    kb_parser = subparsers.add_parser("kb", parents=[common], help="knowledge base / 知识库")
    kb_sub = kb_parser.add_subparsers(dest="kb_command", required=True)

    p = kb_sub.add_parser("import", parents=[common], help="import JSON Lines or Markdown folder")
    p.add_argument("path", type=Path)
    p.add_argument(
        "--create-lines",
        action="store_true",
        help="create business lines the knowledge base does not know (else: reported per record)",
    )
    p.set_defaults(func=cmd_import)

    p = kb_sub.add_parser("export", parents=[common], help="export to a .jsonl file or a folder")
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_export)

    p = kb_sub.add_parser("search", parents=[common], help="search articles")
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--json", action="store_true", help="print one JSON object per query")
    p.add_argument("--stdin", action="store_true", help="read one query per line from stdin")
    p.add_argument("--type", choices=ARTICLE_TYPES)
    p.add_argument("--business-line", help="a business line's code or name")
    p.add_argument("--category", help="category path prefix, e.g. 电信/宽带")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_search)

    p = kb_sub.add_parser("rebuild", parents=[common], help="rebuild the search index")
    p.set_defaults(func=cmd_rebuild)

    p = kb_sub.add_parser("add-word", parents=[common], help="add a word to the user dictionary")
    p.add_argument("word")
    p.add_argument("--freq", type=int, default=2000)
    p.set_defaults(func=cmd_add_word)

    p = kb_sub.add_parser("add-synonyms", parents=[common], help="add a synonym group")
    p.add_argument("terms", nargs="+")
    p.set_defaults(func=cmd_add_synonyms)

    p = kb_sub.add_parser("empty-searches", parents=[common], help="searches that found nothing")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_empty_searches)

    p = kb_sub.add_parser("load-demo", parents=[common], help="load the demo articles if empty")
    p.set_defaults(func=cmd_load_demo)

    p = kb_sub.add_parser("remove-demo", parents=[common], help="delete the demo articles")
    p.set_defaults(func=cmd_remove_demo)


def open_kb(args: argparse.Namespace, with_index: bool = True) -> KnowledgeBase:
    """The data folder's knowledge base as it is: the command line never adds the demo."""
    kb = KnowledgeBase(resolve_data_dir(getattr(args, "data_dir", None)))
    if with_index:
        kb.ensure_index()
    return kb


def cmd_import(args: argparse.Namespace) -> int:
    kb = open_kb(args)
    try:
        report = import_path(kb, args.path, create_lines=args.create_lines)
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        kb.close()
    for error in report.errors:
        print(error, file=sys.stderr)
    print(report.summary())
    return 1 if report.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    kb = open_kb(args, with_index=False)
    try:
        count = export_path(kb.store, args.path)
    finally:
        kb.close()
    print(tr("export_summary", count=count, path=args.path))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    kb = open_kb(args)
    line = args.business_line
    if line:  # a name is as good as a code
        known = business_lines(kb.store, include_inactive=True)
        line = business_line_code(line, known) or line
    filters = SearchFilters(args.type, line, args.category)
    queries = (line.rstrip("\r\n") for line in sys.stdin) if args.stdin else iter([args.query])
    try:
        for query in queries:
            response = kb.search(query, filters, limit=args.limit, log_source="cli")
            if args.json:
                print(json.dumps(response.to_json(), ensure_ascii=False), flush=True)
                continue
            if not response.hits:
                print(tr("no_results"))
            for rank, hit in enumerate(response.hits, start=1):
                print(f"{rank:2}. [{hit.type}] {hit.title}  ({hit.score:.2f})  {hit.uuid}")
    finally:
        kb.close()
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    kb = open_kb(args, with_index=False)
    try:
        kb.rebuild_index()
        print(kb.index.doc_count())
    finally:
        kb.close()
    return 0


def cmd_add_word(args: argparse.Namespace) -> int:
    kb = open_kb(args, with_index=False)
    try:
        kb.store.add_user_word(args.word, args.freq)
        kb.ensure_index()
    finally:
        kb.close()
    return 0


def cmd_add_synonyms(args: argparse.Namespace) -> int:
    kb = open_kb(args, with_index=False)
    try:
        kb.store.add_synonym_group(list(args.terms))
    finally:
        kb.close()
    return 0


def cmd_empty_searches(args: argparse.Namespace) -> int:
    kb = open_kb(args, with_index=False)
    try:
        for row in kb.store.empty_searches(args.limit):
            print(f"{row['times']:4}  {row['query']}")
    finally:
        kb.close()
    return 0


def cmd_load_demo(args: argparse.Namespace) -> int:
    kb = open_kb(args, with_index=False)
    try:
        count = load_demo_if_empty(kb)
        kb.ensure_index()
    finally:
        kb.close()
    print(tr("demo_loaded", count=count))
    return 0


def cmd_remove_demo(args: argparse.Namespace) -> int:
    kb = open_kb(args)
    try:
        count = remove_demo(kb)
    finally:
        kb.close()
    print(tr("demo_removed", count=count))
    for remove_part in DEMO_PARTS:
        campaigns = remove_part(resolve_data_dir(getattr(args, "data_dir", None)))
        print(tr("demo_campaign_removed", count=campaigns))
    return 0
