"""The plain reference for a register import: the least work that still does the job.

Read a GB18030 CSV with the csv module, check each credit code's check character and each phone,
and write every row in one SQLite WAL transaction with an FTS5 trigram index over name, code and
address. No pinyin, no merging with stored rows, no grids or teams: what any import must at
least pay. bench_register.py runs it side by side with ``inspector-app enterprises import``.

With ``--app-search-text`` the indexed text is the app's own (inspector_app.register.search_text:
name, code and address plus the pinyin of name and address, twice as long): how much of the gap
to the app is the size of what the app's search index holds, rather than how the app writes it.

Usage: .venv/bin/python bench/bench_import_reference.py FILE.csv DB.sqlite [--app-search-text]
"""

from __future__ import annotations

import csv
import io
import re
import resource
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8}(-\d{1,6})?)$")

SCHEMA = """
CREATE TABLE enterprise (
    id INTEGER PRIMARY KEY, credit_code TEXT UNIQUE NOT NULL, name TEXT NOT NULL, address TEXT,
    grid TEXT, category TEXT, industry TEXT, size_class TEXT, legal_representative TEXT,
    contact TEXT, phone TEXT, staff_total INTEGER, staff_on_site INTEGER, resumption_status TEXT,
    team TEXT, search_text TEXT
);
CREATE VIRTUAL TABLE enterprise_fts USING fts5(
    search_text, content='enterprise', content_rowid='id', tokenize='trigram');
"""


def code_ok(code: str) -> bool:
    if len(code) != 18 or any(ch not in VALUE for ch in code):
        return False
    total = sum(VALUE[ch] * w for ch, w in zip(code, WEIGHTS, strict=False))
    return code[17] == ALPHABET[(31 - total % 31) % 31]


def plain_search_text(name: str, code: str, address: str) -> str:
    return "\x1f".join((name.lower(), code.lower(), address.lower()))


def reference_import(path: Path, db: Path, search_text: Any = plain_search_text) -> tuple[int, int]:
    """(rows written, rows refused)."""
    text = path.read_bytes().decode("gb18030")
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)  # the header (bench_register.HEADER's column order)
    rows, refused = [], 0
    for r in reader:
        code = r[1].strip().upper()
        phone = r[9].strip()
        if not code_ok(code) or (phone and not PHONE.match(phone)):
            refused += 1
            continue
        name, address = r[0].strip(), r[2].strip()
        search = search_text(name, code, address)
        rows.append((code, name, address, r[3], r[4], r[5], r[6], r[7], r[8], phone,
                     int(float(r[10])), int(float(r[11])), r[12], r[13], search))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(SCHEMA)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO enterprise (credit_code, name, address, grid, category, industry, size_class, "
        "legal_representative, contact, phone, staff_total, staff_on_site, resumption_status, team, "
        "search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("INSERT INTO enterprise_fts (rowid, search_text) SELECT id, search_text FROM enterprise")
    conn.execute("COMMIT")
    conn.close()
    return len(rows), refused


def main() -> None:
    path, db = Path(sys.argv[1]), Path(sys.argv[2])
    start, cpu0 = time.perf_counter(), time.process_time()
    search_text = plain_search_text
    if "--app-search-text" in sys.argv:
        from inspector_app.register.search_text import search_text  # only with the flag
    written, refused = reference_import(path, db, search_text)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"REFERENCE {elapsed:.3f} {cpu:.3f} {peak_mb:.0f} {written} {refused}")


if __name__ == "__main__":
    main()
