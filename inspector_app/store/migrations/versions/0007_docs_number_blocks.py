"""blocks of 执法文书 numbers the office hands to the laptop at sync; the people met on site

The office's number blocks (services/documents.py), and the person in charge on site and the
witness of a visit (services/site_people.py).

Revision ID: 0007_docs
Revises: 0006_trust
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_docs"
down_revision: str | None = "0006_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "numberblock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("used_upto", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id"),
    )


    op.create_table(
        "siteperson",
        sa.Column("visit_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("id_number", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.PrimaryKeyConstraint("visit_id", "role"),
    )


def downgrade() -> None:
    op.drop_table("siteperson")
    op.drop_table("numberblock")
