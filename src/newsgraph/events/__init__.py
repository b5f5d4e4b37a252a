"""Events: who did what to whom, PLOVER-typed with CAMEO codes, each cited by trigger and sentence.

Public API: ``extract_events(doc, entities, published) -> list[Event]`` and
``code_entities(doc, entities)`` (sets ``Entity.code``); ``STEP`` plugs both into the pipeline.
"""
from __future__ import annotations

from ..steps import Step
from .actors import code_entities
from .extract import extract_events

__all__ = ["extract_events", "code_entities", "STEP"]


def _run(doc, record, settings) -> None:
    code_entities(doc, record.entities)
    record.events = extract_events(doc, record.entities, record.published)


STEP = Step(name="events", version="events.v3", requires=("entities",), run=_run)
