"""Which form versions a laptop holds, reported with each pull in one request header.

The office's forms page shows, per laptop, the version of each form it fills in now: from what the
laptop says it holds, not guessed from the visits it happened to push. The header lists the latest
version of each form code the laptop has (shipped or published): ``fire-safety@2026.2,recheck@2026.2``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

FORMS_HELD_HEADER = "X-Forms-Held"
MAX_FORMS_HELD = 100
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]{0,99})@([A-Za-z0-9][A-Za-z0-9_.-]{0,49})$")


def forms_held_header(held: Mapping[str, str]) -> str:
    """The header's value for ``{code: version}``."""
    entries = [f"{code}@{version}" for code, version in sorted(held.items())]
    for entry in entries:
        if not _ENTRY.match(entry):
            raise ValueError(f"表单编号或版本不能放入同步请求：{entry}")
    return ",".join(entries[:MAX_FORMS_HELD])


def parse_forms_held(value: str) -> dict[str, str]:
    """``{code: version}`` from the header; ValueError (saying which entry) when it is malformed."""
    entries = [e.strip() for e in value.split(",") if e.strip()]
    if len(entries) > MAX_FORMS_HELD:
        raise ValueError(f"{FORMS_HELD_HEADER} 至多列出 {MAX_FORMS_HELD} 个表单")
    out: dict[str, str] = {}
    for entry in entries:
        m = _ENTRY.match(entry)
        if m is None:
            raise ValueError(f"{FORMS_HELD_HEADER} 中的“{entry[:40]}”不是“编号@版本”")
        out[m[1]] = m[2]
    return out
