"""The synthetic tracker store: rows shaped as Rasa's SQLTrackerStore writes them, deterministic, with the promised mix."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.language import LANGUAGES
from bot.vocabulary import VOCABULARY
from tests.support import conversations
from tests.support.conversations import CATALOG_DIR, EVENTS, Generated, generate

END = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.timezone.utc)
ROWS = "select id, sender_id, type_name, timestamp, intent_name, action_name, data from events order by id"


def rows(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(ROWS).fetchall()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generated]:
    path = tmp_path_factory.mktemp("tracker") / "tracker.db"
    return path, generate(f"sqlite:///{path}", 300, seed=11, start=END, days=30)


def test_counts_schema_and_every_row_as_rasa_stores_it(small: tuple[Path, Generated]) -> None:
    path, result = small
    table = rows(path)
    assert result == Generated(conversations=300, events=len(table))
    assert len({row[1] for row in table}) == 300
    with sqlite3.connect(path) as connection:
        indexes = connection.execute(
            "select name from sqlite_master where type = 'index' and tbl_name = 'events'"
        ).fetchall()
    assert indexes == [("ix_events_sender_id",)]
    begin = (END - dt.timedelta(days=30)).timestamp()
    last_seen: dict[str, float] = {}
    for _id, sender, type_name, timestamp, intent_name, action_name, data in table:
        event = json.loads(data)
        assert json.dumps(event) == data  # byte for byte what json.dumps(event.as_dict()) gives
        assert event["event"] == type_name
        assert event["timestamp"] == timestamp
        assert begin <= timestamp <= END.timestamp()
        assert timestamp >= last_seen.get(sender, 0.0)
        last_seen[sender] = timestamp
        assert event["metadata"]["model_id"] and event["metadata"]["assistant_id"] == "sanad"
        # SQLTrackerStore.save: intent from parse_data, action_name = the dict's "name" (slot and loop names too)
        assert intent_name == (event.get("parse_data") or {}).get("intent", {}).get("name")
        assert action_name == event.get("name")
        if type_name == "user":
            parse = event["parse_data"]
            assert parse["intent"]["name"] and 0 < parse["intent"]["confidence"] <= 1
            assert parse["intent_ranking"][0] == parse["intent"]
            assert parse["text"] == event["text"] and parse["message_id"] == event["message_id"]
            channel = event["metadata"]["channel"]
            assert sender.startswith(f"{channel}-") and event["input_channel"] == channel
            assert parse["metadata"] == {
                k: v for k, v in event["metadata"].items() if k not in ("model_id", "assistant_id")
            }
            if channel == "telegram":
                assert {"chat_id", "chat_type", "update_id"} <= set(parse["metadata"])
                assert sender == f"telegram-{parse['metadata']['chat_id']}"
            if intent_name == "nlu_fallback":
                assert parse["intent"] == {"name": "nlu_fallback", "confidence": 0.7}
                assert parse["intent_ranking"][1]["confidence"] < 0.7
            for entity in parse["entities"]:
                assert event["text"][entity["start"] : entity["end"]] or entity["entity"] == "language"


def test_same_seed_same_rows_other_seed_other_rows(tmp_path: Path, small: tuple[Path, Generated]) -> None:
    path, _ = small
    again, other = tmp_path / "again.db", tmp_path / "other.db"
    generate(f"sqlite:///{again}", 300, seed=11, start=END, days=30)
    generate(f"sqlite:///{other}", 300, seed=12, start=END, days=30)
    assert rows(again) == rows(path)
    assert {row[1] for row in rows(other)}.isdisjoint({row[1] for row in rows(path)})


def test_appends_to_an_existing_table(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    first = generate(f"sqlite:///{path}", 20, seed=1, start=END)
    second = generate(f"sqlite:///{path}", 30, seed=2, start=END)
    table = rows(path)
    assert len(table) == first.events + second.events
    assert [row[0] for row in table] == list(range(1, len(table) + 1))
    assert len({row[1] for row in table}) == 50


def test_the_mix_of_conversations(tmp_path: Path) -> None:
    path = tmp_path / "mix.db"
    generate(f"sqlite:///{path}", 2000, seed=3, start=END)
    by_sender: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows(path):
        by_sender[row[1]].append(row)
    n = len(by_sender)
    share: Counter[str] = Counter()
    messages = low = 0
    for events in by_sender.values():
        users = [json.loads(e[6]) for e in events if e[2] == "user"]
        assert 2 <= len(users) <= 8
        share["fallback"] += any(u["parse_data"]["intent"]["name"] == "nlu_fallback" for u in users)
        share["advisor"] += any(e[5] == "advisor_form" for e in events if e[2] == "action")
        share["program"] += any(x["entity"] == "program" for u in users for x in u["parse_data"]["entities"])
        languages = [json.loads(e[6])["value"] for e in events if e[5] == "language"]
        share[languages[-1] if languages else "no language"] += 1
        for user in users:
            messages += 1
            best = next(i for i in user["parse_data"]["intent_ranking"] if i["name"] != "nlu_fallback")
            low += best["confidence"] < 0.7
        contacts = [e for e in events if e[5] == "advisor_contact" and json.loads(e[6])["value"]]
        for contact in contacts:
            value = json.loads(contact[6])["value"]
            assert "@" in value or sum(c.isdigit() for c in value) >= 9
            assert any(value in u["text"] for u in users)
    assert 0.11 < share["fallback"] / n < 0.22
    assert 0.05 < share["advisor"] / n < 0.11
    assert 0.15 < share["program"] / n < 0.26
    assert 0.08 < low / messages < 0.2
    assert 0.55 < share["fr"] / n < 0.68 and 0.2 < share["en"] / n < 0.3 and 0.09 < share["ar"] / n < 0.18
    assert {s.split("-")[0] for s in by_sender} == {"web", "telegram", "rest"}


def test_entity_values_are_the_catalog_and_vocabulary_ones(small: tuple[Path, Generated]) -> None:
    path, _ = small
    programs = {p["id"] for p in yaml.safe_load((CATALOG_DIR / "programs.yml").read_text(encoding="utf-8"))}
    seen: Counter[str] = Counter()
    for row in rows(path):
        if row[2] != "user":
            continue
        for entity in json.loads(row[6])["parse_data"]["entities"]:
            kind, value = entity["entity"], entity["value"]
            seen[kind] += 1
            if kind == "program":
                assert value in programs
            elif kind == "language":
                assert value in LANGUAGES
            else:
                assert value in VOCABULARY[kind], (kind, value)
    assert {"program", "language", "sector", "city"} <= set(seen)


def test_rasa_reads_the_rows_back(small: tuple[Path, Generated]) -> None:
    """Rasa's own table definition, event classes and tracker store accept what was written."""
    import asyncio

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    rasa_table = SQLTrackerStore.SQLEvent.__table__
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        assert str(CreateTable(EVENTS).compile(dialect=dialect)) == str(
            CreateTable(rasa_table).compile(dialect=dialect)
        )
        ours = sorted(str(CreateIndex(i).compile(dialect=dialect)) for i in EVENTS.indexes)
        assert ours == sorted(str(CreateIndex(i).compile(dialect=dialect)) for i in rasa_table.indexes)

    path, _ = small
    table = rows(path)
    for row in table:
        event = json.loads(row[6])
        parsed = Event.from_parameters(event)
        assert parsed.type_name == row[2]
        assert parsed.as_dict() == event

    store = SQLTrackerStore(
        domain=Domain.load(str(Path(conversations.ROOT, "bot", "domain"))), dialect="sqlite", db=str(path)
    )
    senders = list(dict.fromkeys(row[1] for row in table if row[5] in ("advisor_form", "eligibility_form")))[:3]
    senders += [s for s, n in Counter(row[1] for row in table if row[2] == "session_started").items() if n > 1][:2]
    assert senders

    async def load() -> None:
        for sender in senders:
            tracker = await store.retrieve_full_tracker(sender)
            assert tracker is not None
            assert len(tracker.events) == sum(1 for row in table if row[1] == sender)
            assert tracker.latest_message is not None and tracker.latest_message.text

    asyncio.run(load())
