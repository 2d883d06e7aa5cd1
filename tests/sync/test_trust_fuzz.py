"""Whatever arrives as a visit document or a bundle file, the readers answer with their own clear
refusal (DocumentError, BundleError), never another exception, in bounded time."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.domain.visit import content_hash
from inspector_app.wire import DocumentError, check_document
from inspector_app.wire.bundle import HEADER_NAME, SIGNATURE_NAME, BundleError, BundleReader
from inspector_app.wire.models import referenced_files

SHA = "ab" * 32
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.sampled_from([SHA, "../x", ""]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
KEYS = [
    "schema",
    "id",
    "kind",
    "enterprise",
    "form",
    "inspectors",
    "answers",
    "file_answers",
    "findings",
    "recheck",
    "photos",
    "signatures",
    "manifest",
    "outcome",
]


def _plausible() -> dict:
    return {
        "schema": 1,
        "id": "0f0e0d0c-0b0a-4908-8706-050403020100",
        "kind": "inspection",
        "enterprise": {"credit_code": "x", "name": "y"},
        "form": {"code": "mini-check", "version": "1"},
        "inspectors": ["B1"],
        "place": "p",
        "started_at": "2026-11-30T08:00:00+00:00",
        "completed_at": "2026-11-30T09:00:00+00:00",
        "outcome": "通过",
        "answers": {"pledge": SHA},
        "file_answers": {"pledge": "signature"},
        "findings": [],
        "recheck": [],
        "photos": [],
        "signatures": [],
        "requests": [],
        "manifest": [{"sha256": SHA, "size": 1, "mime": "image/png", "kind": "signature"}],
    }


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KEYS), json_values)
def test_a_visit_document_with_any_part_replaced_is_accepted_or_refused_with_a_reason(key, value):
    doc = _plausible()
    doc[key] = value
    try:
        doc["content_hash"] = content_hash(doc)
    except (TypeError, ValueError):
        doc["content_hash"] = "0" * 64
    try:
        checked = check_document(doc)
    except DocumentError as exc:
        assert str(exc)
        return
    assert checked.referenced_files() == {m.sha256 for m in checked.manifest}
    try:
        referenced_files(doc)
    except DocumentError:
        raise AssertionError("a document that passed its check cannot fail its file list") from None


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.one_of(
        st.binary(max_size=200),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.just(b'{"format": "inspector-sync-bundle", "version": 1}'),
    ),
    signature=st.one_of(st.none(), st.binary(max_size=100)),
    flip=st.integers(min_value=0, max_value=10_000),
)
def test_any_bundle_file_is_read_or_refused_with_a_reason(tmp_path_factory, header, signature, flip):
    members = {HEADER_NAME: header}
    if signature is not None:
        members[SIGNATURE_NAME] = signature
    data = bytearray(_zip(members))
    if flip < len(data):
        data[flip] ^= 0x5A  # damaged on the USB stick
    path = Path(tmp_path_factory.mktemp("fuzz")) / "b.zip"
    path.write_bytes(bytes(data))
    try:
        with BundleReader(path) as bundle:
            assert bundle.header is not None
    except BundleError as exc:
        assert str(exc)
