"""The register's staff figures of a set of enterprises, read in one query (the 企业名录 page's
员工总数 / 到岗人数 columns beside its search results)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from inspector_app.store.enterprises import ENTERPRISE

CHUNK = 500  # bound parameters per query, well under SQLite's limit


def staff_figures(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[int | None, int | None]]:
    """enterprise id → (staff_total, staff_on_site)."""
    wanted = list(ids)
    out: dict[int, tuple[int | None, int | None]] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = conn.execute(
            select(ENTERPRISE.c.id, ENTERPRISE.c.staff_total, ENTERPRISE.c.staff_on_site).where(
                ENTERPRISE.c.id.in_(wanted[start:start + CHUNK]))
        )
        for row in rows:
            out[row.id] = (row.staff_total, row.staff_on_site)
    return out
