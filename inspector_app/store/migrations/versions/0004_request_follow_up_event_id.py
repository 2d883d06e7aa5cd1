"""request follow-ups get a permanent event id and travel to the office

Each follow-up of a 诉求 gets a UUID made on the laptop (its key on the office server, so a
replayed push is a no-op). Outbox entries of entity "request" were keyed by the request id,
one per follow-up and written in the same transaction; they are re-keyed to the event id of
their follow-up: the k-th entry of a request is its k-th follow-up (both ids ascend together).

Revision ID: 0004
Revises: 0003
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requestfollowup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.String(length=36), nullable=False, server_default=""))
    conn = op.get_bind()
    follow_ups: dict[str, list[str]] = {}
    for row_id, request_id in conn.execute(sa.text("SELECT id, request_id FROM requestfollowup ORDER BY id")):
        event_id = str(uuid.uuid4())
        conn.execute(
            sa.text("UPDATE requestfollowup SET event_id = :e WHERE id = :i"), {"e": event_id, "i": row_id}
        )
        follow_ups.setdefault(request_id, []).append(event_id)
    entries: dict[str, list[int]] = {}
    for row_id, request_id in conn.execute(
        sa.text("SELECT id, entity_id FROM outbox WHERE entity = 'request' ORDER BY id")
    ):
        entries.setdefault(request_id, []).append(row_id)
    for request_id, outbox_ids in entries.items():
        for outbox_id, event_id in zip(outbox_ids, follow_ups.get(request_id, []), strict=False):
            conn.execute(
                sa.text("UPDATE outbox SET entity_id = :e WHERE id = :i"), {"e": event_id, "i": outbox_id}
            )
    with op.batch_alter_table("requestfollowup", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_requestfollowup_event_id"), ["event_id"], unique=True)


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE outbox SET entity_id = (SELECT request_id FROM requestfollowup f "
            "WHERE f.event_id = outbox.entity_id) "
            "WHERE entity = 'request' AND entity_id IN (SELECT event_id FROM requestfollowup)"
        )
    )
    with op.batch_alter_table("requestfollowup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_requestfollowup_event_id"))
        batch_op.drop_column("event_id")
