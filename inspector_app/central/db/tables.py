"""Tables of the central server (SQLAlchemy Core: the same definitions serve PostgreSQL and SQLite).

Alembic migrations in ``central/migrations`` are compared against this metadata.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# BigInteger keys still autoincrement on SQLite only as INTEGER: this variant keeps both happy.
BigId = BigInteger().with_variant(Integer(), "sqlite")

teams = Table(
    "teams",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

grids = Table(
    "grids",
    metadata,
    Column("name", String(100), primary_key=True),
    # A grid given to a team brings every enterprise of the grid, present and future, to the team.
    Column("team", String(100), ForeignKey("teams.name"), nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("badge_number", String(50), nullable=False),
    Column("role", String(20), nullable=False),
    Column("team", String(100), ForeignKey("teams.name"), nullable=True),
    Column("password_hash", String(200), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

device_tokens = Table(
    "device_tokens",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False, index=True),
    Column("device_id", String(36), nullable=False),
    Column("device_name", String(200), nullable=False, default=""),
    # Only a hash is stored: a leaked database does not hand out working tokens.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
    Column("clock_skew_seconds", Float, nullable=True),
)

enterprises = Table(
    "enterprises",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("credit_code", String(18), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("address", Text, nullable=False, default=""),
    Column("grid", String(100), nullable=False, default="", index=True),
    Column("category", String(100), nullable=False, default=""),
    Column("industry", String(200), nullable=False, default=""),
    Column("size_class", String(50), nullable=False, default=""),
    Column("legal_representative", String(200), nullable=False, default=""),
    Column("contact", String(200), nullable=False, default=""),
    Column("phone", String(100), nullable=False, default=""),
    Column("staff_total", Integer, nullable=True),
    Column("staff_on_site", Integer, nullable=True),
    Column("resumption_status", String(20), nullable=False, default="未复工"),
    Column("extra_json", Text, nullable=False, default="{}"),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

assignments = Table(
    "assignments",
    metadata,
    Column("enterprise_id", BigId, ForeignKey("enterprises.id"), primary_key=True),
    Column("team", String(100), ForeignKey("teams.name"), nullable=False, index=True),
    Column("visits_per_week", Integer, nullable=False, default=3),
    Column("assigned_on", Date, nullable=False),
)

forms = Table(
    "forms",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("version", String(32), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("yaml", Text, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
)

visits = Table(
    "visits",
    metadata,
    Column("id", String(36), primary_key=True),  # the laptop's UUID, permanent
    Column("content_hash", String(64), nullable=False),
    Column("document_json", Text, nullable=False),  # exactly the frozen document that was pushed
    Column("enterprise_code", String(18), nullable=False, index=True),
    Column("form_code", String(64), nullable=False),
    Column("form_version", String(32), nullable=False),
    Column("team", String(100), nullable=True, index=True),
    Column("pushed_by", BigId, ForeignKey("users.id"), nullable=False),
    Column("completed_at_client", String(40), nullable=False),
    Column("pushed_at", DateTime(timezone=True), nullable=False),  # server time: authoritative
    Column("clock_skew_seconds", Float, nullable=True),
    # Set once every manifest file has arrived with a checked sha256: only then is it "received".
    Column("received_at", DateTime(timezone=True), nullable=True),
)

visit_files = Table(
    "visit_files",
    metadata,
    Column("visit_id", String(36), ForeignKey("visits.id"), primary_key=True),
    Column("sha256", String(64), primary_key=True, index=True),
    Column("size", BigInteger, nullable=False),
)

files = Table(
    "files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

enterprise_edits = Table(
    "enterprise_edits",
    metadata,
    Column("id", String(80), primary_key=True),  # "<device id>/<laptop change id>", permanent
    Column("enterprise_id", BigId, ForeignKey("enterprises.id"), nullable=False, index=True),
    Column("field", String(40), nullable=False),
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Column("base_version", Integer, nullable=False),
    Column("changed_at_client", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(200), nullable=False, default=""),
    Column("pushed_by", BigId, ForeignKey("users.id"), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # applied / conflict / kept_field / kept_office
    Column("status", String(20), nullable=False, index=True),
    Column("note", Text, nullable=False, default=""),
)

finding_events = Table(
    "finding_events",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("finding_id", String(36), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("at_client", DateTime(timezone=True), nullable=False),
    Column("visit_id", String(36), nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("new_deadline", Date, nullable=True),
    Column("pushed_by", BigId, ForeignKey("users.id"), nullable=False),
    Column("team", String(100), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# 诉求 (requests) recorded at visits and their follow-ups. A request is created by its visit or by
# its first follow-up, whichever arrives first (the follow-up carries what the request says);
# ``status`` is that of its latest follow-up.
enterprise_requests = Table(
    "enterprise_requests",
    metadata,
    Column("id", String(36), primary_key=True),  # the laptop's UUID, permanent
    Column("enterprise_code", String(18), nullable=False, index=True),
    Column("visit_id", String(36), nullable=True),
    Column("category", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("team", String(100), nullable=True, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

request_follow_ups = Table(
    "request_follow_ups",
    metadata,
    Column("id", String(36), primary_key=True),  # the laptop's event id: a replay is a no-op
    Column("request_id", String(36), ForeignKey("enterprise_requests.id"), nullable=False, index=True),
    Column("at_client", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("by", String(200), nullable=False),
    Column("pushed_by", BigId, ForeignKey("users.id"), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# The pull feed. Each row says "this key changed, for this bucket"; the current state is read at
# pull time. ``txid`` is the PostgreSQL transaction id (0 on SQLite) so that a reader can hold back
# rows of transactions that may still commit before older ones (see logic/changes.py).
change_log = Table(
    "change_log",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("txid", BigInteger, nullable=False, default=0),
    Column("bucket", String(120), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("key", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_change_log_bucket_txid_seq", "bucket", "txid", "seq"),
    Index("ix_change_log_txid_seq", "txid", "seq"),
    sqlite_autoincrement=True,
)

# ------------------------------------------------------------------ trust (issue 11: sync integrity)
# Kept together so that the other additions to this file stay separate from these.

# The public key a device registered, through an authenticated login, for signing sync bundles.
# A bundle is believed to come from (user, device) only when its signature checks with this key.
device_keys = Table(
    "device_keys",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("device_id", String(36), primary_key=True),
    Column("algorithm", String(20), nullable=False),
    Column("public_key", String(100), nullable=False),  # base64 of the raw key
    Column("token_id", BigId, ForeignKey("device_tokens.id"), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)

# Who has shown the bytes of a stored file (uploaded it, or brought it in their bundle). A visit
# counts a file as arrived only when the visit's pusher holds it: knowing a sha256 is not enough.
file_holders = Table(
    "file_holders",
    metadata,
    Column("sha256", String(64), ForeignKey("files.sha256"), primary_key=True),
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True, index=True),
    Column("proven_at", DateTime(timezone=True), nullable=False),
)

# ------------------------------------------------------------------ end of trust block
# ------------------------------------------------------------------ office console (console/)
# Who may use the office console, and as what. Users of the sync API keep their role in
# ``users.role``; the console's roles (office staff, viewer) are not the laptops' business.
console_roles = Table(
    "console_roles",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("role", String(20), nullable=False),  # admin / office / leader / viewer
)

# The register's search text (register.search_text: name, code, address and their pinyin) of each
# enterprise at the version it was made from; the console refreshes rows whose version moved on.
console_enterprise_search = Table(
    "console_enterprise_search",
    metadata,
    Column("enterprise_id", BigId, ForeignKey("enterprises.id"), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("search_text", Text, nullable=False),
)

# Which form versions each laptop holds, as it reports them with each pull (wire.FORMS_HELD_HEADER).
device_forms = Table(
    "device_forms",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("device_id", String(36), primary_key=True),
    Column("form_code", String(100), primary_key=True),
    Column("version", String(50), nullable=False),
    Column("device_name", String(200), nullable=False, default=""),
    Column("reported_at", DateTime(timezone=True), nullable=False),
)

# 诉求 sub-groups the office configures (综合组, 惠企政策 …) and which one follows up each request.
console_sub_groups = Table(
    "console_sub_groups",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

console_request_routes = Table(
    "console_request_routes",
    metadata,
    Column("request_id", String(36), ForeignKey("enterprise_requests.id"), primary_key=True),
    Column("sub_group", String(100), ForeignKey("console_sub_groups.name"), nullable=False, index=True),
    Column("routed_at", DateTime(timezone=True), nullable=False),
    Column("routed_by", String(100), nullable=False),
)

# Visits the server refused at push (any door: batch, single PUT, bundle), for the console's
# reviewers: what, from whom, when and why. One row per visit id and pusher (a laptop retrying
# the same refusal updates it), written by push_visits in the push's transaction.
console_refusals = Table(
    "console_refusals",
    metadata,
    Column("visit_id", String(36), primary_key=True),
    Column("username", String(100), primary_key=True),
    Column("team", String(100), nullable=True),
    Column("enterprise_code", String(40), nullable=False, default=""),
    Column("enterprise_name", String(200), nullable=False, default=""),
    Column("form", String(100), nullable=False, default=""),  # code@version as the document names it
    Column("reason", Text, nullable=False),
    Column("http_status", Integer, nullable=False),
    Column("first_at", DateTime(timezone=True), nullable=False),
    Column("last_at", DateTime(timezone=True), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=1),
)

# The read model: projected from each frozen visit document when it is stored (and by
# ``inspector-central console backfill``), so the console's figures are indexed queries.
console_visits = Table(
    "console_visits",
    metadata,
    Column("visit_id", String(36), ForeignKey("visits.id"), primary_key=True),
    Column("enterprise_code", String(18), nullable=False),
    Column("team", String(100), nullable=True),
    Column("grid", String(100), nullable=False, default=""),  # the enterprise's grid when received
    Column("category", String(100), nullable=False, default=""),
    Column("form_code", String(64), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("outcome", String(40), nullable=False, default=""),
    Column("visit_day", Date, nullable=False),  # the inspector's calendar day of completion
    Column("completed_at", String(40), nullable=False),
    Column("inspectors", Text, nullable=False, default=""),  # badge numbers, "、"-joined, for display
    Column("findings", Integer, nullable=False, default=0),
    Index("ix_console_visits_day_team", "visit_day", "team"),
    # Covers a team's 家 (distinct enterprises) over a period without reading the rows.
    Index("ix_console_visits_team_day", "team", "visit_day", "kind", "enterprise_code"),
    Index("ix_console_visits_grid_day", "grid", "visit_day"),
    # One probe per enterprise answers "inspected in the period (by this team)?": 家 without a scan.
    Index("ix_console_visits_enterprise_day", "enterprise_code", "visit_day", "team", "kind"),
)

console_visit_inspectors = Table(
    "console_visit_inspectors",
    metadata,
    Column("visit_id", String(36), ForeignKey("visits.id"), primary_key=True),
    Column("badge_number", String(50), primary_key=True),
    Column("visit_day", Date, nullable=False),
    Column("team", String(100), nullable=True),
    Index("ix_console_visit_inspectors_day", "visit_day", "badge_number", "team"),
)

console_findings = Table(
    "console_findings",
    metadata,
    Column("finding_id", String(36), primary_key=True),
    Column("visit_id", String(36), nullable=False, index=True),
    Column("enterprise_code", String(18), nullable=False, index=True),
    Column("team", String(100), nullable=True),
    Column("grid", String(100), nullable=False, default=""),
    Column("severity", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("order_kind", String(20), nullable=False, default=""),
    Column("found_on", Date, nullable=False),
    Column("deadline", Date, nullable=False),
    Column("status", String(20), nullable=False),  # domain FindingStatus: open / rectified / closed
    Column("rectified_on", Date, nullable=True),  # reported fixed (or verified, if never reported)
    Column("closed_on", Date, nullable=True),  # verified on site by a re-inspection: 销号
    Column("closed_by_visit", String(36), nullable=True),
    # The figures' two questions, each answered from an index alone: what is still open (and
    # overdue), and what was raised in a period (and since rectified or closed).
    Index(
        "ix_console_findings_status_deadline", "status", "deadline", "team", "grid", "severity", "finding_id"
    ),
    Index("ix_console_findings_team_status", "team", "status", "deadline"),
    Index(
        "ix_console_findings_found", "found_on", "team", "grid", "severity", "rectified_on", "closed_on"
    ),
)

# Counts per day, team and grid, kept by the projection as visits arrive (a few thousand rows a
# season), so 家次, 复查, findings raised and the daily chart need no scan of the visits.
console_rollup = Table(
    "console_rollup",
    metadata,
    Column("day", Date, primary_key=True),
    Column("team", String(100), primary_key=True),  # "" for a visit pushed by someone without a team
    Column("grid", String(100), primary_key=True),
    Column("inspections", Integer, nullable=False, default=0),
    Column("rechecks", Integer, nullable=False, default=0),
    Column("raised", Integer, nullable=False, default=0),  # findings whose found_on is this day
    Column("raised_major", Integer, nullable=False, default=0),
    # Of the findings raised this day, how many are now rectified (reported or verified) / closed.
    Column("rectified", Integer, nullable=False, default=0),
    Column("closed", Integer, nullable=False, default=0),
    Column("major_closed", Integer, nullable=False, default=0),
)

# Findings not yet closed, counted by deadline, team, grid and severity (kept by the projection):
# "open", "overdue" and "due today" are sums over a few thousand rows, whatever the season's size.
console_open_findings = Table(
    "console_open_findings",
    metadata,
    Column("deadline", Date, primary_key=True),
    Column("team", String(100), primary_key=True),  # "" when pushed by someone without a team
    Column("grid", String(100), primary_key=True),
    Column("severity", String(20), primary_key=True),
    Column("findings", Integer, nullable=False, default=0),
)

# Visits each inspector took part in, per day (the 总览's per-inspector table).
console_inspector_days = Table(
    "console_inspector_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("badge_number", String(50), primary_key=True),
    Column("team", String(100), primary_key=True),  # "" when pushed by someone without a team
    Column("visits", Integer, nullable=False, default=0),
)

# Finding follow-ups pushed on their own (reported_rectified …) are folded into console_findings
# by a catch-up step; this holds how far it has read, so it never scans the whole event table.
console_state = Table(
    "console_state",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

# The catch-up reads finding_events by arrival.
Index("ix_finding_events_received_at", finding_events.c.received_at, finding_events.c.id)

__all__ = [
    "assignments",
    "change_log",
    "console_enterprise_search",
    "console_findings",
    "console_inspector_days",
    "console_open_findings",
    "console_refusals",
    "console_request_routes",
    "console_roles",
    "console_rollup",
    "console_state",
    "console_sub_groups",
    "console_visit_inspectors",
    "console_visits",
    "device_forms",
    "device_keys",
    "device_tokens",
    "enterprise_edits",
    "enterprise_requests",
    "enterprises",
    "file_holders",
    "files",
    "finding_events",
    "forms",
    "grids",
    "metadata",
    "request_follow_ups",
    "teams",
    "users",
    "visit_files",
    "visits",
]


# ================================================================== security (migration 0003_security)
# Kept in one block: the audit trail, the upload quota and the unique badge number.

# Who did what, when, from where: logins (good, failed, held off), logouts, pushes, bundle
# imports, admin actions. Written by logic/audit.py only; read by `inspector-central audit`.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("actor", String(100), nullable=False, default=""),  # the account that acted ("" unknown)
    Column("subject", String(200), nullable=False, default=""),  # the account or thing acted upon
    Column("address", String(64), nullable=False, default=""),  # client address ("" local command)
    Column("detail", Text, nullable=False, default=""),
    # The login throttle counts an account's and an address's recent failures.
    Index("ix_audit_log_action_subject_at", "action", "subject", "at"),
    Index("ix_audit_log_action_address_at", "action", "address", "at"),
    sqlite_autoincrement=True,
)

# Bytes each account uploaded per UTC day: a stolen or broken laptop cannot fill the office's disk.
upload_usage = Table(
    "upload_usage",
    metadata,
    Column("user_id", BigId, ForeignKey("users.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("bytes", BigInteger, nullable=False, default=0),
)

# A badge number (执法证号) names one inspector: visits are read and pushed by badge. Admins may
# have none (""), every other badge is unique.
Index(
    "uq_users_badge_number",
    users.c.badge_number,
    unique=True,
    sqlite_where=users.c.badge_number != "",
    postgresql_where=users.c.badge_number != "",
)

__all__ += ["audit_log", "upload_usage"]

# ================================================================== number blocks (migration 0004_docs)
# The unit's 执法文书 numbers: one sequence per document kind and year, handed out in blocks to each
# user's laptop (logic/numbers.py). Blocks never overlap, so a number is unique across the unit.
number_blocks = Table(
    "number_blocks",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("year", Integer, nullable=False),
    Column("first_number", Integer, nullable=False),
    Column("last_number", Integer, nullable=False),
    Column("user_id", BigId, ForeignKey("users.id"), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("allocated_at", DateTime(timezone=True), nullable=False),
    # The highest number of the block the laptop said it used (0: none yet), and when it said so.
    Column("used_upto", Integer, nullable=False, default=0),
    Column("reported_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("kind", "year", "first_number"),
    Index("ix_number_blocks_holder", "user_id", "device_id"),
    sqlite_autoincrement=True,
)

__all__ += ["number_blocks"]
