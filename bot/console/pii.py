"""Masking of founders' email addresses and phone numbers.

Lists, the NLU inbox and exported training examples show ``s•••@example.ma``
and ``+212 6•• ••• •78`` instead; only an admin reading a transcript sees them
whole. The patterns are deliberately broad (any 8+ digit run with the usual
separators): masking a number that was not a phone costs little, showing a
phone number to the wrong person does not.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)", re.UNICODE)
PHONE = re.compile(r"(?<![\w+])(\+?\d(?:[ .\-/]?\(?\d\)?){7,14})(?!\w)")


def _mask_phone(match: re.Match[str]) -> str:
    number = match.group(1)
    digits = [i for i, char in enumerate(number) if char.isdigit()]
    keep = set(digits[:2] if number.startswith("+") else digits[:1]) | set(digits[-2:])
    return "".join(char if not char.isdigit() or i in keep else "•" for i, char in enumerate(number))


def mask(text: str) -> str:
    """``text`` with every email address and phone number masked."""
    text = EMAIL.sub(lambda m: f"{m.group(1)}•••@{m.group(2)}", text)
    return PHONE.sub(_mask_phone, text)


def contains_pii(text: str) -> bool:
    return bool(EMAIL.search(text) or PHONE.search(text))
