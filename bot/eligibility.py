"""Eligibility rules: a founder's profile against a program's criteria, with reasons.

The criteria come from the catalog (each with the source's words); this module
only evaluates them. A program is:

- ``eligible`` when every criterion holds and at least one was checked,
- ``not_eligible`` when any criterion fails (each failure is a reason),
- ``unknown`` when a needed answer is missing, or when the program publishes no
  criteria at all: Sanad then says what it lacks instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

#: Profile fields in the order the form asks them.
PROFILE_FIELDS = ("stage", "sector", "city", "company_age_years", "technopark_resident", "legal_status")


class CriterionLike(Protocol):
    field: str
    operator: str
    value: Any
    quote: str


@dataclass(frozen=True)
class Criterion:
    """A criterion outside the database (tests, previews)."""

    field: str
    operator: str
    value: Any
    quote: str = ""


@dataclass(frozen=True)
class FounderProfile:
    stage: str | None = None
    sector: str | None = None
    city: str | None = None
    company_age_years: float | None = None
    technopark_resident: bool | None = None
    legal_status: str | None = None

    def get(self, name: str) -> Any:
        return getattr(self, name)


class Status(str, Enum):
    eligible = "eligible"
    not_eligible = "not_eligible"
    unknown = "unknown"


@dataclass(frozen=True)
class Failure:
    """A criterion the founder does not meet: what was required, what they have, why."""

    field: str
    operator: str
    expected: Any
    actual: Any
    quote: str


@dataclass(frozen=True)
class Verdict:
    status: Status
    failures: list[Failure] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: True when the program publishes no criteria (unknown for that reason).
    no_criteria: bool = False


def holds(operator: str, expected: Any, actual: Any) -> bool:
    """Whether ``actual`` satisfies ``operator expected``. Unknown operators never hold."""
    if operator == "equals":
        return actual == expected
    if operator == "one_of":
        return actual in _as_list(expected)
    if operator == "not_one_of":
        return actual not in _as_list(expected)
    if operator == "at_most":
        return float(actual) <= float(expected)
    if operator == "at_least":
        return float(actual) >= float(expected)
    return False


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def evaluate(criteria: Iterable[CriterionLike], profile: FounderProfile) -> Verdict:
    """Check every criterion; failures win over missing answers, which win over eligibility."""
    criteria = list(criteria)
    if not criteria:
        return Verdict(Status.unknown, no_criteria=True)
    failures: list[Failure] = []
    missing: list[str] = []
    for criterion in criteria:
        actual = profile.get(criterion.field) if criterion.field in PROFILE_FIELDS else None
        if actual is None:
            if criterion.field not in missing:
                missing.append(criterion.field)
        elif not holds(criterion.operator, criterion.value, actual):
            failures.append(Failure(criterion.field, criterion.operator, criterion.value, actual, criterion.quote))
    if failures:
        return Verdict(Status.not_eligible, failures=failures, missing=missing)
    if missing:
        return Verdict(Status.unknown, missing=missing)
    return Verdict(Status.eligible)
