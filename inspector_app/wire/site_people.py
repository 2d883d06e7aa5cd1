"""The people met on site, as the canonical visit document carries them (key ``site_people``).

``{"onsite": {"name", "title", "id_number", "phone"}, "witness": {"name", "unit"}}``: the person in
charge on site (现场负责人, with 职务, 证件号码 and phone) and a witness (见证人, who attests a refusal
to sign or to accept service). The key is present only when something was recorded, so documents
frozen before it existed keep their hash. Readers take what they can and ignore the rest.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SITE_PEOPLE_KEY = "site_people"


class OnSitePerson(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    name: str = Field(default="", max_length=30)
    title: str = Field(default="", max_length=30)  # 职务
    id_number: str = Field(default="", max_length=30)  # 证件号码 (居民身份证 …)
    phone: str = Field(default="", max_length=20)


class Witness(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    name: str = Field(default="", max_length=30)
    unit: str = Field(default="", max_length=60)  # 工作单位 or address


class SitePeople(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    onsite: OnSitePerson = Field(default_factory=OnSitePerson)
    witness: Witness = Field(default_factory=Witness)

    def is_empty(self) -> bool:
        return not any(self.onsite.model_dump().values()) and not any(self.witness.model_dump().values())


def site_people_of(extra: dict[str, Any] | None) -> SitePeople:
    """The site people of a document's extra keys (empty when absent or unreadable)."""
    raw = (extra or {}).get(SITE_PEOPLE_KEY)
    if not isinstance(raw, dict):
        return SitePeople()
    try:
        return SitePeople.model_validate(raw)
    except ValidationError:
        return SitePeople()
