"""the pinyin of the register's search text gets an index of its own, filled after an import

The trigram index over name, code, address and their pinyin cost an import of 100,000 rows 2.4 s,
two thirds of it the pinyin (twice the text). ``search_text`` now holds what is written (name,
code, address) and ``pinyin_text`` its pinyin, each in a trigram index of its own: an import fills
the first in its transaction, as before, and lists its new rows in ``pinyin_pending``; the storage
worker indexes their pinyin afterwards, a few thousand rows a transaction
(store.search.index_pending_pinyin). Until then a pinyin term is looked for in the pending rows'
text by a scan (store.search), so no row is ever missing from a search.

The pinyin triggers leave a pending row alone: its pinyin is not in the index, and FTS5 must never
be told to delete what it was not given. Existing rows are split here and their pinyin listed as
pending, so opening an upgraded workspace is not held up by the index either.

Revision ID: 0008_pinyin
Revises: 0007_docs
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_pinyin"
down_revision: str | None = "0007_docs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEPARATOR = "\x1f"  # register.search_text.SEPARATOR, written out: a migration never changes

PINYIN_TRIGGERS = (
    "CREATE TRIGGER enterprise_pinyin_ai AFTER INSERT ON enterprise "
    "WHEN NOT EXISTS (SELECT 1 FROM fts_bulk_load) BEGIN "
    "INSERT INTO enterprise_pinyin_fts(rowid, pinyin_text) VALUES (new.id, new.pinyin_text); END",
    "CREATE TRIGGER enterprise_pinyin_ad AFTER DELETE ON enterprise BEGIN "
    "INSERT INTO enterprise_pinyin_fts(enterprise_pinyin_fts, rowid, pinyin_text) "
    "SELECT 'delete', old.id, old.pinyin_text WHERE NOT EXISTS (SELECT 1 FROM pinyin_pending WHERE id = old.id); "
    "DELETE FROM pinyin_pending WHERE id = old.id; END",
    "CREATE TRIGGER enterprise_pinyin_au AFTER UPDATE OF pinyin_text ON enterprise "
    "WHEN NOT EXISTS (SELECT 1 FROM pinyin_pending WHERE id = old.id) BEGIN "
    "INSERT INTO enterprise_pinyin_fts(enterprise_pinyin_fts, rowid, pinyin_text) "
    "VALUES ('delete', old.id, old.pinyin_text); "
    "INSERT INTO enterprise_pinyin_fts(rowid, pinyin_text) VALUES (new.id, new.pinyin_text); END",
)
WRITTEN_UPDATE_TRIGGER = (
    "CREATE TRIGGER enterprise_fts_au AFTER UPDATE OF search_text ON enterprise BEGIN "
    "INSERT INTO enterprise_fts(enterprise_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO enterprise_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
)


def upgrade() -> None:
    op.add_column("enterprise", sa.Column("pinyin_text", sa.String(), nullable=False, server_default=""))
    op.execute("CREATE TABLE pinyin_pending (id INTEGER PRIMARY KEY)")
    op.execute(
        "CREATE VIRTUAL TABLE enterprise_pinyin_fts USING fts5("
        "pinyin_text, content='enterprise', content_rowid='id', tokenize='trigram')"
    )
    # Split each stored text (name, code, address, then four pinyin forms) without the update
    # trigger, then build the written index once from the new texts.
    op.execute("DROP TRIGGER enterprise_fts_au")
    conn = op.get_bind()
    stored = conn.exec_driver_sql("SELECT id, search_text FROM enterprise").fetchall()
    split = [(*_split(text or ""), eid) for eid, text in stored]
    if split:
        conn.exec_driver_sql("UPDATE enterprise SET search_text = ?, pinyin_text = ? WHERE id = ?", split)
    op.execute("INSERT INTO enterprise_fts(enterprise_fts) VALUES ('rebuild')")
    op.execute(WRITTEN_UPDATE_TRIGGER)
    op.execute("INSERT INTO pinyin_pending (id) SELECT id FROM enterprise")
    for trigger in PINYIN_TRIGGERS:
        op.execute(trigger)


def _split(text: str) -> tuple[str, str]:
    """(name, code and address; the pinyin forms after them): "" for the pinyin of a text that has
    fewer fields (a row written without a search text)."""
    fields = text.split(SEPARATOR, 3)
    return SEPARATOR.join(fields[:3]), fields[3] if len(fields) > 3 else ""


def downgrade() -> None:
    for trigger in ("enterprise_pinyin_ai", "enterprise_pinyin_ad", "enterprise_pinyin_au", "enterprise_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE enterprise_pinyin_fts")
    op.execute("DROP TABLE pinyin_pending")
    op.execute(
        "UPDATE enterprise SET search_text = search_text || "
        f"CASE WHEN pinyin_text = '' THEN '' ELSE char({ord(SEPARATOR)}) || pinyin_text END"
    )
    op.execute("INSERT INTO enterprise_fts(enterprise_fts) VALUES ('rebuild')")
    op.execute(WRITTEN_UPDATE_TRIGGER)
    op.execute("ALTER TABLE enterprise DROP COLUMN pinyin_text")  # SQLite 3.35+: the triggers stay
