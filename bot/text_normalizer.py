"""Rasa NLU components that let the model see one spelling per word and everyone else what was typed.

``TextNormalizer`` runs first in the pipeline and rewrites each message in the
normal spelling of ``bot.normalization``, so tokens, features, lookup tables and
entity synonyms all see one spelling of each Arabic or Arabizi word. Training
examples keep their entity annotations: offsets and values follow the rewritten
text.

``TypedTextRestorer`` runs last and puts the founder's own text back, with the
entities' offsets and values mapped onto it. Rasa returns the parsed text to the
tracker (``latest_message``): without it, actions would store a name, an e-mail
or an advisor topic respelt ("salma8x@..." as "salmaghx@...", "أحمد" as "احمد").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu_component import StatelessComponent
from bot.normalization import normalize_text, normalize_with_offsets

#: Where ``TextNormalizer`` keeps the typed text and its offsets for ``TypedTextRestorer`` (not in the parse output).
TYPED_TEXT = "sanad_typed_text"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TextNormalizer(StatelessComponent):
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            _normalize(message)
        for table in training_data.lookup_tables:
            table["elements"] = _unique([*table["elements"], *map(normalize_text, table["elements"])])
        training_data.entity_synonyms.update(
            {normalize_text(surface): value for surface, value in training_data.entity_synonyms.items()}
        )
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            _normalize(message)
        return messages


def _normalize(message: Message) -> None:
    text = message.get(TEXT)
    if not isinstance(text, str) or not text:
        return
    normal, offsets = normalize_with_offsets(text)
    if normal == text:
        return
    message.set(TEXT, normal)
    message.set(TYPED_TEXT, (text, offsets))
    _move_entities(message, text, normal, offsets.__getitem__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class TypedTextRestorer(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            _restore(message)
        return messages


def _restore(message: Message) -> None:
    stored = message.get(TYPED_TEXT)
    if stored is None:
        return
    typed, offsets = stored
    normal = message.get(TEXT)
    message.set(TEXT, typed)
    # Letters the normal form dropped (stretched, tatweel, diacritics) stay with the letter before them.
    _move_entities(message, normal, typed, lambda position: bisect_right(offsets, position) - 1)


def _move_entities(message: Message, before: str, after: str, position: Callable[[int], int]) -> None:
    """Carry the message's entities from ``before`` onto ``after``; ``position`` maps an offset."""
    for entity in message.get(ENTITIES) or []:
        start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(before):
            continue
        spelt = before[start:end]
        entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END] = position(start), position(end)
        if entity.get(ENTITY_ATTRIBUTE_VALUE) == spelt:  # not a synonym's canonical value
            entity[ENTITY_ATTRIBUTE_VALUE] = after[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
