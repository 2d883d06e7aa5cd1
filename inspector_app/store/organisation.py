"""Queries and writes on the street's organisation: grids, categories, teams, inspectors and the
assignment of enterprises to teams with their cadence (分片包干). The register itself (enterprises)
is ``store.enterprises``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.batches import chunks
from inspector_app.store import tables

GRID: Table = tables.Grid.__table__  # type: ignore[attr-defined]
CATEGORY: Table = tables.Category.__table__  # type: ignore[attr-defined]
TEAM: Table = tables.Team.__table__  # type: ignore[attr-defined]
INSPECTOR: Table = tables.Inspector.__table__  # type: ignore[attr-defined]
ASSIGNMENT: Table = tables.Assignment.__table__  # type: ignore[attr-defined]


def _ensure_names(conn: Connection, table: Table, names: Iterable[str]) -> list[str]:
    wanted = sorted({n for n in names if n})
    if not wanted:
        return []
    existing: set[str] = set()
    for chunk in chunks(wanted):
        existing.update(conn.execute(select(table.c.name).where(table.c.name.in_(chunk))).scalars())
    created = [n for n in wanted if n not in existing]
    if created:
        start = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        rows: list[dict[str, Any]] = [{"name": n} for n in created]
        if "sort_order" in table.c:
            for i, row in enumerate(rows):
                row["sort_order"] = start + i
        conn.execute(sqlite_insert(table).on_conflict_do_nothing(), rows)
    return created


def ensure_grids(conn: Connection, names: Iterable[str]) -> list[str]:
    """Create the grids not known yet; returns the names created (grids are data, not code)."""
    return _ensure_names(conn, GRID, names)


def ensure_categories(conn: Connection, names: Iterable[str]) -> list[str]:
    return _ensure_names(conn, CATEGORY, names)


def ensure_teams(conn: Connection, names: Iterable[str]) -> list[str]:
    return _ensure_names(conn, TEAM, names)


def list_names(conn: Connection, table: Table) -> list[str]:
    order = [table.c.sort_order, table.c.name] if "sort_order" in table.c else [table.c.name]
    return list(conn.execute(select(table.c.name).order_by(*order)).scalars())


def list_grids(conn: Connection) -> list[str]:
    return list_names(conn, GRID)


def list_categories(conn: Connection) -> list[str]:
    return list_names(conn, CATEGORY)


def list_teams(conn: Connection) -> list[str]:
    return list_names(conn, TEAM)


def upsert_grid(conn: Connection, name: str, *, kind: str = "", sort_order: int = 0) -> None:
    stmt = sqlite_insert(GRID).values(name=name, kind=kind, sort_order=sort_order)
    conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"kind": kind}))


def upsert_team(conn: Connection, name: str, *, leader: str = "") -> None:
    stmt = sqlite_insert(TEAM).values(name=name, leader=leader)
    conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"leader": leader}))


def upsert_inspector(
    conn: Connection,
    badge_number: str,
    name: str,
    *,
    team: str | None = None,
    role: str = "inspector",
    active: bool = True,
) -> None:
    values = {"badge_number": badge_number, "name": name, "team": team, "role": role, "active": active}
    stmt = sqlite_insert(INSPECTOR).values(**values)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["badge_number"], set_={k: v for k, v in values.items() if k != "badge_number"}
        )
    )


def list_inspectors(conn: Connection, team: str | None = None) -> list[dict[str, Any]]:
    stmt = select(INSPECTOR).order_by(INSPECTOR.c.team, INSPECTOR.c.badge_number)
    if team is not None:
        stmt = stmt.where(INSPECTOR.c.team == team)
    return [dict(r) for r in conn.execute(stmt).mappings()]


# An enterprise given to a team (cadence 3 a week when new; an existing assignment keeps its own).
ASSIGN_ROWS = (
    "INSERT INTO assignment (enterprise_id, team, visits_per_week, assigned_on) VALUES (?, ?, 3, ?) "
    "ON CONFLICT (enterprise_id) DO UPDATE SET team = excluded.team"
)


def assign_teams(conn: Connection, assignments: Sequence[tuple[int, str]], assigned_on: date) -> None:
    """Give each enterprise (id, team) to a team; an existing assignment keeps its cadence and history."""
    if not assignments:
        return
    # Straight to the driver with tuples (an import assigns up to every row of the register).
    to_db = ASSIGNMENT.c.assigned_on.type.bind_processor(conn.dialect)
    day = to_db(assigned_on) if to_db is not None else assigned_on
    conn.exec_driver_sql(ASSIGN_ROWS, [(i, t, day) for i, t in assignments])


def set_assignment(
    conn: Connection,
    enterprise_id: int,
    team: str,
    *,
    visits_per_week: int,
    assigned_on: date,
    last_visit_on: date | None = None,
) -> None:
    values = {
        "enterprise_id": enterprise_id,
        "team": team,
        "visits_per_week": visits_per_week,
        "assigned_on": assigned_on,
        "last_visit_on": last_visit_on,
    }
    stmt = sqlite_insert(ASSIGNMENT).values(**values)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["enterprise_id"], set_={k: v for k, v in values.items() if k != "enterprise_id"}
        )
    )
