"""The eligibility rules: table-driven cases, then properties that hold for any profile."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.eligibility import Criterion, FounderProfile, Status, evaluate, holds
from bot.vocabulary import VOCABULARY

RESIDENTS_ONLY = Criterion("technopark_resident", "equals", True, "startups de Technopark")
YOUNG = Criterion("company_age_years", "at_most", 3, "moins de 3 ans")
GROWN = Criterion("company_age_years", "at_least", 1, "au moins 1 an")
DEEP = Criterion("sector", "one_of", ["deeptech", "ai"], "Deep Tech, IA")
NOT_IDEA = Criterion("stage", "not_one_of", ["idea"], "pas au stade idée")
CASA = Criterion("city", "equals", "casablanca", "à Casablanca")
COMPANY = Criterion("legal_status", "one_of", ["sarl", "sa"], "société immatriculée")

FULL = FounderProfile("mvp", "ai", "casablanca", 2.0, True, "sarl")


@pytest.mark.parametrize(
    ("criteria", "profile", "status", "failed", "missing"),
    [
        ([], FULL, Status.unknown, [], []),
        ([RESIDENTS_ONLY], FULL, Status.eligible, [], []),
        ([RESIDENTS_ONLY], FounderProfile(technopark_resident=False), Status.not_eligible, ["technopark_resident"], []),
        ([RESIDENTS_ONLY], FounderProfile(), Status.unknown, [], ["technopark_resident"]),
        ([YOUNG], FounderProfile(company_age_years=3), Status.eligible, [], []),
        ([YOUNG], FounderProfile(company_age_years=3.5), Status.not_eligible, ["company_age_years"], []),
        ([GROWN], FounderProfile(company_age_years=0), Status.not_eligible, ["company_age_years"], []),
        ([DEEP, CASA], FULL, Status.eligible, [], []),
        ([DEEP], FounderProfile(sector="fintech"), Status.not_eligible, ["sector"], []),
        ([NOT_IDEA], FounderProfile(stage="idea"), Status.not_eligible, ["stage"], []),
        ([NOT_IDEA, COMPANY], FounderProfile(stage="seed"), Status.unknown, [], ["legal_status"]),
        # a failure decides even when other answers are missing; both are reported
        (
            [RESIDENTS_ONLY, YOUNG],
            FounderProfile(technopark_resident=False),
            Status.not_eligible,
            ["technopark_resident"],
            ["company_age_years"],
        ),
        ([YOUNG, GROWN], FounderProfile(company_age_years=10), Status.not_eligible, ["company_age_years"], []),
    ],
)
def test_verdicts(criteria, profile, status, failed, missing) -> None:  # type: ignore[no-untyped-def]
    verdict = evaluate(criteria, profile)
    assert verdict.status is status
    assert [f.field for f in verdict.failures] == failed
    assert verdict.missing == missing
    assert verdict.no_criteria == (not criteria)


def test_failure_carries_what_was_required_and_the_source_words() -> None:
    verdict = evaluate([YOUNG], FounderProfile(company_age_years=5))
    (failure,) = verdict.failures
    assert (failure.operator, failure.expected, failure.actual, failure.quote) == ("at_most", 3, 5, "moins de 3 ans")


def test_unknown_operator_never_holds() -> None:
    assert not holds("roughly", 3, 3)


profiles = st.builds(
    FounderProfile,
    stage=st.none() | st.sampled_from(sorted(VOCABULARY["stage"])),
    sector=st.none() | st.sampled_from(sorted(VOCABULARY["sector"])),
    city=st.none() | st.sampled_from(sorted(VOCABULARY["city"])),
    company_age_years=st.none() | st.floats(min_value=0, max_value=50),
    technopark_resident=st.none() | st.booleans(),
    legal_status=st.none() | st.sampled_from(sorted(VOCABULARY["legal_status"])),
)
criteria_lists = st.lists(st.sampled_from([RESIDENTS_ONLY, YOUNG, GROWN, DEEP, NOT_IDEA, CASA, COMPANY]), max_size=5)


@given(criteria_lists, profiles)
def test_status_is_consistent_with_failures_and_missing(criteria, profile) -> None:  # type: ignore[no-untyped-def]
    verdict = evaluate(criteria, profile)
    if verdict.status is Status.eligible:
        assert criteria and not verdict.failures and not verdict.missing
    elif verdict.status is Status.not_eligible:
        assert verdict.failures
    else:
        assert not verdict.failures and (verdict.missing or not criteria)
    # every missing field is one the profile really lacks, and is named once
    assert all(profile.get(field) is None for field in verdict.missing)
    assert len(verdict.missing) == len(set(verdict.missing))


@given(criteria_lists, profiles)
def test_adding_a_criterion_never_turns_a_refusal_into_eligibility(criteria, profile) -> None:  # type: ignore[no-untyped-def]
    base = evaluate(criteria, profile)
    for extra in (RESIDENTS_ONLY, YOUNG, DEEP):
        more = evaluate([*criteria, extra], profile)
        if base.status is Status.not_eligible:
            assert more.status is Status.not_eligible
        if more.status is Status.eligible:
            assert base.status is Status.eligible or not criteria


@given(criteria_lists, profiles)
def test_answering_a_missing_question_never_creates_a_failure_elsewhere(criteria, profile) -> None:  # type: ignore[no-untyped-def]
    """Failures depend only on the answers given: filling a gap can add a failure only on that field."""
    before = evaluate(criteria, profile)
    filled = FounderProfile(
        **{
            **profile.__dict__,
            "technopark_resident": True if profile.technopark_resident is None else profile.technopark_resident,
        }
    )
    after = evaluate(criteria, filled)
    assert {f.field for f in before.failures} <= {f.field for f in after.failures}
    assert {f.field for f in after.failures} - {f.field for f in before.failures} <= {"technopark_resident"}
