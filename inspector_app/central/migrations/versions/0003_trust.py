"""device keys (the public key each device registers at login to sign its sync bundles) and file
holders (who has shown the bytes of each stored file)

Files already stored count as held by the pushers of the visits citing them, so visits received
before this revision stay received.

Revision ID: 0003_trust
Revises: 0002
Create Date: 2026-11-30 07:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_trust"
down_revision = "0003_security"
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
    op.create_table(
        "file_holders",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("proven_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["files.sha256"], name=op.f("fk_file_holders_sha256_files")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_file_holders_user_id_users")),
        sa.PrimaryKeyConstraint("sha256", "user_id", name=op.f("pk_file_holders")),
    )
    with op.batch_alter_table("file_holders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_file_holders_user_id"), ["user_id"], unique=False)
    op.execute(
        "INSERT INTO file_holders (sha256, user_id, proven_at) "
        "SELECT DISTINCT vf.sha256, v.pushed_by, f.stored_at FROM visit_files vf "
        "JOIN visits v ON v.id = vf.visit_id JOIN files f ON f.sha256 = vf.sha256"
    )


def downgrade() -> None:
    with op.batch_alter_table("file_holders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_file_holders_user_id"))
    op.drop_table("file_holders")
    op.drop_table("device_keys")
