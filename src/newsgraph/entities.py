"""Entities v0: named mentions from spaCy NER grouped by exact surface text.

Placeholder for the resolver in progress (surname/acronym joins, pronouns, descriptions).
"""
from __future__ import annotations

from .record import Entity
from .steps import Step

TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


def extract_entities(doc) -> list[Entity]:
    by_name: dict[tuple[str, str], Entity] = {}
    for ent in doc.ents:
        if ent.label_ not in TYPES:
            continue
        key = (ent.text, ent.label_)
        if key not in by_name:
            by_name[key] = Entity(id=f"e{len(by_name) + 1}", name=ent.text, type=ent.label_)
        by_name[key].mentions.append((ent.start_char, ent.end_char))
    return list(by_name.values())


def _run(doc, record, settings):
    record.entities = extract_entities(doc)


STEP = Step(name="entities", version="entities.v0", requires=(), run=_run)
