"""The issuing authority (发文机关) printed on every 执法文书, and what each document needs of it.

The office publishes these settings; the laptop keeps them in its workspace (services/settings.py)
and the server can validate the same model before publishing. A document whose settings are missing
is refused with a message naming each missing setting — never printed with a placeholder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from inspector_app.domain.enforcement import DOC_SPECS, DocKind

MAX_NAME = 60
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class IssuingAuthority:
    full_name: str = ""  # 龙岗区宝龙街道办事处
    short_name: str = ""  # 龙宝: printed in （） at the head of every number
    doc_codes: Mapping[str, str] = field(default_factory=dict)  # DocKind value → 文书代字 (应急检记)
    authorization: str = ""  # the basis on which the unit enforces (授权/委托 document)
    review_body: str = ""  # 复议机关, named in the remedies
    court: str = ""  # 人民法院, named in the remedies
    seal_present: bool = False

    def code(self, kind: DocKind) -> str:
        return self.doc_codes.get(kind.value, "")

    def missing_for(self, kind: DocKind) -> list[str]:
        """The names of the settings this kind of document cannot be issued without."""
        spec = DOC_SPECS[kind]
        out = []
        if not self.full_name:
            out.append("发文机关全称")
        if not self.short_name:
            out.append("发文机关简称")
        if not self.code(kind):
            out.append(f"文书代字（{spec.title}）")
        if not self.authorization:
            out.append("执法依据（授权文件）")
        if spec.contestable and not self.review_body:
            out.append("复议机关")
        if spec.contestable and not self.court:
            out.append("人民法院")
        if spec.sealed and not self.seal_present:
            out.append("印章图片")
        return out

    def problems(self) -> list[str]:
        """Values that can never be printed, whatever the document."""
        out = []
        for label, value, limit in (
            ("发文机关全称", self.full_name, MAX_NAME),
            ("发文机关简称", self.short_name, 10),
            ("执法依据", self.authorization, MAX_TEXT),
            ("复议机关", self.review_body, MAX_NAME),
            ("人民法院", self.court, MAX_NAME),
        ):
            if len(value) > limit:
                out.append(f"{label}过长（最多{limit}字）")
        for kind, code in self.doc_codes.items():
            if kind not in {k.value for k in DocKind}:
                out.append(f"未知的文书种类：{kind}")
            elif not 1 <= len(code) <= 10 or any(ch in code for ch in "〔〕()（）[]"):
                out.append(f"文书代字“{code}”应为1至10个字，不含括号")
        return out


class AuthorityMissing(ValueError):
    """A document asked for while its issuing-authority settings are incomplete."""

    def __init__(self, title: str, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            f"不能出具{title}：未设置{'、'.join(missing)}。请在“报表打印 › 发文单位”中设置"
            "（或 inspector-app report settings）。"
        )


# The issuing authority both demos publish, the laptop's and the office's, so their papers carry the
# same unit, numbers and remedies (an example: the authorization is marked 示例, not a real one).
EXAMPLE_AUTHORITY = IssuingAuthority(
    full_name="深圳市龙岗区宝龙街道办事处",
    short_name="龙宝",
    doc_codes={
        "record": "应急检记",
        "safety_order": "应急责改",
        "site_measure": "应急现决",
        "fire_immediate": "消立改",
        "fire_deadline": "消限改",
        "epidemic_notice": "防控改",
        "recheck": "应急复查",
    },
    authorization="《深圳市龙岗区人民政府关于宝龙街道办事处实施综合行政执法事项的决定》（示例）",
    review_body="深圳市龙岗区人民政府",
    court="深圳市龙岗区人民法院",
)
