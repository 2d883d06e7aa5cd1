"""Search latency over 100,000 enterprises: p50/p95 per query kind, for instr vs LIKE vs FTS5 trigram.

Usage: .venv/bin/python bench/bench_search.py [ROWS]
The store's query (inspector_app/store/search.py: trigram indexes for 3+ characters, a scan for
shorter terms and for the pinyin an import left pending) right after a bulk write and once the
pinyin is indexed; instr and a single trigram index over the whole text are measured here only,
to compare. Target: p95 under 20 ms per query.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_register import make_rows

from inspector_app.domain.enterprise import Enterprise
from inspector_app.store import enterprises as store
from inspector_app.store import organisation
from inspector_app.store.search import index_pending_pinyin, normalize, search_enterprises
from inspector_app.store.workspace import Workspace

QUERIES = {
    "1-char": ["宝", "龙", "电", "a", "5"],
    "2-char Chinese": ["五金", "布吉", "模具", "坂田", "光电"],
    "pinyin initials": ["bljm", "szs", "dzkj", "ngjd", "slzp"],
    "code prefix": ["9144030000000", "91440300000012", "914403000000999", "9144030000005"],
    "no match": ["不存在的公司", "zzzzqqq", "xyzxyz", "9999999999"],
    "two terms": ["nwgd 10129", "bljd 五金", "longgang 10129", "hg 1234"],
}
LIMIT = 200


def load(ws: Workspace, n: int) -> None:
    rows = make_rows(n)
    with ws.session() as s:
        conn = s.connection()
        organisation.ensure_grids(conn, {str(r[3]) for r in rows})
        organisation.ensure_categories(conn, {str(r[4]) for r in rows})
        values = [
            store.enterprise_values(
                Enterprise(str(r[1]), str(r[0]), address=str(r[2]), grid=str(r[3]), category=str(r[4]))
            )
            for r in rows
        ]
        store.insert_enterprises(conn, values, datetime.now(UTC))


def timed(run, queries: list[str], repeat: int = 5) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            run(q)
            out.append((time.perf_counter() - t) * 1000)
    return out


def report(label: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"  {label:<18} p50 {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "ws")
        t = time.perf_counter()
        load(ws, n)
        print(f"{n} enterprises loaded in {time.perf_counter() - t:.1f} s")
        with ws.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            whole = "search_text || char(31) || pinyin_text"  # the whole text: written and pinyin
            raw.execute("CREATE VIRTUAL TABLE fts USING fts5(search_text, tokenize='trigram')")
            raw.execute(f"INSERT INTO fts(rowid, search_text) SELECT id, {whole} FROM enterprise")
            strategies = {
                "instr": lambda q: raw.execute(
                    f"SELECT id FROM enterprise WHERE instr({whole}, ?) > 0 ORDER BY id LIMIT ?",
                    (normalize(q), LIMIT),
                ).fetchall(),
                # Right after a bulk write: the pinyin of every row still pending, found by a scan.
                "store query, pinyin pending": lambda q: search_enterprises(conn, q, limit=LIMIT),
                "CATCH-UP": None,
                "store query (FTS5 for 3+ chars)": lambda q: search_enterprises(conn, q, limit=LIMIT),
                # Trigram FTS needs 3+ characters; shorter queries fall back to a scan like instr.
                "FTS5 trigram, one index": lambda q: (
                    raw.execute(
                        "SELECT rowid FROM fts WHERE search_text MATCH ? ORDER BY rowid LIMIT ?",
                        (f'"{normalize(q)}"', LIMIT),
                    ).fetchall()
                    if len(normalize(q)) >= 3
                    else search_enterprises(conn, q, limit=LIMIT)
                ),
            }
            for name, run in strategies.items():
                if run is None:  # what the app's storage worker does after the import
                    t = time.perf_counter()
                    while index_pending_pinyin(conn):  # this bench's one connection holds the writes
                        pass
                    conn.commit()
                    print(f"(pinyin index filled in {time.perf_counter() - t:.1f} s)")
                    continue
                print(name)
                every: list[float] = []
                for kind, queries in QUERIES.items():
                    if name.startswith("FTS5 trigram, one index") and kind == "two terms":
                        continue  # this lane takes a query as one phrase
                    samples = timed(run, queries)
                    every.extend(samples)
                    report(kind, samples)
                report("all", every)
        ws.close()


if __name__ == "__main__":
    main()
