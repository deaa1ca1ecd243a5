"""The shape of the catalog's YAML files, checked before anything touches the database.

Pydantic (v1, pinned by Rasa) does the field checks; ``validate_catalog`` adds
the checks that span files (unique ids, references between entries) so one
error list says everything that is wrong, each with its file, entry and field.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, Extra, Field, validator

from bot.vocabulary import VOCABULARY

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PARTIAL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
LANGUAGES = ("fr", "en", "ar")


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a field name must not silently drop a fact."""

    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class Localized(Strict):
    """One text in each language; French and English are required, Arabic may follow."""

    fr: str = Field(..., min_length=1)
    en: str = Field(..., min_length=1)
    ar: str | None = None


class Sourced(Strict):
    """Every row says where its facts come from and when they were last checked."""

    id: str = Field(..., regex=SLUG)
    source: str
    last_verified: dt.date


def _canonical(kind: str, values: list[str]) -> list[str]:
    allowed = VOCABULARY[kind]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"unknown {kind} {unknown}; allowed: {sorted(allowed)}")
    return values


def _partial_date(value: str) -> str:
    """Sources date facts to the month or to the day; keep exactly what they say."""
    if not PARTIAL_DATE.match(value):
        raise ValueError("use YYYY-MM or YYYY-MM-DD")
    return value


class ProgramType(str, Enum):
    acceleration = "acceleration"
    incubation = "incubation"
    residency = "residency"
    remote_support = "remote_support"
    funding = "funding"
    partnership = "partnership"


class CriterionField(str, Enum):
    """What the eligibility form asks; a criterion can only test these."""

    stage = "stage"
    sector = "sector"
    city = "city"
    company_age_years = "company_age_years"
    technopark_resident = "technopark_resident"
    legal_status = "legal_status"


class Operator(str, Enum):
    equals = "equals"
    one_of = "one_of"
    not_one_of = "not_one_of"
    at_most = "at_most"
    at_least = "at_least"


class CriterionEntry(Strict):
    field: CriterionField
    operator: Operator
    value: Any
    quote: str = Field(..., min_length=1, description="the source's own words")

    @validator("value")
    def value_fits_field(cls, value: Any, values: dict[str, Any]) -> Any:  # noqa: N805
        field, operator = values.get("field"), values.get("operator")
        if field is None or operator is None:
            return value
        if field is CriterionField.technopark_resident:
            if operator is not Operator.equals or not isinstance(value, bool):
                raise ValueError("technopark_resident takes operator 'equals' and true or false")
        elif field is CriterionField.company_age_years:
            if operator not in (Operator.at_most, Operator.at_least) or isinstance(value, bool):
                raise ValueError("company_age_years takes 'at_most' or 'at_least' and a number")
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError("company_age_years needs a number of years >= 0")
        else:
            if operator in (Operator.at_most, Operator.at_least):
                raise ValueError(f"{field.value} takes 'equals', 'one_of' or 'not_one_of'")
            values_list = value if isinstance(value, list) else [value]
            if operator is Operator.equals and isinstance(value, list):
                raise ValueError("'equals' takes a single value; use 'one_of' for a list")
            _canonical(field.value, values_list)
        return value


class OrganizationRole(str, Enum):
    operator = "operator"
    partner = "partner"
    supporter = "supporter"


class ProgramOrganizationEntry(Strict):
    id: str
    role: OrganizationRole


class SourceEntry(Strict):
    id: str = Field(..., regex=SLUG)
    file: str
    title: str | None = None
    publisher: str | None = None
    published: str

    _published = validator("published", allow_reuse=True)(_partial_date)


class OrganizationEntry(Sourced):
    kind: str
    name: Localized
    description: Localized | None = None


class SiteEntry(Sourced):
    name: Localized
    city: str
    description: Localized | None = None

    _city = validator("city", allow_reuse=True)(lambda v: _canonical("city", [v])[0])


class ProgramEntry(Sourced):
    type: ProgramType
    name: Localized
    aliases: list[str] = []
    summary: Localized
    organizations: list[ProgramOrganizationEntry] = Field(..., min_items=1)
    duration: Localized | None = None
    capacity: Localized | None = None
    site: str | None = None
    location: Localized | None = None
    benefits: list[Localized] = []
    how_to_apply: Localized | None = None
    deadline: dt.date | None = None
    status: Localized | None = None
    sectors: list[str] = []
    stages: list[str] = []
    cities: list[str] = []
    criteria: list[CriterionEntry] = []

    _sectors = validator("sectors", allow_reuse=True)(lambda v: _canonical("sector", v))
    _stages = validator("stages", allow_reuse=True)(lambda v: _canonical("stage", v))
    _cities = validator("cities", allow_reuse=True)(lambda v: _canonical("city", v))


class FinancingEntry(Sourced):
    organization: str
    kind: str
    name: Localized
    description: Localized
    program: str | None = None
    stages: list[str] = []
    sectors: list[str] = []

    _sectors = validator("sectors", allow_reuse=True)(lambda v: _canonical("sector", v))
    _stages = validator("stages", allow_reuse=True)(lambda v: _canonical("stage", v))


class EventEntry(Sourced):
    name: Localized
    city: str | None = None
    starts_on: dt.date | None = None
    when: Localized | None = None
    description: Localized
    organizations: list[str] = []


class FactEntry(Sourced):
    topic: str
    text: Localized
    as_of: str
    organization: str | None = None

    _as_of = validator("as_of", allow_reuse=True)(_partial_date)


#: file name (without .yml) -> entry model, in load order (referenced before referencing).
FILES: dict[str, type[Strict]] = {
    "sources": SourceEntry,
    "organizations": OrganizationEntry,
    "sites": SiteEntry,
    "programs": ProgramEntry,
    "financing": FinancingEntry,
    "events": EventEntry,
    "facts": FactEntry,
}
