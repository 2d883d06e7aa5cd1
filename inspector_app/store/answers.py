"""The hot path of a visit: one answer written, all answers read back, on every keystroke that answers.

Plain SQL through the session's connection: the ORM's unit of work costs more than the write.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session


def save_answer(session: Session, visit_id: str, item_key: str, value: Any, at: datetime) -> None:
    """Insert or replace one answer; ``None`` removes it (an answer taken back)."""
    conn = session.connection()
    if value is None:
        conn.execute(
            text("DELETE FROM answer WHERE visit_id = :v AND item_key = :k"), {"v": visit_id, "k": item_key}
        )
        return
    conn.execute(
        text(
            "INSERT INTO answer (visit_id, item_key, value_json, answered_at) VALUES (:v, :k, :j, :t) "
            "ON CONFLICT (visit_id, item_key) DO UPDATE SET value_json = excluded.value_json, "
            "answered_at = excluded.answered_at"
        ),
        # Stored the way SQLAlchemy stores aware datetimes in SQLite: UTC, no offset.
        {"v": visit_id, "k": item_key, "j": json.dumps(value, ensure_ascii=False),
         "t": at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")},
    )


def load_answers(session: Session, visit_id: str) -> dict[str, Any]:
    rows = session.connection().execute(
        text("SELECT item_key, value_json FROM answer WHERE visit_id = :v"), {"v": visit_id}
    )
    return {k: json.loads(j) for k, j in rows}


def finding_keys(session: Session, visit_id: str) -> dict[tuple[str, str], str]:
    """(item key, option) → finding id, for the findings a draft visit currently has."""
    rows = session.connection().execute(
        text('SELECT item_key, "option", id FROM finding WHERE visit_id = :v'), {"v": visit_id}
    )
    return {(k, o): i for k, o, i in rows}

