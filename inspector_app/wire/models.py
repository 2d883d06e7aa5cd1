"""The documents of the sync protocol (docs/sync-protocol.md), version 1.

Every model forbids unknown fields except the visit document and its parts: a visit is frozen on
the laptop and its hash covers every key it has, so a newer laptop's extra keys are kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    Base64Bytes,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)

from inspector_app.domain.enterprise import MASTER_DATA_FIELDS
from inspector_app.domain.finding import FindingEventKind
from inspector_app.domain.requests import RequestStatus
from inspector_app.domain.visit import content_hash

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"
DOCUMENT_SCHEMA = 1

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", min_length=64, max_length=64)]
# Client-generated ids are kept as text: the exact characters are part of the hashed document.
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
Uuid = Annotated[str, Field(pattern=UUID_PATTERN)]
Name = Annotated[str, Field(max_length=200)]
Text = Annotated[str, Field(max_length=20_000)]
AnswerValue = StrictBool | StrictInt | StrictStr | list[StrictStr] | None

MAX_BATCH = 500
EDITABLE_FIELDS = MASTER_DATA_FIELDS


class Role(StrEnum):
    INSPECTOR = "inspector"
    LEADER = "leader"  # team leader: also pulls the team's visits to print them
    ADMIN = "admin"
    # Accounts of the office console only: no laptop, no badge, no team. The sync API refuses them.
    OFFICE = "office"  # 安监办 staff: change the office's data in the console
    VIEWER = "viewer"  # read-only

    @property
    def syncs(self) -> bool:
        """Whether the account may sign in from a laptop and use the sync API."""
        return self in {Role.INSPECTOR, Role.LEADER, Role.ADMIN}


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(_Wire):
    detail: str


# ------------------------------------------------------------------ auth


class LoginRequest(_Wire):
    username: Name = Field(min_length=1)
    password: Annotated[str, Field(min_length=1, max_length=1000)]
    device_id: Uuid
    device_name: Name = ""


class UserInfo(_Wire):
    username: str
    display_name: str
    role: Role
    team: str | None
    badge_number: str


class LoginResponse(_Wire):
    token: str
    expires_at: datetime
    user: UserInfo
    server_time: datetime


class DeviceKey(_Wire):
    """A device's public key for signing sync bundles, registered with the login it belongs to.

    The laptop keeps the private key (beside its token); the office verifies a bundle only with
    the key registered by an authenticated login of the account and device the bundle names.
    """

    algorithm: Literal["ed25519"] = "ed25519"
    public_key: Annotated[str, Field(pattern=r"^[A-Za-z0-9+/]{43}=$")]  # base64 of 32 bytes


class DeviceKeyRegistered(_Wire):
    username: str
    device_id: str
    registered_at: datetime


# ------------------------------------------------------------------ the visit document


class _Doc(BaseModel):
    # Parts of a frozen document: keys this version does not know are kept (the hash covers them).
    model_config = ConfigDict(extra="allow")


class DocEnterprise(_Doc):
    credit_code: Name
    name: Text


class DocForm(_Doc):
    code: Name
    version: Name


class DocFinding(_Doc):
    id: Uuid
    item_key: Name
    option: Name
    title: Text
    severity: Name
    description: Text
    order: Name
    deadline: Name
    found_on: Name
    legal_basis: Text
    photos: list[Sha256]


class DocRecheck(_Doc):
    finding_id: Uuid
    result: Name
    note: Text
    new_deadline: Name | None
    photo: Sha256 | None


class DocPhoto(_Doc):
    sha256: Sha256
    item_key: Name


class DocSignature(_Doc):
    role: Name
    signer: Name
    sha256: Sha256 | None
    refused_reason: Text


class DocRequest(_Doc):
    id: Uuid
    category: Name
    description: Text


class ManifestEntry(_Doc):
    sha256: Sha256
    size: Annotated[int, Field(ge=0, le=1 << 40)]
    mime: Name
    kind: Name


class DocumentError(ValueError):
    """A visit document that cannot be accepted; the message says why, for the quarantine list."""


# The answer types whose values are files (sha256 hex digests): a photos item's answer is a list of
# them, a signature item's answer one. A document names its file answers in ``file_answers`` (item
# key → type) so that anyone holding the document alone can tell which answers are files.
FILE_ANSWER_TYPES = ("photos", "signature")
FileAnswerType = Literal["photos", "signature"]
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def referenced_files(document: Mapping[str, Any]) -> set[str]:
    """Every file a visit document cites, wherever it cites it: visit photos, signatures, finding
    and recheck photos, and the answers of file items (``file_answers``).

    The one rule for "which files make this record whole": the laptop builds its manifest with it
    and the server decides "received" with it. A citation that is not a sha256 is refused
    (DocumentError), so a document can never cite a file nobody can check.
    """
    shas: list[Any] = []
    shas += [p.get("sha256") for p in _dicts(document.get("photos"))]
    shas += [g.get("sha256") for g in _dicts(document.get("signatures")) if g.get("sha256") is not None]
    for f in _dicts(document.get("findings")):
        shas += list(f.get("photos") or [])
    shas += [m.get("photo") for m in _dicts(document.get("recheck")) if m.get("photo") is not None]
    answers = document.get("answers") or {}
    file_answers = document.get("file_answers") or {}
    if not isinstance(answers, Mapping) or not isinstance(file_answers, Mapping):
        raise DocumentError("检查记录文档的答案格式不符")
    for key, kind in file_answers.items():
        value = answers.get(key)
        if value is None:
            continue
        if kind == "signature" and isinstance(value, str):
            shas.append(value)
        elif kind == "photos" and isinstance(value, list):
            shas += value
        else:
            raise DocumentError(f"检查项 {key} 的答案不是{'签名' if kind == 'signature' else '照片'}文件")
    for sha in shas:
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise DocumentError(f"检查记录引用的文件编号无效（{str(sha)[:20]}）")
    return set(shas)


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


class VisitDocument(BaseModel):
    """A completed visit as the laptop froze it (``VisitService._document`` plus its hash)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_version: StrictInt = Field(alias="schema")
    id: Uuid
    kind: Name
    enterprise: DocEnterprise
    form: DocForm
    inspectors: list[Name] = Field(min_length=1)
    place: Text
    started_at: Name
    completed_at: Name
    outcome: Name
    answers: dict[str, AnswerValue]
    # Which answers are files (item key → type); absent in documents of laptops before it existed.
    file_answers: dict[str, FileAnswerType] = Field(default_factory=dict)
    findings: list[DocFinding]
    recheck: list[DocRecheck]
    photos: list[DocPhoto]
    signatures: list[DocSignature]
    requests: list[DocRequest]
    manifest: list[ManifestEntry]
    content_hash: Sha256

    def referenced_files(self) -> set[str]:
        return referenced_files(self.model_dump(by_alias=True))


def check_document(raw: Any, expected_id: str | None = None) -> VisitDocument:
    """Validate a pushed document: its shape, its hash, and a manifest covering every file it cites.

    The hash is recomputed over the raw mapping (not the parsed model) so that it covers exactly
    the keys and values the laptop froze, including ones this version does not know.
    """
    if not isinstance(raw, dict):
        raise DocumentError("检查记录文档不是 JSON 对象")
    try:
        doc = VisitDocument.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DocumentError(f"检查记录文档格式不符（{where}：{first['msg']}）") from exc
    if doc.schema_version != DOCUMENT_SCHEMA:
        raise DocumentError(f"检查记录文档版本 {doc.schema_version} 不受支持")
    if expected_id is not None and doc.id != expected_id:
        raise DocumentError(f"文档编号 {doc.id} 与提交编号 {expected_id} 不一致")
    try:
        actual = content_hash(raw)
    except (TypeError, ValueError) as exc:
        raise DocumentError(f"检查记录文档无法计算校验值（{exc}）") from exc
    if actual != doc.content_hash:
        raise DocumentError("检查记录内容与其校验值不符（传输中损坏或被改动）")
    listed = {m.sha256 for m in doc.manifest}
    cited = doc.referenced_files()
    unlisted = cited - listed
    if unlisted:
        raise DocumentError(f"附件清单缺少 {len(unlisted)} 个文件（如 {sorted(unlisted)[0][:12]}…）")
    # A manifest lists what the document cites and nothing else: a file is reachable through a
    # visit only when the visit's own content names it.
    uncited = listed - cited
    if uncited:
        example = sorted(uncited)[0][:12]
        raise DocumentError(f"附件清单列有 {len(uncited)} 个文档未引用的文件（如 {example}…）")
    return doc


# ------------------------------------------------------------------ push


class PushVisit(_Wire):
    id: Uuid
    content_hash: Sha256
    # Kept as a plain mapping so that one malformed document is refused alone, not the whole batch;
    # its shape is VisitDocument (see GET /visits/{id}).
    document: dict[str, Any]


EditableField = Literal[
    "name",
    "address",
    "grid",
    "category",
    "industry",
    "size_class",
    "legal_representative",
    "contact",
    "phone",
    "staff_total",
    "staff_on_site",
    "resumption_status",
]
# Spelled out for the OpenAPI schema; it must stay the domain's list of master-data fields.
if set(get_args(EditableField)) != set(MASTER_DATA_FIELDS):  # pragma: no cover - fails at import
    raise ImportError("wire.EditableField and domain MASTER_DATA_FIELDS disagree")


class EnterpriseEdit(_Wire):
    """One field of one enterprise corrected in the field, with the version the inspector saw."""

    id: Annotated[str, Field(min_length=3, max_length=80, pattern=r"^[0-9A-Za-z._:/-]+$")]
    credit_code: Name
    field: EditableField
    old_value: Text | None
    new_value: Text | None
    base_version: Annotated[int, Field(ge=0, le=2**62)]
    changed_at: datetime
    changed_by: Name = ""


class FindingEventRecord(_Wire):
    """A follow-up of a finding: append-only, so two laptops never overwrite each other."""

    id: Uuid
    finding_id: Uuid
    kind: FindingEventKind
    at: datetime
    visit_id: Uuid | None = None
    note: Text = ""
    new_deadline: date | None = None


class RequestFollowUpRecord(_Wire):
    """A follow-up of an enterprise's 诉求 (request): append-only, keyed by an event id made on the laptop.

    It carries the request itself (enterprise, category, description, the visit it was recorded
    at), because the request may not be on the server yet: its visit may still be a draft.
    """

    id: Uuid  # the follow-up's event id: a replay is a no-op
    request_id: Uuid
    credit_code: Name
    category: Name
    description: Text
    visit_id: Uuid | None = None
    at: datetime
    status: RequestStatus
    note: Text = ""
    by: Name  # the login name of the inspector who followed it up


class PushBatch(_Wire):
    client_time: datetime
    visits: list[PushVisit] = Field(default_factory=list, max_length=MAX_BATCH)
    edits: list[EnterpriseEdit] = Field(default_factory=list, max_length=MAX_BATCH)
    finding_events: list[FindingEventRecord] = Field(default_factory=list, max_length=MAX_BATCH)
    request_follow_ups: list[RequestFollowUpRecord] = Field(default_factory=list, max_length=MAX_BATCH)


class ItemStatus(StrEnum):
    ACCEPTED = "accepted"  # stored now
    EXISTS = "exists"  # the same record was already there: a repeat is a no-op
    MERGED = "merged"  # an enterprise edit applied (perhaps beside other fields' edits)
    CONFLICT = "conflict"  # same id, other content; or the same field edited twice: the office decides
    REJECTED = "rejected"  # cannot be accepted as it is: quarantined on the laptop, with the reason


class ItemResult(_Wire):
    entity: Literal["visit", "enterprise_change", "finding_event", "request_follow_up"]
    id: str
    status: ItemStatus
    http_status: int  # what a single-record request would have answered (201, 200, 409, 422, 403)
    reason: str = ""
    # Visits only: received means every manifest file has arrived and its sha256 was checked.
    received: bool = False
    missing: list[Sha256] = Field(default_factory=list)


class PushResult(_Wire):
    server_time: datetime
    clock_skew_seconds: float  # laptop clock minus server clock, recorded and shown, never refused
    results: list[ItemResult]


class VisitReceipt(_Wire):
    id: str
    content_hash: str
    received: bool
    missing: list[Sha256]
    received_at: datetime | None


class ReceiptsRequest(_Wire):
    ids: list[Uuid] = Field(max_length=MAX_BATCH)


SMALL_FILE_BYTES = 64 * 1024  # signatures and small photos travel whole, many per request
MAX_SMALL_FILES = 200


class SmallFile(_Wire):
    sha256: Sha256
    data: Base64Bytes  # at most SMALL_FILE_BYTES once decoded (checked by the server)


class SmallFiles(_Wire):
    files: list[SmallFile] = Field(max_length=MAX_SMALL_FILES)


class SmallFileRefused(_Wire):
    sha256: str
    reason: str


class SmallFilesResult(_Wire):
    stored: list[str]
    refused: list[SmallFileRefused]


# Files sent inside the push of their visits (protocol feature "inline_files"): one round trip
# for a visit and its photos. At most this much per file, and per push (decoded bytes: base64 adds
# a third, and the push's body cap of 16 MB must still hold the documents). Larger files, and
# whatever does not fit, take the resumable chunked path.
INLINE_FILE_BYTES = 1024 * 1024
INLINE_PUSH_BYTES = 6 * 1024 * 1024
INLINE_FILES = "inline_files"


class PushWithFiles(PushBatch):
    """A push that also carries files its visits cite (only to a server whose ``/health`` lists
    the feature ``inline_files``; an older server refuses the unknown field). The bundle file keeps
    the plain ``PushBatch``: its files travel beside it."""

    files: list[SmallFile] = Field(default_factory=list, max_length=MAX_SMALL_FILES)


class FileStatus(_Wire):
    sha256: Sha256
    size: int | None  # the total size announced by the first chunk, None before any
    offset: int  # bytes safely stored so far: the next chunk starts here
    complete: bool


# ------------------------------------------------------------------ pull


class EnterpriseRecord(_Wire):
    credit_code: Name
    name: Text
    address: Text = ""
    grid: Name = ""
    category: Name = ""
    industry: Name = ""
    size_class: Name = ""
    legal_representative: Name = ""
    contact: Name = ""
    phone: Name = ""
    staff_total: int | None = None
    staff_on_site: int | None = None
    resumption_status: Name = "未复工"
    extra: dict[str, str] = Field(default_factory=dict)
    version: int = 1


class AssignmentRecord(_Wire):
    team: Name
    visits_per_week: int = 3
    assigned_on: date
    enterprise: EnterpriseRecord  # a newly assigned enterprise arrives whole


class TeamMember(_Wire):
    username: Name
    display_name: Name
    badge_number: Name
    team: Name | None
    role: Role
    active: bool


class FormRecord(_Wire):
    code: Name
    version: Name
    sha256: Sha256
    yaml: str


class EditResolution(_Wire):
    edit_id: str
    credit_code: str
    field: str
    outcome: Literal["field", "office"]  # whose value the office kept
    value: str | None
    note: str = ""


class ChangeKind(StrEnum):
    ENTERPRISE = "enterprise"
    ASSIGNMENT = "assignment"
    UNASSIGNMENT = "unassignment"
    MEMBER = "member"
    FORM = "form"
    VISIT = "visit"
    FINDING_EVENT = "finding_event"
    EDIT_RESOLUTION = "edit_resolution"
    REQUEST_FOLLOW_UP = "request_follow_up"


class EnterpriseChange(_Wire):
    kind: Literal[ChangeKind.ENTERPRISE] = ChangeKind.ENTERPRISE
    enterprise: EnterpriseRecord


class AssignmentChange(_Wire):
    kind: Literal[ChangeKind.ASSIGNMENT] = ChangeKind.ASSIGNMENT
    assignment: AssignmentRecord


class UnassignmentChange(_Wire):
    kind: Literal[ChangeKind.UNASSIGNMENT] = ChangeKind.UNASSIGNMENT
    credit_code: str
    team: str


class MemberChange(_Wire):
    kind: Literal[ChangeKind.MEMBER] = ChangeKind.MEMBER
    member: TeamMember


class FormChange(_Wire):
    kind: Literal[ChangeKind.FORM] = ChangeKind.FORM
    form: FormRecord


class VisitChange(_Wire):
    kind: Literal[ChangeKind.VISIT] = ChangeKind.VISIT
    document: dict[str, Any]
    pushed_by: str
    received_at: datetime


class FindingEventChange(_Wire):
    kind: Literal[ChangeKind.FINDING_EVENT] = ChangeKind.FINDING_EVENT
    event: FindingEventRecord


class EditResolutionChange(_Wire):
    kind: Literal[ChangeKind.EDIT_RESOLUTION] = ChangeKind.EDIT_RESOLUTION
    resolution: EditResolution


class RequestFollowUpChange(_Wire):
    kind: Literal[ChangeKind.REQUEST_FOLLOW_UP] = ChangeKind.REQUEST_FOLLOW_UP
    follow_up: RequestFollowUpRecord


Change = Annotated[
    EnterpriseChange
    | AssignmentChange
    | UnassignmentChange
    | MemberChange
    | FormChange
    | VisitChange
    | FindingEventChange
    | EditResolutionChange
    | RequestFollowUpChange,
    Field(discriminator="kind"),
]


class ChangesPage(_Wire):
    changes: list[Change]
    cursor: str  # opaque: give it back to get the next page
    has_more: bool
    scope: str  # changes when the user's team or role changes: the laptop then starts again from ""
    server_time: datetime


_CURSOR = re.compile(r"^([0-9]{1,19})\.([0-9]{1,19})\Z")
# Each part is stored in a signed 64-bit column: a larger number is no cursor this server gave.
CURSOR_PART_MAX = (1 << 63) - 1


def parse_cursor(cursor: str) -> tuple[int, int]:
    """(transaction, sequence) of an opaque cursor; "" is the beginning. ValueError when malformed."""
    if not cursor:
        return (0, 0)
    m = _CURSOR.match(cursor)
    if m is None:
        raise ValueError("cursor is not one this server gave")
    txid, seq = int(m.group(1)), int(m.group(2))
    if txid > CURSOR_PART_MAX or seq > CURSOR_PART_MAX:
        raise ValueError("cursor is out of range (each part is at most 2^63-1)")
    return txid, seq


def format_cursor(txid: int, seq: int) -> str:
    return f"{txid}.{seq}"
