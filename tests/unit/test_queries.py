"""Catalog queries against a real SQLite database holding the seed catalog."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog import queries
from bot.catalog.db import session_scope
from bot.catalog.models import AdvisorRequest, Event


def ids(programs) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.id for p in programs]


def test_search_by_type(loaded_catalog: str) -> None:
    with session_scope() as session:
        found = queries.search_programs(session, program_type="acceleration")
        assert ids(found.matching) == ["plug-and-play-accelerator", "technopark-um6p"]
        assert ids(queries.search_programs(session, program_type="remote_support").matching) == ["e-technopark"]
        assert queries.search_programs(session, program_type="incubation") == queries.ProgramSearch([], [])


def test_sector_focus_is_kept_apart_from_silence(loaded_catalog: str) -> None:
    with session_scope() as session:
        ai = queries.search_programs(session, sector="ai")
        assert ids(ai.matching) == ["technopark-um6p"]
        assert "plug-and-play-accelerator" in ids(ai.unstated)
        fintech = queries.search_programs(session, sector="fintech")
        assert fintech.matching == [] and "technopark-um6p" not in ids(fintech.unstated)


def test_city_filter(loaded_catalog: str) -> None:
    with session_scope() as session:
        casa = queries.search_programs(session, city="casablanca", program_type="acceleration")
        assert ids(casa.matching) == ["plug-and-play-accelerator"]
        rabat = queries.search_programs(session, city="rabat")
        assert "plug-and-play-accelerator" not in ids(rabat.matching + rabat.unstated)


@pytest.mark.parametrize(
    ("text", "program"),
    [
        ("plug-and-play-accelerator", "plug-and-play-accelerator"),
        ("PnP", "plug-and-play-accelerator"),
        ("plug & play", "plug-and-play-accelerator"),
        ("l'accélérateur de Plug and Play", "plug-and-play-accelerator"),
        ("plug and paly", "plug-and-play-accelerator"),
        ("etechnopark", "e-technopark"),
        ("le Glovo Startup Lab", "glovo-startup-lab"),
        ("UM6P Ventures", "technopark-um6p"),
        ("Nasa accelerator", None),
        ("", None),
        (None, None),
        ("'; DROP TABLE programs; --", None),
    ],
)
def test_find_program(loaded_catalog: str, text: str | None, program: str | None) -> None:
    with session_scope() as session:
        found = queries.find_program(session, text)
        assert (found.id if found else None) == program


def test_financing_keeps_offers_whose_source_is_silent(loaded_catalog: str) -> None:
    with session_scope() as session:
        everything = ids(queries.list_financing(session))
        assert {"um6p-ventures", "cgem-network", "cdg-invest"} <= set(everything)
        assert everything[-1] == "cdg-invest"  # its offer is unknown: the known offers come first
        fintech = ids(queries.list_financing(session, sector="fintech"))
        assert "um6p-ventures" not in fintech and "cgem-network" in fintech
        assert ids(queries.list_financing(session, stage="seed")) == everything


def test_key_facts_are_dated_and_sourced(loaded_catalog: str) -> None:
    with session_scope() as session:
        figures = queries.key_facts(session, topics=("figures",))
        assert figures and all(f.as_of and f.source.file for f in figures)
        assert figures[0].as_of == "2026-01"  # newest first
        assert queries.key_facts(session, topics=("contact",)) == []


def test_upcoming_needs_a_known_future_date() -> None:
    today = dt.date(2026, 11, 23)
    assert not queries.upcoming(Event(starts_on=None), today)
    assert not queries.upcoming(Event(starts_on=dt.date(2024, 5, 29)), today)
    assert queries.upcoming(Event(starts_on=dt.date(2027, 4, 1)), today)


def test_advisor_request_is_stored(loaded_catalog: str) -> None:
    with session_scope() as session:
        request = queries.save_advisor_request(session, "c-1", "Salma", "salma@example.ma", "financement", "fr")
        assert request.id
    with session_scope() as session:
        stored = session.get(AdvisorRequest, request.id)
        assert (stored.name, stored.status, stored.conversation_id) == ("Salma", "new", "c-1")
        assert stored.created_at is not None
