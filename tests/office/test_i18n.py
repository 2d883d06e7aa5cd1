"""Every text the console's pages pass to the translator has its English."""

from __future__ import annotations

import re
from pathlib import Path

from inspector_app.central.console import access, audit, i18n
from inspector_app.central.console.pages import common
from inspector_app.domain.enterprise import ResumptionStatus
from inspector_app.domain.finding import FINDING_STATUS_LABELS
from inspector_app.domain.requests import RequestStatus

TEMPLATES = Path(i18n.__file__).parent / "templates"
LITERAL = re.compile(r"""_\(\s*(["'])(.+?)\1\s*\)""")
# Nav labels and other texts that templates hold in lists before translating them.
LISTED = re.compile(r"""\(\s*"[^"]*",\s*"([^"]+)"(?:,\s*"[a-z]")?\)""")


def test_every_template_text_has_english() -> None:
    texts: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        source = path.read_text(encoding="utf-8")
        texts |= {m[1] for m in LITERAL.findall(source)}
        texts |= {m for m in LISTED.findall(source) if re.search(r"[\u4e00-\u9fff]", m)}
    texts |= {s.value for s in ResumptionStatus} | {s.value for s in RequestStatus}
    texts |= set(FINDING_STATUS_LABELS.values()) | set(access.ROLE_LABELS.values())
    texts |= set(audit.LABELS.values()) | set(audit.GROUPS.values())
    for table in ("filter_labels", "kind_labels", "sync_role_labels"):
        texts |= set(common._env.globals[table].values())
    findings = (TEMPLATES / "findings.html").read_text(encoding="utf-8")
    texts |= set(re.findall(r'"[a-z]+": "([^"]+)"', findings))
    missing = sorted(t for t in texts if t not in i18n.EN)
    assert not missing, f"no English for: {missing}"
    assert "Overview" in i18n.translator("en")("总览") and i18n.translator("zh")("总览") == "总览"
