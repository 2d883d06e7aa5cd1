"""Which register field a column header means, in the many spellings offices use."""

from __future__ import annotations

import re
import unicodedata

# Field key -> the label used in messages, then every header spelling we accept for it.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("企业名称", ("企业名称", "单位名称", "企业名", "名称", "企业(单位)名称", "name",
                          "enterprise name", "enterprise", "company name", "company")),
    "credit_code": ("统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码",
                                         "credit code", "unified social credit code", "uscc")),
    "address": ("地址", ("地址", "经营地址", "企业地址", "经营场所", "address")),
    "grid": ("网格", ("网格", "所属网格", "grid")),
    "category": ("类别", ("类别", "企业类别", "场所类型", "企业类型", "category", "type")),
    "industry": ("行业", ("行业", "所属行业", "行业类别", "industry")),
    "size_class": ("规模", ("规模", "企业规模", "size", "size class")),
    "legal_representative": ("法定代表人", ("法定代表人", "法人", "法人代表", "legal representative")),
    "contact": ("联系人", ("联系人", "contact", "contact person")),
    "phone": ("联系电话", ("联系电话", "电话", "手机", "联系方式", "phone", "telephone", "contact phone")),
    "staff_total": ("员工总数", ("员工总数", "职工人数", "员工人数", "职工总数", "staff total", "staff",
                                 "employees")),
    "staff_on_site": ("到岗人数", ("到岗人数", "在岗人数", "staff on site", "on site")),
    "resumption_status": ("复工状态", ("复工状态", "resumption status", "status")),
    "team": ("负责队伍", ("负责队伍", "检查组", "负责检查组", "队伍", "team")),
}

REQUIRED = ("name", "credit_code")

# Markers clerks add to headers: "企业名称*", "企业名称（必填）".
_DECORATION = re.compile(r"[*＊]|\((必填|选填|required|optional)\)")
_SPACES = re.compile(r"[\s_\-]+")


def normalize_header(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).strip().lower()
    text = _DECORATION.sub("", text)
    return _SPACES.sub(" ", text).strip()


_ALIASES: dict[str, str] = {
    normalize_header(alias): key for key, (_label, aliases) in FIELDS.items() for alias in aliases
}
# Chinese headers never need the inner blanks ("企业 名称"); English ones keep theirs.
_ALIASES_NO_SPACE: dict[str, str] = {a.replace(" ", ""): k for a, k in _ALIASES.items()}


def field_for(header: str) -> str | None:
    norm = normalize_header(header)
    return _ALIASES.get(norm) or _ALIASES_NO_SPACE.get(norm.replace(" ", ""))


def label(key: str) -> str:
    return FIELDS[key][0]
