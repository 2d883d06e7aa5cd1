"""office console: search text of the register, the form versions each laptop holds, and the
office and viewer roles as sync roles (users that were inspectors only to hold a console role)

Revision ID: 0004_console
Revises: 0003
Create Date: 2026-11-30 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_console"
down_revision = "0004_docs"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "console_enterprise_search",
        sa.Column("enterprise_id", BigId, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_console_enterprise_search_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_console_enterprise_search")),
    )
    op.create_table(
        "device_forms",
        sa.Column("user_id", BigId, nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("form_code", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column("device_name", sa.String(length=200), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_device_forms_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "device_id", "form_code", name=op.f("pk_device_forms")),
    )
    # Office staff and viewers were stored as inspectors holding a console role: they become
    # accounts of their own role, which the sync API refuses.
    op.execute(
        "UPDATE users SET role = (SELECT role FROM console_roles WHERE console_roles.user_id = users.id) "
        "WHERE role = 'inspector' AND id IN "
        "(SELECT user_id FROM console_roles WHERE role IN ('office', 'viewer'))"
    )


def downgrade() -> None:
    op.execute("UPDATE users SET role = 'inspector' WHERE role IN ('office', 'viewer')")
    op.drop_table("device_forms")
    op.drop_table("console_enterprise_search")
