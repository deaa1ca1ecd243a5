"""The console's index and filters on 10,000 generated conversations, checked against the raw tracker events.

Each expected set is computed with SQL over Rasa's ``events`` table (``json_extract`` on the stored
JSON), independently of the indexer, so a filter that drops or invents conversations fails.
Query times are measured by ``bench/console.py``, never asserted here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.console import analytics, db, indexer, queries
from bot.console.models import IndexedMessage, Review, Tag
from tests.support.conversations import generate

CONVERSATIONS = 10_000
NOW = dt.datetime(2026, 11, 20, 12, 0)
LOW = 0.7
USER = "FROM events WHERE type_name = 'user'"
#: The best real intent of a founder message: under nlu_fallback, the ranking's next one.
INTENT = (
    "CASE WHEN intent_name = 'nlu_fallback' THEN json_extract(data, '$.parse_data.intent_ranking[1].name') "
    "ELSE intent_name END"
)
CONFIDENCE = (
    "CASE WHEN intent_name = 'nlu_fallback' THEN json_extract(data, '$.parse_data.intent_ranking[1].confidence') "
    "ELSE json_extract(data, '$.parse_data.intent.confidence') END"
)


@dataclass
class Corpus:
    console_url: str
    tracker_url: str

    def expected(self, sql: str) -> set[str]:
        engine = create_engine(self.tracker_url, future=True)
        with engine.connect() as connection:
            found = {row[0] for row in connection.execute(text(sql))}
        engine.dispose()
        return found

    def listed(self, **filters: str) -> set[str]:
        chosen = queries.ConversationFilter.parse(filters)
        with db.session_scope(self.console_url) as session:
            page = queries.list_conversations(session, chosen, LOW, page_size=CONVERSATIONS * 2)
            assert page.total == len(page.rows)
            return {row.conversation.conversation_id for row in page.rows}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    folder: Path = tmp_path_factory.mktemp("console-index")
    corpus = Corpus(f"sqlite:///{folder / 'sanad.db'}", f"sqlite:///{folder / 'tracker.db'}")
    generate(corpus.tracker_url, CONVERSATIONS, seed=11, start=NOW, days=60)
    db.prepare(corpus.console_url)
    indexer.sync(corpus.console_url, corpus.tracker_url)
    yield corpus


def test_every_conversation_and_founder_message_is_indexed(corpus: Corpus) -> None:
    assert corpus.listed() == corpus.expected("SELECT DISTINCT sender_id FROM events")
    with db.session_scope(corpus.console_url) as session:
        indexed = session.query(IndexedMessage).count()
    assert indexed == len(corpus.expected(f"SELECT id {USER}"))


@pytest.mark.parametrize("channel", ["web", "telegram", "rest"])
def test_channel_filter(corpus: Corpus, channel: str) -> None:
    expected = corpus.expected(
        f"SELECT DISTINCT sender_id {USER} AND json_extract(data, '$.metadata.channel') = '{channel}'"
    )
    assert expected and corpus.listed(channel=channel) == expected


@pytest.mark.parametrize("intent", ["ask_financing", "request_advisor", "ask_location"])
def test_intent_filter_counts_the_intent_under_a_fallback_too(corpus: Corpus, intent: str) -> None:
    expected = corpus.expected(f"SELECT DISTINCT sender_id {USER} AND {INTENT} = '{intent}'")
    assert expected and corpus.listed(intent=intent) == expected


def test_fallback_filter(corpus: Corpus) -> None:
    expected = corpus.expected(
        f"SELECT DISTINCT sender_id {USER} AND intent_name = 'nlu_fallback' "
        "UNION SELECT DISTINCT sender_id FROM events WHERE type_name = 'action' AND action_name = 'action_default_fallback'"
    )
    assert expected and corpus.listed(fallback="1") == expected


def test_handoff_filter(corpus: Corpus) -> None:
    expected = corpus.expected(
        f"SELECT DISTINCT sender_id {USER} AND intent_name = 'request_advisor' "
        "UNION SELECT DISTINCT sender_id FROM events WHERE type_name = 'action' "
        "AND action_name IN ('advisor_form', 'action_save_advisor_request')"
    )
    assert expected and corpus.listed(handoff="1") == expected


def test_low_confidence_filter_ignores_buttons(corpus: Corpus) -> None:
    expected = corpus.expected(
        f"SELECT DISTINCT sender_id {USER} AND substr(json_extract(data, '$.text'), 1, 1) != '/' AND {CONFIDENCE} < {LOW}"
    )
    assert expected and corpus.listed(low="1") == expected


def test_program_filter(corpus: Corpus) -> None:
    expected = corpus.expected(
        "SELECT DISTINCT sender_id FROM events, json_each(json_extract(data, '$.parse_data.entities')) AS e "
        "WHERE type_name = 'user' AND json_extract(e.value, '$.entity') = 'program' "
        "AND json_extract(e.value, '$.value') = 'glovo-startup-lab' "
        "UNION SELECT DISTINCT sender_id FROM events WHERE type_name = 'slot' AND action_name = 'program' "
        "AND json_extract(data, '$.value') = 'glovo-startup-lab'"
    )
    assert expected and corpus.listed(program="glovo-startup-lab") == expected


@pytest.mark.parametrize("word", ["financement", "Rabat", "100%", "startup_"])
def test_free_text_search_is_literal_and_case_insensitive(corpus: Corpus, word: str) -> None:
    pattern = word.lower().replace("%", "\\%").replace("_", "\\_")
    expected = corpus.expected(
        f"SELECT DISTINCT sender_id {USER} AND lower(json_extract(data, '$.text')) LIKE '%{pattern}%' ESCAPE '\\'"
    )
    assert corpus.listed(q=word) == expected
    if word in ("financement", "Rabat"):
        assert expected


def test_date_range_keeps_conversations_active_in_it(corpus: Corpus) -> None:
    start, end = dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 8)
    expected = corpus.expected(
        f"SELECT sender_id FROM events GROUP BY sender_id HAVING max(timestamp) >= {start.replace(tzinfo=dt.timezone.utc).timestamp()} "
        f"AND min(timestamp) < {end.replace(tzinfo=dt.timezone.utc).timestamp()}"
    )
    assert expected and corpus.listed(**{"from": "2026-11-01", "to": "2026-11-07"}) == expected


def test_review_and_tag_filters_combine_with_the_others(corpus: Corpus) -> None:
    telegram = sorted(corpus.listed(channel="telegram"))
    with db.session_scope(corpus.console_url) as session:
        for conversation_id in telegram[:30]:
            session.add(Review(conversation_id=conversation_id, reviewed_by="amina"))
        for conversation_id in telegram[20:40]:
            session.add(Tag(conversation_id=conversation_id, tag="suivi", added_by="amina"))
    assert corpus.listed(channel="telegram", reviewed="yes") == set(telegram[:30])
    assert corpus.listed(tag="suivi", reviewed="yes") == set(telegram[20:30])
    assert corpus.listed(channel="telegram", reviewed="no", tag="suivi") == set(telegram[30:40])
    assert corpus.listed(channel="web", tag="suivi") == set()


def test_pages_are_newest_first_and_do_not_overlap(corpus: Corpus) -> None:
    with db.session_scope(corpus.console_url) as session:
        first = queries.list_conversations(session, queries.ConversationFilter.parse({}), LOW)
        second = queries.list_conversations(session, queries.ConversationFilter.parse({"page": "2"}), LOW)
        beyond = queries.list_conversations(session, queries.ConversationFilter.parse({"page": "99999"}), LOW)
    assert first.total == CONVERSATIONS and first.pages == CONVERSATIONS // queries.PAGE_SIZE
    times = [r.conversation.last_at for r in first.rows + second.rows]
    assert times == sorted(times, reverse=True)
    assert not {r.conversation.conversation_id for r in first.rows} & {
        r.conversation.conversation_id for r in second.rows
    }
    assert beyond.page == first.pages and beyond.rows  # past the end: the last page


def test_contacts_never_reach_the_list(corpus: Corpus) -> None:
    with db.session_scope(corpus.console_url) as session:
        page = queries.list_conversations(session, queries.ConversationFilter.parse({"q": "@"}), LOW, page_size=500)
    previews = [row.preview for row in page.rows]
    assert not any("@example" in p and "•••@" not in p for p in previews)


def test_analytics_add_up_to_the_index(corpus: Corpus) -> None:
    period = analytics.Period(dt.date(2026, 9, 1), NOW.date())
    with db.session_scope(corpus.console_url) as session:
        per_day = analytics.conversations_per_day(session, period)
        languages = analytics.languages(session, period)
        fallback = analytics.fallback_rate(session, period)
        intents = analytics.top_intents(session, period)
        every = {name: build(session, period) for name, build in analytics.TABLES.items()}
    assert sum(n for _, _, n in per_day.rows) == CONVERSATIONS
    assert sum(n for _, n in languages.rows) == CONVERSATIONS
    assert all(0 <= rate <= 1 for *_, rate in fallback.rows)
    assert len(intents.rows) == analytics.TOP
    assert per_day.csv().splitlines()[0] == "jour,canal,conversations"
    assert all(table.chart.startswith("<svg") for table in every.values())


def test_new_events_are_indexed_once_even_by_two_indexers(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    before = len(corpus.listed())
    with db.session_scope(corpus.console_url) as session:
        stale = session.get(indexer.IndexState, indexer.SOURCE).last_event_id
    generate(corpus.tracker_url, 50, seed=99, start=NOW, days=1)
    assert indexer.sync(corpus.console_url, corpus.tracker_url) > 0
    # A second indexer that read the position before the first one moved it writes nothing.
    monkeypatch.setattr(indexer, "_position", lambda session: stale)
    tracker = create_engine(corpus.tracker_url, future=True)
    with db.session_scope(corpus.console_url) as session:
        assert indexer.sync_batch(session, tracker) == 0
    monkeypatch.undo()
    assert indexer.sync(corpus.console_url, corpus.tracker_url) == 0
    assert len(corpus.listed()) == before + 50
    with db.session_scope(corpus.console_url) as session:
        assert session.query(IndexedMessage).count() == len(corpus.expected(f"SELECT id {USER}"))
