"""Rasa's replies as Telegram messages: safe HTML, split under the length limit, buttons kept.

Sanad's replies are plain text with line breaks and bullets. Telegram gets them
in HTML mode, escaped first, so a founder's "<script>" or "R&D" quoted back
shows as typed; ``**bold**`` and ``[label](https://...)`` are the only markup
turned into tags. A reply longer than Telegram's 4,096 characters is split at
paragraph boundaries (then lines, then words), and its buttons go with the
last part.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

#: Telegram's limit on a message, counted in UTF-16 code units after entities are parsed.
MESSAGE_LIMIT = 4096

#: ``**bold**`` or ``[label](https://...)``, found in one pass so one never lands inside the other.
_MARKUP = re.compile(r"\*\*(?P<bold>[^*\n]+?)\*\*|\[(?P<label>[^\]\n]+)\]\((?P<url>https?://[^\s)]+)\)")


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message: text (HTML and its plain version) or a photo, and its buttons."""

    html: str = ""
    plain: str = ""
    photo: str | None = None
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (title, Rasa payload)


def to_html(text: str) -> str:
    """Telegram HTML: everything escaped, but for the bold and link markup."""
    parts: list[str] = []
    position = 0
    for match in _MARKUP.finditer(text):
        parts.append(html.escape(text[position : match.start()], quote=False))
        if match["bold"]:
            parts.append(f"<b>{html.escape(match['bold'], quote=False)}</b>")
        else:
            parts.append(f'<a href="{html.escape(match["url"])}">{html.escape(match["label"], quote=False)}</a>')
        position = match.end()
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Parts of at most ``limit`` UTF-16 units, cut at the largest boundary that fits."""
    text = text.strip()
    if utf16_length(text) <= limit:
        return [text] if text else []
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            return _pack(pieces, separator, limit)
    middle = _cut_point(text, limit)
    return [text[:middle], *split_text(text[middle:], limit)]


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    """Greedily join pieces back while they fit; a piece too long on its own is split further."""
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if utf16_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if utf16_length(piece) <= limit:
            current = piece
        else:
            *whole, current = split_text(piece, limit)
            parts.extend(whole)
    if current.strip():
        parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def _cut_point(text: str, limit: int) -> int:
    """The largest prefix length within ``limit`` UTF-16 units (never splitting a surrogate pair)."""
    length = 0
    for index, char in enumerate(text):
        length += utf16_length(char)
        if length > limit:
            return max(index, 1)
    return len(text)


def outgoing(replies: list[dict[str, Any]]) -> list[Outgoing]:
    """Every Rasa reply as Telegram messages, in order; unknown reply kinds are skipped."""
    messages: list[Outgoing] = []
    for reply in replies:
        buttons = [(str(b.get("title", "")), str(b.get("payload", ""))) for b in reply.get("buttons") or []]
        buttons = [(title, payload) for title, payload in buttons if title and payload]
        parts = split_text(str(reply.get("text") or ""))
        if str(reply.get("image") or "").startswith(("https://", "http://")):  # a URL, never a local file
            messages.append(Outgoing(photo=str(reply["image"]), buttons=[] if parts else buttons))
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            messages.append(Outgoing(html=to_html(part), plain=part, buttons=buttons if last else []))
    return messages
