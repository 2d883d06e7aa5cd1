"""SQLModel tables of a laptop workspace.

Names and codes are stored as the users see them (Chinese enum values) so that an office clerk
opening the database with any SQLite tool can read it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspector_app.domain.visit import new_id

# Alembic compares against this metadata; every table must be imported here.
metadata = SQLModel.metadata


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


class Grid(SQLModel, table=True):
    name: str = Field(primary_key=True)
    kind: str = ""  # 工业 / 建筑工地 / 居住区 / 出租屋 …
    sort_order: int = 0


class Category(SQLModel, table=True):
    name: str = Field(primary_key=True)
    sort_order: int = 0


class Team(SQLModel, table=True):
    name: str = Field(primary_key=True)
    leader: str = ""


class Inspector(SQLModel, table=True):
    badge_number: str = Field(primary_key=True)  # 执法证号
    name: str
    team: str | None = Field(default=None, foreign_key="team.name")
    role: str = "inspector"  # inspector / leader
    active: bool = True


class Enterprise(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    credit_code: str = Field(unique=True, max_length=18)
    name: str
    address: str = ""
    grid: str | None = Field(default=None, foreign_key="grid.name", index=True)
    category: str | None = Field(default=None, foreign_key="category.name", index=True)
    industry: str = ""
    size_class: str = ""
    legal_representative: str = ""
    contact: str = ""
    phone: str = ""
    staff_total: int | None = None
    staff_on_site: int | None = None
    resumption_status: str = Field(default="未复工", index=True)
    extra_json: str = "{}"
    # What search looks in (register.search_text.search_parts): the lower-cased name, code and
    # address, and apart from them their pinyin (full and initials), indexed after an import.
    search_text: str = ""
    pinyin_text: str = ""
    # Bumped on every change; field edits made on the laptop carry the version they started from.
    version: int = 1
    updated_at: datetime


class EnterpriseChange(SQLModel, table=True):
    """A master-data edit made in the field, kept for the office (sync sends these)."""

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    field_name: str
    old_value: str | None
    new_value: str | None
    base_version: int
    changed_at: datetime
    changed_by: str = ""


class Assignment(SQLModel, table=True):
    enterprise_id: int = Field(foreign_key="enterprise.id", primary_key=True)
    team: str = Field(foreign_key="team.name", index=True)
    visits_per_week: int = 3
    assigned_on: date
    # Kept here (not recomputed from visits) so the worklist over 100,000 rows stays one indexed scan.
    last_visit_on: date | None = Field(default=None, index=True)


class Visit(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)  # client-generated UUID, permanent
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    form_code: str
    form_version: str
    kind: str = "inspection"
    status: str = Field(default="draft", index=True)
    inspectors_json: str = "[]"
    place: str = ""
    started_at: datetime = Field(index=True)
    completed_at: datetime | None = None
    outcome: str = ""
    content_hash: str = ""
    # The frozen canonical document of a completed visit, exactly the bytes the hash covers.
    document_json: str | None = None
    created_by: str = ""


class Answer(SQLModel, table=True):
    visit_id: str = Field(foreign_key="visit.id", primary_key=True)
    item_key: str = Field(primary_key=True)
    value_json: str
    answered_at: datetime


class Attachment(SQLModel, table=True):
    """A content-addressed file in the workspace (photos and signature images)."""

    sha256: str = Field(primary_key=True, max_length=64)
    kind: str  # photo / signature / seal
    mime: str
    size: int
    width: int = 0
    height: int = 0
    original_name: str = ""
    created_at: datetime


class VisitPhoto(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("visit_id", "sha256", "item_key"),)
    id: int | None = Field(default=None, primary_key=True)
    visit_id: str = Field(foreign_key="visit.id", index=True)
    sha256: str = Field(foreign_key="attachment.sha256")
    item_key: str = ""
    caption: str = ""


class Signature(SQLModel, table=True):
    visit_id: str = Field(foreign_key="visit.id", primary_key=True)
    role: str = Field(primary_key=True)  # "inspector:<badge>" or "enterprise"
    signer: str = ""
    sha256: str | None = Field(default=None, foreign_key="attachment.sha256")
    refused_reason: str = ""
    signed_at: datetime


class Finding(SQLModel, table=True):
    __table_args__ = (Index("ix_finding_open_deadline", "status", "deadline"),)
    id: str = Field(primary_key=True, max_length=36)
    visit_id: str = Field(foreign_key="visit.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    item_key: str
    option: str = ""  # the ticked option of a tick-list item
    title: str
    severity: str = "一般"
    description: str = ""
    rectification: str = ""  # 整改要求, defaulted from the form, printed on the notice
    order: str = "限期整改"
    deadline: date
    found_on: date
    legal_basis: str = ""
    status: str = "open"
    closed_by_visit_id: str | None = Field(default=None, foreign_key="visit.id")
    closed_on: date | None = None


class FindingPhoto(SQLModel, table=True):
    finding_id: str = Field(foreign_key="finding.id", primary_key=True)
    sha256: str = Field(foreign_key="attachment.sha256", primary_key=True)
    stage: str = Field(default="found", primary_key=True)  # found / rectified


class FindingEvent(SQLModel, table=True):
    """Append-only follow-ups of a finding; its status is their replay."""

    id: str = Field(primary_key=True, max_length=36)
    finding_id: str = Field(foreign_key="finding.id", index=True)
    kind: str
    at: datetime
    visit_id: str | None = Field(default=None, foreign_key="visit.id")
    note: str = ""
    new_deadline: date | None = None


class RecheckMark(SQLModel, table=True):
    """What a re-inspection visit said of each open finding (已整改 / 未整改)."""

    visit_id: str = Field(foreign_key="visit.id", primary_key=True)
    finding_id: str = Field(foreign_key="finding.id", primary_key=True)
    result: str
    note: str = ""
    new_deadline: date | None = None
    photo_sha256: str | None = Field(default=None, foreign_key="attachment.sha256")
    marked_at: datetime


class EnterpriseRequest(SQLModel, table=True):
    """诉求/困难 recorded at a visit and followed up until resolved."""

    id: str = Field(primary_key=True, max_length=36)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    visit_id: str | None = Field(default=None, foreign_key="visit.id", index=True)
    category: str
    description: str
    status: str = Field(default="待跟进", index=True)
    created_at: datetime
    updated_at: datetime


class RequestFollowUp(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # Made on the laptop, permanent: the follow-up's key on the office server (a replay is a no-op).
    event_id: str = Field(default_factory=new_id, max_length=36, unique=True, index=True)
    request_id: str = Field(foreign_key="enterpriserequest.id", index=True)
    at: datetime
    status: str
    note: str = ""
    by: str = ""


class IssuedDocument(SQLModel, table=True):
    """A numbered official document (整改通知书 …): numbers are unique per unit, kind and year."""

    __table_args__ = (
        UniqueConstraint("issuing_unit", "kind", "year", "number"),
        UniqueConstraint("visit_id", "kind"),  # a visit's notice has one number, however often printed
    )
    id: int | None = Field(default=None, primary_key=True)
    visit_id: str = Field(foreign_key="visit.id", index=True)
    kind: str  # record / notice / recheck
    issuing_unit: str
    year: int
    number: int
    issued_on: date
    # The prefix as it was when the number was given: changing the setting never rewrites old numbers.
    prefix: str = ""


class Outbox(SQLModel, table=True):
    """Changes waiting to reach the central office, written in the transaction that made them."""

    id: int | None = Field(default=None, primary_key=True)
    entity: str  # visit / enterprise_change / finding_event / request
    entity_id: str = Field(index=True)
    account: str = ""  # the inspector whose work it is (several may share one laptop)
    created_at: datetime
    state: str = Field(default="waiting", index=True)  # waiting/sending/sent/quarantined/conflict
    attempts: int = 0
    last_error: str = ""


class NumberBlock(SQLModel, table=True):
    """A block of 执法文书 numbers the office gave this laptop at sync (services/documents.py takes
    numbers from it when a visit completes; sync/numbers.py fetches and reports them)."""

    __table_args__ = (UniqueConstraint("office_id"),)
    id: int | None = Field(default=None, primary_key=True)
    office_id: int  # the block's id on the office server
    account: str  # the login that received it (the holder the office records)
    kind: str
    year: int
    first: int
    last: int
    used_upto: int = 0  # the highest number taken from the block (0: none); only ever grows
    received_at: datetime


class SitePerson(SQLModel, table=True):
    """The person in charge on site (role ``onsite``) or the witness (``witness``) of a visit,
    recorded on its finish page (services/site_people.py) and frozen into its document."""

    visit_id: str = Field(foreign_key="visit.id", primary_key=True)
    role: str = Field(primary_key=True)  # onsite / witness
    name: str = ""
    title: str = ""  # 职务 (onsite)
    id_number: str = ""  # 证件号码 (onsite)
    phone: str = ""  # (onsite)
    unit: str = ""  # 工作单位 (witness)
