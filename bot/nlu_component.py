"""The shared shape of Sanad's own Rasa NLU components: nothing to train, nothing to store.

Rasa's ``GraphComponent`` asks every component for a ``create`` factory; the
text normaliser, the typed-text restorer and the language detector only
rewrite or tag messages, so they share this one.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData
from typing_extensions import Self


class StatelessComponent(GraphComponent):
    """A component built from nothing; training data passes through unless a subclass says otherwise."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
