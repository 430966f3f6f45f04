"""Knowledge-base search benchmark: build time, index size, query latency, save-to-searchable.

    python bench/kb_search.py [--articles N] [--queries Q] [--data-dir DIR] [--keep]
                              [--rounds R] [--seed S] [--profile]

Steps, all in one process on a deterministic synthetic corpus (bench/synthetic_corpus.py):

1. generate N articles, store them in one SQLite transaction (`kb.store.save_article`);
2. `kb.rebuild_index()` timed as build_s; the index folder's size as index_mb;
3. Q mixed queries (keywords / natural questions / pinyin initials of title phrases, equal
   thirds), 20 warm-up queries, then `kb.search(q, limit=10)` timed one by one, R rounds;
   p50/p95/p99 of each round, the median over rounds reported;
4. a SQLite FTS5 baseline (unicode61 over the same `kb.analyzer.words()` tokens, OR of quoted
   query tokens, bm25 with title weighted higher, LIMIT 10), timed on the same queries;
   fts5_* times include segmenting the query (as kb.search does), fts5_sql_only_* do not;
5. save_to_searchable_ms: `kb.save_article()` of a distinctive new article, then searching its
   title until it is the top hit; median of 10;
6. after those saves: the live index must count what the store holds, with no duplicate hits
   (a guard against stale searchers), and the queries are timed once more.

--profile adds a cProfile of one pass of the queries (slow: about 4x the pass itself).
The machine's 1-minute load average at start and end is recorded: rerun when it was high.

Readable figures go to stderr as they come; stdout ends with one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.synthetic_corpus import CorpusGenerator, Query  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.models import Article  # noqa: E402

WARMUP = 20
SAVE_PROBES = 10
TARGETS = {  # articles -> p95 ms the lead must hit
    20_000: 25.0,
    50_000: 40.0,
}
SAVE_TARGET_MS = 100.0


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50 (the median), p95, p99 of samples in ms (inclusive method: within the data)."""
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "p50": statistics.median(samples_ms),
        "p95": cuts[94],
        "p99": cuts[98],
        "max": max(samples_ms),
        "mean": statistics.fmean(samples_ms),
    }


def median_of_rounds(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}


def fmt(p: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:7.2f}" for k, v in p.items())


def dir_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def time_queries(run: Callable[[str], Any], queries: Sequence[Query]) -> list[float]:
    """Milliseconds of each call, in query order."""
    out = []
    for q in queries:
        t0 = time.perf_counter()
        run(q.text)
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


# -- FTS5 baseline -----------------------------------------------------------------------------
class Fts5Baseline:
    """The same tokens in a plain SQLite FTS5 table: what a minimal engine costs."""

    TITLE_WEIGHT, ALIASES_WEIGHT, BODY_WEIGHT = 5.0, 4.0, 1.0  # as kb.query_builder.BOOSTS

    def __init__(self, path: Path, words: Callable[[str], list[str]]) -> None:
        self.words = words
        self.conn = sqlite3.connect(str(path))
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            "uuid UNINDEXED, title, aliases, body, tokenize='unicode61')"
        )

    def load(self, articles: Sequence[Article]) -> None:
        w = self.words
        with self.conn:
            self.conn.executemany(
                "INSERT INTO docs(uuid, title, aliases, body) VALUES (?, ?, ?, ?)",
                (
                    (
                        a.uuid,
                        " ".join(w(a.title)),
                        " ".join(w(" ".join(a.aliases))),
                        " ".join(w(a.body)),
                    )
                    for a in articles
                ),
            )
            self.conn.execute("INSERT INTO docs(docs) VALUES ('optimize')")

    def match_expr(self, text: str) -> str:
        tokens = list(dict.fromkeys(self.words(text))) or [text.strip()]
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens if t)

    def search(self, text: str, limit: int = 10) -> list[tuple[str, str, float]]:
        expr = self.match_expr(text)
        if not expr:
            return []
        return self.conn.execute(
            "SELECT uuid, title, bm25(docs, 0.0, ?, ?, ?) AS score FROM docs "
            "WHERE docs MATCH ? ORDER BY score LIMIT ?",
            (self.TITLE_WEIGHT, self.ALIASES_WEIGHT, self.BODY_WEIGHT, expr, limit),
        ).fetchall()

    def close(self) -> None:
        self.conn.close()


# -- steps -------------------------------------------------------------------------------------
def bulk_load(kb: KnowledgeBase, articles: Sequence[Article]) -> float:
    t0 = time.perf_counter()
    with kb.store.transaction():
        for i, a in enumerate(articles, 1):
            kb.store.save_article(a, author="bench")
            if i % 5000 == 0:
                say(f"  stored {i}/{len(articles)}")
    return time.perf_counter() - t0


def quality(kb: KnowledgeBase, queries: Sequence[Query]) -> dict[str, float]:
    """Not a relevance study, a sanity check that the timed searches do real work."""
    by_kind: dict[str, list[int]] = {}
    initials_found = []
    for q in queries:
        hits = kb.search(q.text, limit=10).hits
        by_kind.setdefault(q.kind, []).append(len(hits))
        if q.kind == "initials":
            initials_found.append(any(q.expect in h.title for h in hits))
    out = {f"{k}_with_hits": sum(1 for n in v if n) / len(v) for k, v in by_kind.items()}
    if initials_found:
        out["initials_phrase_in_top10"] = sum(initials_found) / len(initials_found)
    return out


def save_to_searchable(kb: KnowledgeBase, gen: CorpusGenerator, probes: int) -> list[float]:
    out = []
    for i in range(probes):
        article = gen.probe_article(i)
        t0 = time.perf_counter()
        kb.save_article(article, author="bench")
        tries = 0
        while True:
            tries += 1
            hits = kb.search(article.title, limit=10).hits
            if hits and hits[0].uuid == article.uuid:
                break
            if time.perf_counter() - t0 > 10.0:
                raise RuntimeError(f"probe {article.title!r} not the top hit after 10 s")
        ms = (time.perf_counter() - t0) * 1000.0
        say(f"  probe {i}: {ms:7.2f} ms ({tries} search{'es' if tries > 1 else ''})")
        out.append(ms)
    return out


def segment_counts(kb: KnowledgeBase) -> dict[str, int]:
    """Segments the live searcher reads vs segments in the index folder (diagnostic only)."""
    try:
        idx: Any = kb.index
        reader = idx._searcher.reader()
        live = len(getattr(reader, "readers", None) or [reader])
        on_disk = len(idx._ix._segments())
    except Exception:  # private Whoosh details: never fail the benchmark over them
        return {}
    return {"searcher_segments": live, "disk_segments": on_disk}


def profile_searches(kb: KnowledgeBase, queries: Sequence[Query], top: int = 35) -> str:
    prof = cProfile.Profile()
    prof.enable()
    for q in queries:
        kb.search(q.text, limit=10)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(20)
    return buf.getvalue()


# -- main --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=240, help="timed queries (>= 200 advised)")
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the queries")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--data-dir", type=Path, help="an empty folder to use (kept afterwards)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    ap.add_argument("--profile", action="store_true", help="cProfile one pass of the queries")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    if args.data_dir:
        data_dir = args.data_dir.resolve()
        if data_dir.exists() and any(data_dir.iterdir()):
            ap.error(f"--data-dir {data_dir} is not empty")
        data_dir.mkdir(parents=True, exist_ok=True)
        remove = False
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="seatdesk-bench-"))
        remove = not args.keep
    say(f"data dir: {data_dir}")

    result: dict[str, Any] = {
        "articles": args.articles,
        "queries": args.queries,
        "rounds": args.rounds,
        "seed": args.seed,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "loadavg_start": round(os.getloadavg()[0], 2),
    }
    kb: KnowledgeBase | None = None
    fts: Fts5Baseline | None = None
    try:
        # 1. corpus
        gen = CorpusGenerator(args.seed)
        t0 = time.perf_counter()
        articles = gen.articles(args.articles)
        result["generate_s"] = round(time.perf_counter() - t0, 2)
        body_lens = [len(a.body) for a in articles]
        say(
            f"generated {len(articles)} articles in {result['generate_s']} s "
            f"(body {min(body_lens)}-{max(body_lens)} chars, "
            f"mean {statistics.fmean(body_lens):.0f}; "
            f"{len({a.title for a in articles})} distinct titles)"
        )

        kb = KnowledgeBase(data_dir)
        load_s = bulk_load(kb, articles)
        result["load_s"] = round(load_s, 2)
        say(f"stored in SQLite in {load_s:.2f} s")

        # 2. build
        t0 = time.perf_counter()
        kb.rebuild_index()
        build_s = time.perf_counter() - t0
        result["build_s"] = round(build_s, 2)
        result["index_mb"] = round(dir_mb(kb.index.folder), 2)
        result["db_mb"] = round(dir_mb(data_dir) - result["index_mb"], 2)
        assert kb.is_ready and kb.index.doc_count() == args.articles
        say(f"build_s {build_s:.2f}  index_mb {result['index_mb']}  ({kb.index.folder})")

        # 3. queries
        analyzer = kb.analyzer
        titles = [a.title for a in articles]
        cut = analyzer._jieba.cut  # word boundaries for the initials phrases
        queries = gen.queries(args.queries, titles, cut)
        warmup = gen.queries(WARMUP, titles, cut)
        kinds = sorted({q.kind for q in queries})
        say(
            f"{len(queries)} queries: "
            + ", ".join(f"{k} {sum(q.kind == k for q in queries)}" for k in kinds)
            + "; e.g. "
            + " | ".join(q.text for q in queries[:6])
        )

        def kb_search(text: str) -> Any:
            return kb.search(text, limit=10)

        for q in warmup:
            kb_search(q.text)
        rounds = []
        per_kind: dict[str, list[float]] = {k: [] for k in kinds}
        for r in range(args.rounds):
            ms = time_queries(kb_search, queries)
            rounds.append(percentiles(ms))
            for q, m in zip(queries, ms, strict=True):
                per_kind[q.kind].append(m)
            say(f"  kb round {r + 1}: {fmt(rounds[-1])}")
        kbp = median_of_rounds(rounds)
        result.update(
            p50_ms=round(kbp["p50"], 2),
            p95_ms=round(kbp["p95"], 2),
            p99_ms=round(kbp["p99"], 2),
            max_ms=round(kbp["max"], 2),
            mean_ms=round(kbp["mean"], 2),
        )
        result["by_kind_p50_p95_ms"] = {
            k: [round(percentiles(v)["p50"], 2), round(percentiles(v)["p95"], 2)]
            for k, v in per_kind.items()
        }
        say(f"kb.search (median of {args.rounds} rounds): {fmt(kbp)}")
        for k, (p50, p95) in result["by_kind_p50_p95_ms"].items():
            say(f"  {k:9s} p50 {p50:7.2f}  p95 {p95:7.2f}")
        result["quality"] = {k: round(v, 3) for k, v in quality(kb, queries).items()}
        say(f"quality: {result['quality']}")

        # 5. FTS5 baseline (before the probes, so both engines see the same corpus)
        fts_path = data_dir / "fts5_baseline.db"
        fts = Fts5Baseline(fts_path, analyzer.words)
        t0 = time.perf_counter()
        fts.load(articles)
        result["fts5_build_s"] = round(time.perf_counter() - t0, 2)
        result["fts5_mb"] = round(fts_path.stat().st_size / 1e6, 2)
        for q in warmup:
            fts.search(q.text)
        frounds = []
        fts_sql_rounds = []
        exprs = {q.text: fts.match_expr(q.text) for q in queries}
        sql = (
            "SELECT uuid, title, bm25(docs, 0.0, 5.0, 4.0, 1.0) AS score FROM docs "
            "WHERE docs MATCH ? ORDER BY score LIMIT 10"
        )
        for r in range(args.rounds):
            frounds.append(percentiles(time_queries(fts.search, queries)))
            fts_sql_rounds.append(
                percentiles(
                    time_queries(
                        lambda text: fts.conn.execute(sql, (exprs[text],)).fetchall(), queries
                    )
                )
            )
            say(f"  fts5 round {r + 1}: {fmt(frounds[-1])}")
        fp = median_of_rounds(frounds)
        fsql = median_of_rounds(fts_sql_rounds)
        result.update(
            fts5_p50_ms=round(fp["p50"], 3),
            fts5_p95_ms=round(fp["p95"], 3),
            fts5_p99_ms=round(fp["p99"], 3),
            fts5_sql_only_p95_ms=round(fsql["p95"], 3),
            ratio_p95=round(kbp["p95"] / fp["p95"], 1),
        )
        say(
            f"fts5 (segmentation + SQL): {fmt(fp)}   build {result['fts5_build_s']} s, "
            f"{result['fts5_mb']} MB"
        )
        say(f"fts5 (SQL only):           {fmt(fsql)}")
        say(f"ratio_p95 kb/fts5: {result['ratio_p95']}")
        fts_with_hits = sum(1 for q in queries if fts.search(q.text)) / len(queries)
        result["quality"]["fts5_with_hits"] = round(fts_with_hits, 3)

        # 4. save to searchable
        say("save-to-searchable:")
        save_ms = save_to_searchable(kb, gen, SAVE_PROBES)
        result["save_to_searchable_ms"] = round(statistics.median(save_ms), 2)
        result["save_to_searchable_max_ms"] = round(max(save_ms), 2)
        say(
            f"save_to_searchable_ms median {result['save_to_searchable_ms']}, "
            f"max {result['save_to_searchable_max_ms']}"
        )

        # Consistency after incremental saves: the live searcher should see exactly the
        # stored articles, in as many segments as the index folder holds.
        store_count = kb.store.count_searchable()
        index_count = kb.index.doc_count()
        result["after_saves"] = {"store_count": store_count, "index_doc_count": index_count}
        result["after_saves"].update(segment_counts(kb))
        say(f"after {SAVE_PROBES} saves: {result['after_saves']}")
        if index_count != store_count:
            say("WARNING: the live index counts a different number of documents than the store")
        dupes = 0
        for q in queries:
            uuids = [h.uuid for h in kb.search(q.text, limit=10).hits]
            dupes += len(set(uuids)) != len(uuids)
        result["after_saves"]["queries_with_duplicate_hits"] = dupes

        # search again now that incremental saves added segments
        after = percentiles(time_queries(kb_search, queries))
        result["p95_after_saves_ms"] = round(after["p95"], 2)
        say(f"kb.search after {SAVE_PROBES} saves: {fmt(after)}")

        target = next((t for n, t in sorted(TARGETS.items()) if args.articles <= n), None)
        if target is not None:
            result["p95_target_ms"] = target
            result["p95_target_met"] = result["p95_ms"] <= target
        result["save_target_met"] = result["save_to_searchable_ms"] <= SAVE_TARGET_MS

        result["loadavg_end"] = round(os.getloadavg()[0], 2)
        if args.profile:
            say(profile_searches(kb, queries))
    finally:
        if fts is not None:
            fts.close()
        if kb is not None:
            kb.close()
        if remove:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            say(f"kept {data_dir}")

    print(
        f"articles {result['articles']}  build_s {result['build_s']}  "
        f"index_mb {result['index_mb']}  p50 {result['p50_ms']} ms  p95 {result['p95_ms']} ms  "
        f"p99 {result['p99_ms']} ms  fts5_p95 {result['fts5_p95_ms']} ms  "
        f"ratio_p95 {result['ratio_p95']}  save_to_searchable {result['save_to_searchable_ms']} ms"
    )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
