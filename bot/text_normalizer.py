"""Rasa NLU component that rewrites each message in the normal spelling of ``bot.normalization``.

It runs first in the pipeline, so tokens, features, lookup tables and entity
synonyms all see one spelling of each Arabic or Arabizi word. Training examples
keep their entity annotations: offsets and values follow the rewritten text.
What the founder typed is untouched in the tracker (Rasa stores the channel's
text); only the parse sees the normal form.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.normalization import normalize_text, normalize_with_offsets


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TextNormalizer(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TextNormalizer:
        return cls()

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
    for entity in message.get(ENTITIES) or []:
        typed = text[entity[ENTITY_ATTRIBUTE_START] : entity[ENTITY_ATTRIBUTE_END]]
        start, end = offsets[entity[ENTITY_ATTRIBUTE_START]], offsets[entity[ENTITY_ATTRIBUTE_END]]
        entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END] = start, end
        if entity.get(ENTITY_ATTRIBUTE_VALUE) == typed:  # not a synonym's canonical value
            entity[ENTITY_ATTRIBUTE_VALUE] = normal[start:end]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
