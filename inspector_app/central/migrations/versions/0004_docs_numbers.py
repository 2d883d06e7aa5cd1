"""number blocks: the unit's 执法文书 numbers handed out to laptops in blocks

Revision ID: 0004_docs
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_docs"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "number_blocks",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_upto", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_number_blocks_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_blocks")),
        sa.UniqueConstraint("kind", "year", "first_number", name=op.f("uq_number_blocks_kind")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_number_blocks_holder", "number_blocks", ["user_id", "device_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_number_blocks_holder", table_name="number_blocks")
    op.drop_table("number_blocks")
