"""Rasa replies become Telegram messages that Telegram accepts and founders read as written."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.render import MESSAGE_LIMIT, outgoing, split_text, to_html, utf16_length


def test_html_special_characters_are_shown_as_typed() -> None:
    assert to_html('<script>alert("x")</script> R&D <b>') == '&lt;script&gt;alert("x")&lt;/script&gt; R&amp;D &lt;b&gt;'


def test_light_markdown_becomes_tags_and_links_stay_safe() -> None:
    assert to_html("**Plug and Play** : [site](https://example.ma/a?b=1&c=2)") == (
        '<b>Plug and Play</b> : <a href="https://example.ma/a?b=1&amp;c=2">site</a>'
    )
    assert to_html("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    # one pass: bold never lands inside a link's address, nor a link inside a half-open bold
    assert to_html("[x](https://a.ma/**y**)") == '<a href="https://a.ma/**y**">x</a>'
    assert to_html('**a [b**](https://a.ma/"q)') == '<b>a [b</b>](https://a.ma/"q)'


def test_a_6000_character_reply_is_split_at_paragraphs_with_buttons_on_the_last_part() -> None:
    paragraphs = [(f"Paragraphe {i} : " + "programme " * 60).strip() for i in range(10)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 6000
    messages = outgoing([{"text": text, "buttons": [{"title": "Détails", "payload": "/program_details"}]}])
    assert len(messages) == 2
    assert all(utf16_length(m.plain) <= MESSAGE_LIMIT for m in messages)
    assert all(m.plain.startswith("Paragraphe") for m in messages)  # cut between paragraphs
    assert "\n\n".join(m.plain for m in messages) == text
    assert [m.buttons for m in messages] == [[], [("Détails", "/program_details")]]


def test_text_without_any_break_is_cut_without_splitting_an_emoji() -> None:
    text = "🚀" * 3000  # 6,000 UTF-16 units
    parts = split_text(text)
    assert all(utf16_length(p) <= MESSAGE_LIMIT for p in parts)
    assert "".join(parts) == text


@given(st.text(min_size=0, max_size=9000))
def test_any_text_is_split_into_parts_within_the_limit_keeping_every_word(text: str) -> None:
    parts = split_text(text, limit=500)
    assert all(0 < utf16_length(p) <= 500 for p in parts)
    assert "".join("".join(p.split()) for p in parts) == "".join(text.split())


def test_images_buttons_and_empty_replies() -> None:
    messages = outgoing(
        [
            {"image": "https://example.ma/logo.png"},
            {"text": "", "buttons": []},
            {"text": "Choisissez", "buttons": [{"title": "A", "payload": "/a"}, {"title": "", "payload": "/b"}]},
        ]
    )
    assert messages[0].photo == "https://example.ma/logo.png"
    assert [(m.plain, m.buttons) for m in messages[1:]] == [("Choisissez", [("A", "/a")])]


def test_rendered_html_unescapes_back_to_the_text() -> None:
    text = "1 < 2 & 3 > 2 « guillemets » 'quote' \"double\""
    assert html.unescape(to_html(text)) == text
