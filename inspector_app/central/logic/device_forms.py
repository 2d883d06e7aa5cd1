"""The form versions each laptop holds, as it reports them with each pull (wire.forms_held).

Written only when the report differs from what is stored, so an ordinary pull stays a read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, select

from inspector_app.central.db import tables as t
from inspector_app.central.logic.auth import Principal


def stored(conn: Connection, p: Principal) -> dict[str, str]:
    d = t.device_forms.c
    rows = conn.execute(
        select(d.form_code, d.version).where(d.user_id == p.user_id, d.device_id == p.device_id)
    ).all()
    return {str(code): str(version) for code, version in rows}


def record(
    conn: Connection, p: Principal, held: Mapping[str, str], now: datetime, device_name: str | None = None
) -> None:
    """Replace what this user's device holds with ``held`` (the device named as it logged in)."""
    d = t.device_forms.c
    name = device_name or conn.execute(
        select(t.device_tokens.c.device_name).where(t.device_tokens.c.id == p.token_id)
    ).scalar_one_or_none()
    conn.execute(t.device_forms.delete().where(d.user_id == p.user_id, d.device_id == p.device_id))
    if held:
        conn.execute(
            t.device_forms.insert(),
            [
                {
                    "user_id": p.user_id,
                    "device_id": p.device_id,
                    "form_code": code,
                    "version": version,
                    "device_name": (name or "")[:200],
                    "reported_at": now,
                }
                for code, version in held.items()
            ],
        )
