"""The console's SVG charts: well-formed XML whatever the labels, accessible, escaped, deterministic."""

from __future__ import annotations

import datetime
import itertools
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from bot.console.charts import bar_chart, line_chart

NS = {"s": "http://www.w3.org/2000/svg"}
EVIL = "<script>alert(\"x\")</script> & 'quotes'"
ARABIC = "برامج الدعم للشركات الناشئة"
START = datetime.date(2025, 3, 1)


def days(n: int) -> list[datetime.date]:
    return [START + datetime.timedelta(days=i) for i in range(n)]


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    root = ET.fromstring(str(svg))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root: ET.Element, tag: str = "text") -> list[str]:
    return ["".join(el.itertext()) for el in root.iterfind(f".//s:{tag}", NS)]


def check_accessible(root: ET.Element) -> None:
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find("s:title", NS), root.find("s:desc", NS)
    assert title is not None and desc is not None and desc.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


def test_line_chart_one_polyline_and_one_point_per_day_per_series():
    svg = line_chart("Conversations par jour", days(10), {"web": [1, 2, 3] * 3 + [4], "telegram": [0] * 10})
    root = parse(svg)
    check_accessible(root)
    assert len(root.findall(".//s:polyline", NS)) == 2
    points = root.findall(".//s:circle", NS)
    assert len(points) == 20
    assert all(p.find("s:title", NS) is not None for p in points)
    assert "web — 10/03/2025 : 4" in texts(root, "title")
    assert "total 22" in root.find("s:desc", NS).text
    assert {"web", "telegram"} <= set(texts(root))  # legend
    colors = {p.get("stroke") for p in root.findall(".//s:polyline", NS)}
    assert len(colors) == 2


def test_bar_chart_one_bar_per_item_in_the_given_order():
    bars = [("greet", 50), ("ask_program", 30.5), ("goodbye", 2)]
    root = parse(bar_chart("Top intents", bars))
    check_accessible(root)
    rects = root.findall(".//s:rect[@class='bar']", NS)
    assert len(rects) == 3
    widths = [float(r.get("width")) for r in rects]
    assert widths == sorted(widths, reverse=True) and widths[-1] > 0
    assert [r.find("s:title", NS).text for r in rects] == ["greet : 50", "ask_program : 30.5", "goodbye : 2"]
    assert "Total 82.5" in root.find("s:desc", NS).text


def test_bar_chart_height_grows_with_bars():
    def height(n: int) -> float:
        return float(parse(bar_chart("t", [(str(i), i) for i in range(n)])).get("viewBox").split()[3])

    assert height(1) < height(5) < height(20)


@pytest.mark.parametrize(
    "svg",
    [
        lambda: bar_chart(EVIL, [(EVIL, 3), ("ok", 1)]),
        lambda: line_chart(EVIL, days(3), {EVIL: [1, 2, 3]}, unit=EVIL),
    ],
)
def test_labels_and_titles_are_escaped(svg):
    out = str(svg())
    assert "<script" not in out
    assert "&lt;script&gt;" in out
    root = parse(Markup(out))
    assert not root.findall(".//s:script", NS) and not root.findall(".//script")
    assert any(EVIL in t for t in texts(root, "title"))  # the full label survives, unescaped once parsed
    assert " on" not in out.split(">")[0]  # no inline event handlers


def test_xml_invalid_characters_and_newlines_in_labels_are_dropped():
    root = parse(bar_chart("a\x00b", [("line\none\x1b", 1)]))
    assert "line one : 1" in texts(root, "title")


def test_long_labels_are_truncated_but_kept_whole_in_the_tooltip():
    long = "programme " * 30
    root = parse(bar_chart("t", [(long, 5)]))
    shown = [t for t in texts(root) if t.startswith("programme")]
    assert len(shown) == 1 and shown[0].endswith("…") and len(shown[0]) < len(long)
    assert f"{long.strip()} : 5" in texts(root, "title")


def test_arabic_label_is_rendered_as_is():
    root = parse(bar_chart("اللغات", [(ARABIC, 12), ("français", 40)]))
    assert ARABIC in texts(root)
    assert root.find("s:title", NS).text == "اللغات"


@pytest.mark.parametrize(
    "svg",
    [
        lambda: line_chart("t", [], {}),
        lambda: line_chart("t", days(5), {}),
        lambda: line_chart("t", [], {"web": [1, 2]}),
        lambda: bar_chart("t", []),
    ],
)
def test_empty_charts_say_so(svg):
    root = parse(svg())
    check_accessible(root)
    assert "Aucune donnée" in texts(root)
    assert not root.findall(".//s:polyline", NS) and not root.findall(".//s:rect", NS)


def test_all_zeros_nan_and_negatives_give_a_flat_chart_from_zero():
    root = parse(line_chart("t", days(4), {"web": [0, float("nan"), -3, float("inf")]}))
    ys = {c.get("cy") for c in root.findall(".//s:circle", NS)}
    assert len(ys) == 1
    assert "0" in texts(root) and "1" in texts(root)  # axis 0..1 rather than a division by zero
    bars = parse(bar_chart("t", [("a", float("nan")), ("b", -1)])).findall(".//s:rect[@class='bar']", NS)
    assert [float(b.get("width")) for b in bars] == [0, 0]


def test_single_day_is_centred():
    root = parse(line_chart("t", days(1), {"web": [3]}, width=600))
    (point,) = root.findall(".//s:circle", NS)
    assert 250 < float(point.get("cx")) < 350
    assert "(1 jour)" in root.find("s:desc", NS).text


def test_percent_values_are_formatted_as_percentages():
    root = parse(bar_chart("Taux de fallback", [("web", 0.12), ("telegram", 0.075)], percent=True))
    labels = texts(root)
    assert "12 %" in labels and "7.5 %" in labels
    assert "web : 12 %" in texts(root, "title")
    ticks = [t.text for t in root.iterfind(".//s:text[@class='tick']", NS)]
    assert ticks[0] == "0 %" and 3 <= len(ticks) - 1 <= 5
    line = parse(line_chart("Fallback", days(3), {"web": [0.1, 0.2, 0.3]}, percent=True))
    assert "moyenne 20 %" in line.find("s:desc", NS).text


@pytest.mark.parametrize(
    ("max_value", "expected"),
    [
        (47, ["0", "10", "20", "30", "40", "50"]),
        (100, ["0", "20", "40", "60", "80", "100"]),
        (3, ["0", "1", "2", "3"]),
        (7.5, ["0", "2", "4", "6", "8"]),
        (1, ["0", "1"]),  # counts: no half conversations
        (0.5, ["0", "0.1", "0.2", "0.3", "0.4", "0.5"]),
        (0.37, ["0", "0.1", "0.2", "0.3", "0.4"]),
    ],
)
def test_axis_ticks_are_round(max_value, expected):
    root = parse(bar_chart("t", [("a", max_value)]))
    assert [t.text for t in root.iterfind(".//s:text[@class='tick']", NS)] == expected


@pytest.mark.parametrize("n", [2, 8, 9, 31, 90, 365])
def test_day_labels_are_thinned(n):
    root = parse(line_chart("t", days(n), {"web": list(range(n))}))
    labels = root.findall(".//s:text[@class='day']", NS)
    assert 1 <= len(labels) <= 8
    assert labels[0].text == "01/03"
    xs = [float(label.get("x")) for label in labels]
    assert all(b - a >= 50 for a, b in itertools.pairwise(xs))


def test_many_series_get_distinct_styles():
    root = parse(line_chart("t", days(3), {f"s{i}": [i, i, i] for i in range(9)}))
    lines = root.findall(".//s:polyline", NS)
    assert len({(p.get("stroke"), p.get("stroke-dasharray")) for p in lines}) == 9


def test_output_is_deterministic_and_ids_differ_between_charts():
    a1 = line_chart("t", days(5), {"web": [1, 2, 3, 4, 5]})
    a2 = line_chart("t", days(5), {"web": [1, 2, 3, 4, 5]})
    b = line_chart("t", days(5), {"web": [1, 2, 3, 4, 6]})
    assert a1 == a2
    assert parse(a1).get("id") != parse(b).get("id")
    assert parse(bar_chart("t", [("a", 1)])).get("id") != parse(bar_chart("u", [("a", 1)])).get("id")


def test_text_uses_system_font_and_nothing_external():
    out = str(line_chart("t", days(3), {"web": [1, 2, 3]})) + str(bar_chart("t", [("a", 1)]))
    assert 'font-family="system-ui, sans-serif"' in out
    assert "href" not in out and "url(" not in out and "<script" not in out and "style=" not in out
