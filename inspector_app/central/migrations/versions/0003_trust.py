"""device keys: the public key each device registers at login to sign its sync bundles

Revision ID: 0003_trust
Revises: 0002
Create Date: 2026-11-30 07:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_trust"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_keys",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("token_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"], ["device_tokens.id"], name=op.f("fk_device_keys_token_id_device_tokens")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_device_keys_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "device_id", name=op.f("pk_device_keys")),
    )


def downgrade() -> None:
    op.drop_table("device_keys")
