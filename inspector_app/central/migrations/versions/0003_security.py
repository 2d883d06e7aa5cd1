"""security: the audit trail, the daily upload quota, unique badge numbers

Revision ID: 0003_security
Revises: 0002
Create Date: 2026-11-30 07:20:00

Badge numbers shared by several users before this revision (a user given another's badge could
read and push that inspector's visits) are cleared for every user sharing one: which of them is
the badge's real holder only the office knows. The audit trail says whom; an admin gives each
their own with ``inspector-central users badge USER NUMBER``.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0003_security"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_log_action_subject_at", ["action", "subject", "at"], unique=False)
        batch_op.create_index("ix_audit_log_action_address_at", ["action", "address", "at"], unique=False)

    op.create_table(
        "upload_usage",
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_upload_usage_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_upload_usage")),
    )

    conn = op.get_bind()
    shared = conn.execute(
        sa.text(
            "SELECT badge_number FROM users WHERE badge_number <> '' "
            "GROUP BY badge_number HAVING COUNT(*) > 1"
        )
    ).scalars().all()
    now = datetime.now(UTC)
    for badge in shared:
        holders = conn.execute(
            sa.text("SELECT username FROM users WHERE badge_number = :b ORDER BY username"), {"b": badge}
        ).scalars().all()
        conn.execute(sa.text("UPDATE users SET badge_number = '' WHERE badge_number = :b"), {"b": badge})
        for username in holders:
            conn.execute(
                sa.text(
                    "INSERT INTO audit_log (at, action, ok, actor, subject, address, detail) "
                    "VALUES (:at, 'admin.user_badge', :ok, '(数据库升级)', :u, '', :d)"
                ),
                {
                    "at": now,
                    "ok": True,
                    "u": username,
                    "d": f"执法证号 {badge} 同时属于 {'、'.join(holders)}，已清除；请为每人重新设置",
                },
            )
    op.create_index(
        "uq_users_badge_number",
        "users",
        ["badge_number"],
        unique=True,
        sqlite_where=sa.text("badge_number != ''"),
        postgresql_where=sa.text("badge_number != ''"),
    )


def downgrade() -> None:
    op.drop_index("uq_users_badge_number", table_name="users")
    op.drop_table("upload_usage")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_action_address_at")
        batch_op.drop_index("ix_audit_log_action_subject_at")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")
