"""Speaker resolution: the source mention of an attribution -> an Entity of the document.

A speaker is an entity or nothing: a pronoun or a description that no entity covers yields
``speaker=None`` (the mention is still cited as ``speaker_span``). While the entity step gives
named mentions only (no pronoun or description mentions), a fallback resolves pronoun sources
the way news attribution is written (Mamede & Chaleira 2004; Pareti 2016 on quote-speaker
chains): "he says" continues the previous speaker when that speaker is a person, else the most
recent person named before it; a lone surname joins the full name it shortens.
"""
from __future__ import annotations

from ..record import Entity

PERSON_PRONOUNS = {"he", "she", "i", "him", "her"}
GROUP_PRONOUNS = {"they", "we", "it", "them", "us"}
ALL_PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | {"you", "me"}
GROUP_TYPES = {"ORG", "GPE", "NORP", "GROUP", "PUBLICATION"}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def entity_in_span(entities: list[Entity], start: int, end: int, head: int | None = None,
                   text: str | None = None) -> Entity | None:
    """The entity with a mention inside ``[start, end)``: the one covering the span's syntactic
    head (character offset ``head``) first, then a person, then the last one named."""
    try:  # the coreference resolver's own lookup, when the entities step provides it
        from ..entities import entity_at
    except ImportError:
        entity_at = None
    if entity_at is not None:
        found = entity_at(entities, start, end, text)
        if found is not None:
            return found
    hits = [(m, e) for e in entities for m in e.mentions if _overlaps(m, (start, end))]
    if not hits:
        return None
    if head is not None:
        at_head = [e for m, e in hits if m[0] <= head < m[1]]
        if at_head:
            return at_head[0]
    people = [(m, e) for m, e in hits if e.type == "PERSON"]
    # "Jon Tester and David Vitter", "Kenneth Baer, who runs Crosscut": the first name leads
    return min(people or hits, key=lambda me: me[0][0])[1]


def has_pronoun_mentions(text: str, entities: list[Entity]) -> bool:
    """Does the entity step already resolve pronouns (then its silence means 'unresolved')?"""
    return any(text[s:e].lower() in ALL_PRONOUNS for ent in entities for s, e in ent.mentions)


def full_name(entity: Entity, entities: list[Entity]) -> Entity:
    """A one-word PERSON entity ("Sullivan") -> the entity whose name it ends ("Kevin Sullivan").
    (Only while the entity step does not join surnames itself.)"""
    if entity.type != "PERSON" or " " in entity.name.strip():
        return entity
    last = entity.name.strip().lower()
    longer = [e for e in entities if e.type == "PERSON" and e is not entity
              and e.name.lower().split()[-1:] == [last]]
    # the most mentioned bearer of the surname, then the first introduced
    return min(longer, key=lambda e: (-len(e.mentions), min(m[0] for m in e.mentions))) if longer else entity


def pronoun_antecedent(pronoun: str, at: int, entities: list[Entity], previous: Entity | None) -> Entity | None:
    """Fallback for a pronoun source at offset ``at``: the previous speaker when its kind fits,
    else the nearest entity of that kind mentioned before ``at``."""
    want_person = pronoun in PERSON_PRONOUNS
    fits = (lambda e: e.type == "PERSON") if want_person else (lambda e: e.type in GROUP_TYPES)
    if previous is not None and fits(previous):
        return previous
    before = [(m[0], e) for e in entities if fits(e) for m in e.mentions if m[1] <= at]
    return max(before, key=lambda me: me[0])[1] if before else None
