"""pulled records the laptop could not take are set aside with their reason

A record pulled from the office that fails its checks (a photo that is not an image, a document
whose hash does not match, a form whose name would leave the workspace) is kept here instead of
stopping every later sync.

Revision ID: 0006_trust
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_trust"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pulledquarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("payload_json", sa.String(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pulledquarantine_kind", "pulledquarantine", ["kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_pulledquarantine_kind", table_name="pulledquarantine")
    op.drop_table("pulledquarantine")
