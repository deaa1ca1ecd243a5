"""Server-rendered SVG charts for the staff analytics page: no JavaScript, no CDN, nothing to fetch.

Each function returns ``Markup`` so a Jinja2 template with autoescape can include it as is; every piece
of text that came from data is escaped here, once. Output is deterministic (ids are a hash of the input,
not a counter) so pages can be cached and tests can compare strings.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

# Okabe–Ito, stronger colours first; yellow is left out (unreadable on white). Past 7 series, lines get dashed.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
FONT = 'font-family="system-ui, sans-serif"'
INK, MUTED, GRID = "#222", "#555", "#e3e3e3"
CHAR_W = 7.0  # rough width of one 12px character, to size columns and truncate before text overlaps
MAX_DAY_LABELS = 8
NO_DATA = "Aucune donnée"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _clean_text(text: object) -> str:
    """Labels are user data: drop what XML cannot carry and fold newlines, so the SVG stays well-formed."""
    return _XML_INVALID.sub("", " ".join(str(text).split()))


def _clip(text: str, max_chars: int) -> str:
    """Truncate with an ellipsis; callers keep the full text in a ``<title>``."""
    max_chars = max(max_chars, 2)
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def _value(v: object) -> float:
    """Counts and rates are never negative; NaN, infinities and junk would break the scale, so they become 0."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return f if math.isfinite(f) and f > 0 else 0.0


def _fmt(v: float, percent: bool, decimals: int | None = None) -> str:
    """``12 %`` for 0–1 rates, ``1234`` or ``3.5`` for counts; trailing zeros are noise."""
    x = v * 100 if percent else v
    if decimals is None:
        decimals = 0 if abs(x - round(x)) < 1e-9 else (1 if percent else 2)
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %" if percent else text


def _ticks(max_value: float, integers: bool) -> tuple[list[float], int]:
    """0 and 3–5 round steps (1, 2, 5 × 10^n) reaching at least the max; also the decimals a tick label needs."""
    top = max_value if max_value > 0 else 1.0
    raw = top / 5
    step = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * step >= raw * (1 - 1e-9):
            step *= factor
            break
    if integers:
        step = max(step, 1.0)
    count = max(1, math.ceil(top / step - 1e-9))
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return [i * step for i in range(count + 1)], decimals


def _all_integers(rows: Sequence[Sequence[float]]) -> bool:
    """Counts get whole-number ticks; 0, 0.5, 1 conversations would be nonsense."""
    return all(v == int(v) for row in rows for v in row)


def _chart_id(kind: str, *parts: object) -> str:
    """Same input, same id — unlike a counter; two different charts on one page get different ids."""
    return f"chart-{kind}-{hashlib.sha1(repr(parts).encode()).hexdigest()[:10]}"


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _svg(cid: str, title: str, desc: str, width: int, height: int, body: list[str]) -> Markup:
    """The accessible wrapper: the role=img is named by its ``<title>`` and described by its ``<desc>``."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" {FONT}>'
        f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(desc)}</desc>'
        f'<text x="8" y="18" font-size="14" font-weight="600" fill="{INK}">'
        f"{escape(_clip(title, int(width / 8)))}</text>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _empty(cid: str, title: str, width: int, height: int) -> Markup:
    x, y = f"{width / 2:.0f}", f"{height / 2:.0f}"
    body = [f'<text x="{x}" y="{y}" font-size="13" fill="{MUTED}" text-anchor="middle">{NO_DATA}</text>']
    return _svg(cid, title, NO_DATA + ".", width, height, body)


def line_chart(
    title: str,
    days: Sequence[datetime.date],
    series: Mapping[str, Sequence[float]],
    *,
    unit: str = "",
    percent: bool = False,
    width: int = 640,
    height: int = 240,
) -> Markup:
    """One line per series over consecutive days (e.g. conversations per day by channel, fallback rate over time).

    Series shorter than ``days`` are padded with 0 (a day without rows is a day with none); longer ones are cut.
    ``unit`` is appended to the values in tooltips and the description, e.g. "conversations".
    """
    title = _clean_text(title)
    names = [_clean_text(name) for name in series]
    data = [[_value(v) for v in list(values)[: len(days)]] for values in series.values()]
    data = [row + [0.0] * (len(days) - len(row)) for row in data]
    cid = _chart_id("line", title, list(days), names, data, unit, percent, width, height)
    if not days or not data:
        return _empty(cid, title, width, height)
    suffix = f" {_clean_text(unit)}" if unit and not percent else ""

    # Legend: one row of swatches under the title, wrapping when names do not fit.
    legend, lx, ly = [], 8.0, 40.0
    for i, name in enumerate(names):
        label = _clip(name, 28)
        item_w = 22 + len(label) * CHAR_W + 18
        if lx > 8 and lx + item_w > width - 8:
            lx, ly = 8.0, ly + 18
        dash = ' stroke-dasharray="5 3"' if i >= len(PALETTE) else ""
        legend.append(
            f"<g><title>{escape(name)}</title>"
            f'<line x1="{_n(lx)}" y1="{_n(ly - 4)}" x2="{_n(lx + 16)}" y2="{_n(ly - 4)}" '
            f'stroke="{PALETTE[i % len(PALETTE)]}" stroke-width="3"{dash}/>'
            f'<text x="{_n(lx + 22)}" y="{_n(ly)}" font-size="12" fill="{INK}">{escape(label)}</text></g>'
        )
        lx += item_w

    ticks, decimals = _ticks(max(max(row) for row in data), integers=not percent and _all_integers(data))
    tick_labels = [_fmt(t, percent, decimals) for t in ticks]
    left = 14 + max(len(t) for t in tick_labels) * CHAR_W * 0.95
    right, top, bottom = width - 22, ly + 16, height - 26  # room for half a day label
    if bottom - top < 40:  # a very long legend would leave no room: grow rather than squash the plot
        height, bottom = int(top + 40 + 26), top + 40

    def y_of(v: float) -> float:
        return bottom - (bottom - top) * v / ticks[-1]

    def x_of(i: int) -> float:
        return (left + right) / 2 if len(days) == 1 else left + (right - left) * i / (len(days) - 1)

    body = legend
    for t, label in zip(ticks, tick_labels, strict=True):
        y = _n(y_of(t))
        body.append(f'<line x1="{_n(left)}" y1="{y}" x2="{_n(right)}" y2="{y}" stroke="{GRID}"/>')
        body.append(
            f'<text class="tick" x="{_n(left - 6)}" y="{y}" dy="4" font-size="11" fill="{MUTED}" text-anchor="end">'
            f"{label}</text>"
        )
    max_labels = max(1, min(MAX_DAY_LABELS, int((right - left) // 56) + 1))
    every = math.ceil(len(days) / max_labels)
    for i in range(0, len(days), every):
        body.append(
            f'<text class="day" x="{_n(x_of(i))}" y="{_n(bottom + 16)}" font-size="11" fill="{MUTED}" '
            f'text-anchor="middle">{days[i]:%d/%m}</text>'
        )
    for s, (name, row) in enumerate(zip(names, data, strict=True)):
        color = PALETTE[s % len(PALETTE)]
        dash = ' stroke-dasharray="5 3"' if s >= len(PALETTE) else ""
        points = " ".join(f"{_n(x_of(i))},{_n(y_of(v))}" for i, v in enumerate(row))
        body.append(f'<polyline class="series" fill="none" stroke="{color}" stroke-width="2"{dash} points="{points}"/>')
        # Past ~3 months dots would merge into a blob: keep them as invisible hover targets for the tooltips.
        dot = 'r="3"' if len(days) <= 92 else 'r="3" fill-opacity="0"'
        for i, v in enumerate(row):
            tip = f"{name} — {days[i]:%d/%m/%Y} : {_fmt(v, percent)}{suffix}"
            body.append(
                f'<circle class="point" cx="{_n(x_of(i))}" cy="{_n(y_of(v))}" {dot} fill="{color}">'
                f"<title>{escape(tip)}</title></circle>"
            )

    summary = "; ".join(
        f"{name} : {'moyenne ' + _fmt(sum(row) / len(row), percent) if percent else 'total ' + _fmt(sum(row), False)}"
        f"{suffix}, max {_fmt(max(row), percent)}"
        for name, row in zip(names, data, strict=True)
    )
    desc = f"Du {days[0]:%d/%m/%Y} au {days[-1]:%d/%m/%Y} ({len(days)} jour{'s' if len(days) > 1 else ''}). {summary}."
    return _svg(cid, title, desc, width, height, body)


def bar_chart(title: str, bars: Sequence[tuple[str, float]], *, percent: bool = False, width: int = 640) -> Markup:
    """Horizontal bars, largest first as given (top intents, top programs, languages, eligibility outcomes).

    The order is the caller's (it already sorted, or the order means something); height grows with the
    number of bars so each keeps a readable row.
    """
    title = _clean_text(title)
    items = [(_clean_text(label), _value(v)) for label, v in bars]
    cid = _chart_id("bar", title, items, percent, width)
    row_h, top = 24, 34
    if not items:
        return _empty(cid, title, width, 120)
    height = top + row_h * len(items) + 24
    values = [v for _, v in items]
    ticks, decimals = _ticks(max(values), integers=not percent and _all_integers([values]))
    value_labels = [_fmt(v, percent) for v in values]
    label_w = min(width * 0.4, max(len(label) for label, _ in items) * CHAR_W + 12)
    left = max(label_w, 40)
    right = width - 12 - max(len(t) for t in value_labels) * CHAR_W
    bottom = top + row_h * len(items)

    def x_of(v: float) -> float:
        return left + (right - left) * v / ticks[-1]

    body = []
    for t in ticks:
        x = _n(x_of(t))
        body.append(f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{bottom}" stroke="{GRID}"/>')
        body.append(
            f'<text class="tick" x="{x}" y="{bottom + 16}" font-size="11" fill="{MUTED}" text-anchor="middle">'
            f"{_fmt(t, percent, decimals)}</text>"
        )
    for i, ((label, v), shown) in enumerate(zip(items, value_labels, strict=True)):
        y = top + i * row_h
        tip = escape(f"{label} : {shown}")
        body.append(
            f"<g><title>{tip}</title>"
            f'<text x="{_n(left - 8)}" y="{y + row_h / 2 + 4:.0f}" font-size="12" fill="{INK}" text-anchor="end">'
            f"{escape(_clip(label, int((left - 12) / CHAR_W)))}</text></g>"
            f'<rect class="bar" x="{_n(left)}" y="{y + 4}" width="{_n(max(x_of(v) - left, 0))}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"><title>{tip}</title></rect>'
            f'<text x="{_n(x_of(v) + 6)}" y="{y + row_h / 2 + 4:.0f}" font-size="12" fill="{INK}">{shown}</text>'
        )
    listed = "; ".join(f"{label} : {shown}" for (label, _), shown in zip(items, value_labels, strict=True))
    total = "" if percent else f"Total {_fmt(sum(values), False)}. "
    desc = f"{len(items)} élément{'s' if len(items) > 1 else ''}. {total}{listed}."
    return _svg(cid, title, desc, width, height, body)
