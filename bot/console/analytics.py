"""What founders ask for, in numbers: the tables behind the analytics page, its charts and its CSV files.

Every table is a grouped query over the console's index (conversations and
founder messages) or over what the actions record in Sanad's database
(advisor requests, eligibility verdicts, live handoffs), for a date range. Each table has a
chart (server-rendered SVG) and the same rows as CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from bot.catalog.models import AdvisorRequest, EligibilityCheck
from bot.console.charts import bar_chart, line_chart
from bot.console.models import IndexedConversation, IndexedMessage, IndexedProgram
from bot.handoff.models import Handoff

TOP = 15


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def last_days(cls, days: int, today: dt.date | None = None) -> Period:
        end = today or dt.datetime.now(dt.timezone.utc).date()
        return cls(end - dt.timedelta(days=days - 1), end)

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time())

    @property
    def until(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: Sequence[str]
    rows: list[tuple[Any, ...]]
    chart: Markup

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows((_csv_safe(v) for v in row) for row in self.rows)
        return out.getvalue()


def _csv_safe(value: Any) -> Any:
    """Spreadsheets run a cell that starts with = + - @ as a formula: such text gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _per_day_by(rows: Sequence[tuple[Any, str, int]], period: Period) -> dict[str, list[float]]:
    series: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(period.days()))
    index = {day: n for n, day in enumerate(period.days())}
    for day, key, count in rows:
        if _day(day) in index:
            series[key or "?"][index[_day(day)]] += count
    return dict(sorted(series.items()))


def conversations_per_day(session: Session, period: Period) -> Table:
    c = IndexedConversation
    day = func.date(c.started_at)
    rows = session.execute(
        select(day, c.channel, func.count())
        .where(c.started_at >= period.since, c.started_at < period.until)
        .group_by(day, c.channel)
        .order_by(day, c.channel)
    ).all()
    table = [(str(_day(d)), channel, n) for d, channel, n in rows]
    chart = line_chart("Conversations par jour et par canal", period.days(), _per_day_by(rows, period))
    return Table("conversations", "Conversations par jour", ("jour", "canal", "conversations"), table, chart)


def messages_per_day(session: Session, period: Period) -> Table:
    m, c = IndexedMessage, IndexedConversation
    day = func.date(m.sent_at)
    rows = session.execute(
        select(day, c.channel, func.count())
        .join(c, c.conversation_id == m.conversation_id)
        .where(m.sent_at >= period.since, m.sent_at < period.until)
        .group_by(day, c.channel)
        .order_by(day, c.channel)
    ).all()
    table = [(str(_day(d)), channel, n) for d, channel, n in rows]
    chart = line_chart("Messages des fondateurs par jour et par canal", period.days(), _per_day_by(rows, period))
    return Table("messages", "Messages par jour", ("jour", "canal", "messages"), table, chart)


def top_intents(session: Session, period: Period) -> Table:
    m = IndexedMessage
    count = func.count().label("n")
    rows = session.execute(
        select(m.intent, count)
        .where(m.sent_at >= period.since, m.sent_at < period.until, m.intent.is_not(None))
        .group_by(m.intent)
        .order_by(count.desc(), m.intent)
        .limit(TOP)
    ).all()
    table = [(intent, n) for intent, n in rows]
    return Table(
        "intents", "Intentions les plus fréquentes", ("intention", "messages"), table, bar_chart("Intentions", table)
    )


def fallback_rate(session: Session, period: Period) -> Table:
    m = IndexedMessage
    day = func.date(m.sent_at)
    rows = session.execute(
        select(day, func.count(), func.sum(case((m.fallback, 1), else_=0)))
        .where(m.sent_at >= period.since, m.sent_at < period.until, m.payload.is_(False))
        .group_by(day)
        .order_by(day)
    ).all()
    table = [(str(_day(d)), n, int(f or 0), round((f or 0) / n, 4) if n else 0.0) for d, n, f in rows]
    rates = _per_day_by([(d, "taux d'incompréhension", rate) for d, _, _, rate in table], period)
    chart = line_chart("Messages non compris (part par jour)", period.days(), rates, percent=True)
    return Table("fallback", "Taux d'incompréhension", ("jour", "messages", "non compris", "taux"), table, chart)


def top_programs(session: Session, period: Period) -> Table:
    p, c = IndexedProgram, IndexedConversation
    count = func.count().label("n")
    rows = session.execute(
        select(p.program, count)
        .join(c, c.conversation_id == p.conversation_id)
        .where(c.last_at >= period.since, c.started_at < period.until)
        .group_by(p.program)
        .order_by(count.desc(), p.program)
        .limit(TOP)
    ).all()
    table = [(program, n) for program, n in rows]
    chart = bar_chart("Programmes demandés (conversations)", table)
    return Table("programs", "Programmes les plus demandés", ("programme", "conversations"), table, chart)


def eligibility_outcomes(session: Session, period: Period) -> Table:
    e = EligibilityCheck
    rows = session.execute(
        select(e.program_id, e.status, func.count())
        .where(e.checked_at >= period.since, e.checked_at < period.until)
        .group_by(e.program_id, e.status)
        .order_by(e.program_id, e.status)
    ).all()
    table = [(program, status, n) for program, status, n in rows]
    totals: dict[str, int] = defaultdict(int)
    for _, status, n in table:
        totals[status] += n
    labels = {"eligible": "éligible", "not_eligible": "non éligible", "unknown": "à préciser"}
    bars = sorted(((labels.get(s, s), float(n)) for s, n in totals.items()), key=lambda bar: -bar[1])
    return Table(
        "eligibility",
        "Vérifications d'éligibilité",
        ("programme", "verdict", "vérifications"),
        table,
        bar_chart("Verdicts d'éligibilité", bars),
    )


def handoffs(session: Session, period: Period) -> Table:
    c, a = IndexedConversation, AdvisorRequest
    asked_day, request_day = func.date(c.started_at), func.date(a.created_at)
    asked = session.execute(
        select(asked_day, func.count())
        .where(and_(c.handoff.is_(True), c.started_at >= period.since, c.started_at < period.until))
        .group_by(asked_day)
    ).all()
    requests = session.execute(
        select(request_day, func.count())
        .where(a.created_at >= period.since, a.created_at < period.until)
        .group_by(request_day)
    ).all()
    series = _per_day_by(
        [(d, "demandent un conseiller", n) for d, n in asked] + [(d, "demandes enregistrées", n) for d, n in requests],
        period,
    )
    by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for d, n in asked:
        by_day[str(_day(d))][0] += n
    for d, n in requests:
        by_day[str(_day(d))][1] += n
    table = [(day, *counts) for day, counts in sorted(by_day.items())]
    chart = line_chart("Demandes de conseiller par jour", period.days(), series)
    return Table("handoffs", "Demandes de conseiller", ("jour", "conversations", "demandes enregistrées"), table, chart)


def live_advisors(session: Session, period: Period) -> Table:
    """Founders handed to a person in the chat: requests per day, and how long they waited and lasted."""
    h = Handoff
    handoffs = session.scalars(select(h).where(h.created_at >= period.since, h.created_at < period.until)).all()
    by_day: dict[str, list[Handoff]] = defaultdict(list)
    for handoff in handoffs:
        by_day[handoff.created_at.date().isoformat()].append(handoff)

    def median_minutes(durations: list[dt.timedelta]) -> float | None:
        return round(statistics.median(d.total_seconds() for d in durations) / 60, 1) if durations else None

    table = []
    for day, group in sorted(by_day.items()):
        waits = [x.taken_at - x.created_at for x in group if x.taken_at]
        spans = [x.closed_at - x.created_at for x in group if x.closed_at]
        table.append((day, len(group), len(waits), len(spans), median_minutes(waits), median_minutes(spans)))
    series = _per_day_by(
        [(d, "demandes", n) for d, n, *_ in table] + [(d, "prises", n) for d, _, n, *_ in table], period
    )
    return Table(
        "live",
        "Conseiller en direct",
        ("jour", "demandes", "prises", "closes", "attente médiane (min)", "durée médiane (min)"),
        table,
        line_chart("Demandes de conseiller en direct par jour", period.days(), series),
    )


def languages(session: Session, period: Period) -> Table:
    c = IndexedConversation
    count = func.count().label("n")
    rows = session.execute(
        select(c.language, count)
        .where(c.last_at >= period.since, c.started_at < period.until)
        .group_by(c.language)
        .order_by(count.desc())
    ).all()
    table = [(language or "?", n) for language, n in rows]
    return Table(
        "languages", "Langues des conversations", ("langue", "conversations"), table, bar_chart("Langues", table)
    )


TABLES: dict[str, Callable[[Session, Period], Table]] = {
    "conversations": conversations_per_day,
    "messages": messages_per_day,
    "intents": top_intents,
    "fallback": fallback_rate,
    "programs": top_programs,
    "eligibility": eligibility_outcomes,
    "handoffs": handoffs,
    "live": live_advisors,
    "languages": languages,
}
