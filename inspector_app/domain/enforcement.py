"""The 执法文书 of each inspection domain: which documents a visit issues, their titles, numbers,
legal bases and the notice of remedies. One home for these rules: the laptop's documents, the
office server and the summary figures all read them from here.

Legal texts relied on (editions named; a practitioner should check them against the texts in force
where the documents are used):

- 《中华人民共和国安全生产法》（2021年6月10日第三次修正）: 第六十五条第一款第（三）项 (事故隐患
  责令立即排除; 重大事故隐患 责令从危险区域内撤出作业人员、责令暂时停产停业或者停止使用相关设施、
  设备 — an on-site measure, not the penalty 责令停产整顿), 第一百零二条 (未采取措施消除事故隐患).
- 《中华人民共和国消防法》（2021年4月29日第二次修正）and 《消防监督检查规定》（公安部令第120号，
  2012年修订）: 责令立即改正通知书 served on the spot, 责令限期改正通知书 within three working days;
  a suspected 重大火灾隐患 is judged by collective review (at least three people) after
  GB 35181-2025《重大火灾隐患判定规则》, not on site.
- 《中华人民共和国行政复议法》（2023年9月1日修订）: 六十日; 第四十二条 复议期间不停止执行.
  《中华人民共和国行政诉讼法》（2017年6月27日第二次修正）: 第四十六条 六个月; 第五十六条 诉讼期间
  不停止执行.
- 《中华人民共和国传染病防治法》（2025年4月30日修订，2025年9月1日起施行）.
- GB/T 9704-2012《党政机关公文格式》: numbers written 〔年份〕 + sequence + 号, without 第.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Domain(StrEnum):
    SAFETY = "safety"  # 安全生产
    FIRE = "fire"  # 消防
    EPIDEMIC = "epidemic"  # 防疫/应急
    SMALL_VENUES = "small-venues"  # 三小场所 (fire rules applied to small shops, workshops, venues)


DOMAIN_LABELS = {
    Domain.SAFETY: "安全生产",
    Domain.FIRE: "消防安全",
    Domain.EPIDEMIC: "疫情防控",
    Domain.SMALL_VENUES: "“三小”场所消防安全",
}

# Shipped forms that predate the ``domain`` key are read by their code.
_FORM_DOMAINS = {
    "work-safety": Domain.SAFETY,
    "fire-safety": Domain.FIRE,
    "three-small": Domain.SMALL_VENUES,
    "epidemic-resumption": Domain.EPIDEMIC,
}


def domain_of(form_code: str, declared: str = "") -> Domain:
    """The form's declared domain, else the shipped form's, else 安全生产 (the general regime)."""
    if declared:
        return Domain(declared)
    return _FORM_DOMAINS.get(form_code, Domain.SAFETY)


class DocKind(StrEnum):
    RECORD = "record"  # 现场检查记录
    SAFETY_ORDER = "safety_order"  # 责令限期整改指令书
    SITE_MEASURE = "site_measure"  # 现场处理措施决定书
    FIRE_IMMEDIATE = "fire_immediate"  # 责令立即改正通知书
    FIRE_DEADLINE = "fire_deadline"  # 责令限期改正通知书
    EPIDEMIC_NOTICE = "epidemic_notice"  # 疫情防控整改通知书
    RECHECK = "recheck"  # 整改复查意见书


@dataclass(frozen=True, slots=True)
class DocSpec:
    kind: DocKind
    title: str
    # The remedies paragraph: an administrative act the party may contest.
    contestable: bool
    # "不停止执行" is printed where the law says the act is carried out while contested.
    not_suspended: bool = False
    # Served on the party, so a 送达回证 goes with it.
    served: bool = True
    # Needs the unit's seal.
    sealed: bool = True


DOC_SPECS: dict[DocKind, DocSpec] = {
    DocKind.RECORD: DocSpec(DocKind.RECORD, "现场检查记录", contestable=False, served=False, sealed=False),
    DocKind.SAFETY_ORDER: DocSpec(DocKind.SAFETY_ORDER, "责令限期整改指令书", True, not_suspended=True),
    DocKind.SITE_MEASURE: DocSpec(DocKind.SITE_MEASURE, "现场处理措施决定书", True, not_suspended=True),
    DocKind.FIRE_IMMEDIATE: DocSpec(DocKind.FIRE_IMMEDIATE, "责令立即改正通知书", True),
    DocKind.FIRE_DEADLINE: DocSpec(DocKind.FIRE_DEADLINE, "责令限期改正通知书", True),
    DocKind.EPIDEMIC_NOTICE: DocSpec(DocKind.EPIDEMIC_NOTICE, "疫情防控整改通知书", False),
    DocKind.RECHECK: DocSpec(DocKind.RECHECK, "整改复查意见书", True),
}

DOMAIN_DOCUMENTS: dict[Domain, tuple[DocKind, ...]] = {
    Domain.SAFETY: (DocKind.RECORD, DocKind.SAFETY_ORDER, DocKind.SITE_MEASURE, DocKind.RECHECK),
    Domain.FIRE: (DocKind.RECORD, DocKind.FIRE_IMMEDIATE, DocKind.FIRE_DEADLINE, DocKind.RECHECK),
    Domain.SMALL_VENUES: (DocKind.RECORD, DocKind.FIRE_IMMEDIATE, DocKind.FIRE_DEADLINE, DocKind.RECHECK),
    Domain.EPIDEMIC: (DocKind.RECORD, DocKind.EPIDEMIC_NOTICE, DocKind.RECHECK),
}

# 事由和目的 printed on the record.
PURPOSE = {
    Domain.SAFETY: "依法对被检查单位复工复产安全生产条件及事故隐患排查治理情况进行监督检查",
    Domain.FIRE: "依法对被检查单位遵守消防法律、法规情况进行消防监督检查",
    Domain.SMALL_VENUES: "依法对“三小”场所遵守消防法律、法规情况进行消防安全检查",
    Domain.EPIDEMIC: "对被检查单位落实疫情防控措施及复工条件情况进行现场核查",
}

# The legal basis of each document's order, cited in its body.
_FIRE_BASIS = (
    "《中华人民共和国消防法》（2021年修正）第五十三条和《消防监督检查规定》（公安部令第120号，2012年修订）"
)
ORDER_BASIS = {
    DocKind.SAFETY_ORDER: "《中华人民共和国安全生产法》（2021年修正）第六十五条第一款第（三）项、"
    "第一百零二条",
    DocKind.SITE_MEASURE: "《中华人民共和国安全生产法》（2021年修正）第六十五条第一款第（三）项",
    DocKind.FIRE_IMMEDIATE: _FIRE_BASIS,
    DocKind.FIRE_DEADLINE: _FIRE_BASIS,
    DocKind.EPIDEMIC_NOTICE: "《中华人民共和国传染病防治法》（2025年修订）及当地疫情防控指挥机构的防控要求",
}

CONSEQUENCE = {
    DocKind.SAFETY_ORDER: "逾期未整改或者整改不符合要求的，本机关将依照《中华人民共和国安全生产法》"
    "（2021年修正）第一百零二条的规定依法处理。",
    DocKind.SITE_MEASURE: "重大事故隐患排除后，经本机关审查同意，方可恢复生产经营和使用。",
    DocKind.FIRE_IMMEDIATE: "拒不改正的，本机关将依照《中华人民共和国消防法》（2021年修正）的规定依法处理。",
    DocKind.FIRE_DEADLINE: "逾期不改正的，本机关将依照《中华人民共和国消防法》（2021年修正）的规定依法处理。",
    DocKind.EPIDEMIC_NOTICE: "整改完成前，请按照防控要求落实相应措施；整改情况将在复查时核实。",
}

MAJOR_FIRE_REVIEW = (
    "上述第{items}项涉嫌构成重大火灾隐患，本机关将按照GB 35181-2025《重大火灾隐患判定规则》"
    "组织集体讨论判定（参加人数不少于三人），判定结果另行书面告知。"
)

LEGACY_OUTCOMES = {
    # An administrative penalty no inspector may impose on site; read old visits in today's words.
    "责令停产整顿": "发现重大事故隐患，采取现场处理措施",
    "通过": "未发现违法行为和事故隐患",
}


def outcome_wording(outcome: str) -> str:
    """What the record prints for a visit's outcome: never a penalty, never a bare "通过"."""
    return LEGACY_OUTCOMES.get(outcome, outcome)


def remedies(spec: DocSpec, review_body: str, court: str) -> str:
    """The notice of remedies in full (行政复议法 2023修订; 行政诉讼法 2017修正)."""
    name = spec.title[-3:] if spec.title.endswith(("通知书", "决定书", "指令书", "意见书")) else "文书"
    text = (
        f"你单位如不服本{name[:2]}，可在六十日内向{review_body}申请行政复议，"
        f"或者在六个月内向{court}提起行政诉讼。"
    )
    if spec.not_suspended:
        text += "行政复议或者行政诉讼期间，不停止本" + name[:2] + "的执行。"
    return text


def format_number(short_name: str, code: str, year: int, number: int, provisional: str = "") -> str:
    """GB/T 9704 style: （龙宝）应急检记〔2026〕15号 — short name, 文书代字, year, sequence, no 第.

    A number a laptop gave without an office block (services/documents.py) carries its mark,
    临 and the laptop's tag, so it can never be taken for a number of the unit's register:
    （龙宝）应急检记〔2026〕临3F2A-1号."""
    mark = f"临{provisional}-" if provisional else ""
    return f"（{short_name}）{code}〔{year}〕{mark}{number}号"


@dataclass(frozen=True, slots=True)
class FindingFacts:
    """What decides which documents a visit issues: one row per finding."""

    order: str  # domain.finding.Order value
    major: bool


def documents_for_visit(
    domain: Domain, findings: Iterable[FindingFacts], *, recheck: bool
) -> tuple[DocKind, ...]:
    """The numbered documents a completed visit issues, in the order they are served."""
    if recheck:
        return (DocKind.RECORD, DocKind.RECHECK)
    rows = list(findings)
    open_rows = [f for f in rows if f.order != "当场整改完毕"]
    out = [DocKind.RECORD]
    if domain is Domain.SAFETY:
        if open_rows:
            out.append(DocKind.SAFETY_ORDER)
        if any(f.major for f in open_rows):
            out.append(DocKind.SITE_MEASURE)
    elif domain in (Domain.FIRE, Domain.SMALL_VENUES):
        if any(f.order == "立即整改" for f in open_rows):
            out.append(DocKind.FIRE_IMMEDIATE)
        if any(f.order == "限期整改" for f in open_rows):
            out.append(DocKind.FIRE_DEADLINE)
    elif open_rows:
        out.append(DocKind.EPIDEMIC_NOTICE)
    return tuple(out)
