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

#: Where ``TextNormalizer`` keeps the typed text for ``TypedTextRestorer`` (not part of the parse output).
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
    message.set(TYPED_TEXT, text)
    for entity in message.get(ENTITIES) or []:
        typed = text[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]]
        start, end = offsets[entity[ENTITY_ATTRIBUTE_START]], offsets[entity[ENTITY_ATTRIBUTE_END]]
        entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END] = start, end
        if entity.get(ENTITY_ATTRIBUTE_VALUE) == typed:  # not a synonym's canonical value
            entity[ENTITY_ATTRIBUTE_VALUE] = normal[start:end]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class TypedTextRestorer(StatelessComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            _restore(message)
        return messages


def _restore(message: Message) -> None:
    typed = message.get(TYPED_TEXT)
    if not isinstance(typed, str):
        return
    normal, offsets = normalize_with_offsets(typed)
    message.set(TEXT, typed)
    for entity in message.get(ENTITIES) or []:
        start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(normal):
            continue
        seen = normal[start:end]
        # Letters the normal form dropped (stretched, tatweel, diacritics) stay with the letter before them.
        entity[ENTITY_ATTRIBUTE_START] = bisect_right(offsets, start) - 1
        entity[ENTITY_ATTRIBUTE_END] = bisect_right(offsets, end) - 1
        if entity.get(ENTITY_ATTRIBUTE_VALUE) == seen:  # not a synonym's canonical value
            entity[ENTITY_ATTRIBUTE_VALUE] = typed[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
