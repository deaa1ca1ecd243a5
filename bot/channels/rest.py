"""Rasa's REST webhook, keeping the ``metadata`` that a bridge sends with each message.

Stock ``RestInput`` drops it. Sanad's bridges (Telegram, later the web widget)
send ``{"sender", "message", "input_channel", "metadata": {"channel", "chat_id"}}``
so the tracker store records, on every founder message, which channel and chat
it came from: the staff console can then find the conversation and answer on
the same channel. Registered in ``bot/credentials.yml`` under the name ``rest``,
so the URL stays ``/webhooks/rest/webhook``.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.channels.rest import RestInput
from sanic.request import Request

#: Metadata is a few identifiers, never a payload: anything bigger is dropped.
MAX_METADATA_BYTES = 2048


class SanadRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        if not isinstance(metadata, dict):
            return None
        if len(json.dumps(metadata, ensure_ascii=False, default=str)) > MAX_METADATA_BYTES:
            return None
        return metadata
