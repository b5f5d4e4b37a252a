"""Entities: named mentions clustered per document, with descriptions, pronouns and descriptions
("he", "the group") resolved to them.

``extract_entities(doc)`` is pure over one spaCy Doc. Steps: named mentions with repaired
types (``names``), string-match clustering and canonical names (``cluster``), descriptions from
appositions and premodifiers (``describe``), pronoun and definite-description resolution
(``resolve``). ``entity_at`` maps a character span (a quote's speaker) to its entity.
"""
from __future__ import annotations

from ..record import Entity
from ..steps import Step
from .cluster import Clusterer, finish
from .describe import describe
from .names import named_mentions
from .resolve import Resolver

__all__ = ["extract_entities", "entity_at", "STEP"]

PUBLICATION_NOUNS = frozenset({"magazine", "newspaper", "journal", "tabloid", "daily", "weekly"})
TYPE_RANK = {"PERSON": 0, "ORG": 1, "PUBLICATION": 1, "GROUP": 1, "GPE": 2, "FAC": 3, "LOC": 3, "NORP": 4}


def _sentence_index(doc) -> list[int]:
    sent_of = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        sent_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
    return sent_of


def extract_entities(doc) -> list[Entity]:
    """Entities of one parsed document, in order of first mention (ids "e1", "e2", ...)."""
    sent_of = _sentence_index(doc)
    clusters = Clusterer().run(named_mentions(doc, sent_of))
    for c in clusters:
        finish(doc, c)
    describe(doc, clusters)
    for c in clusters:
        if c.type != "PERSON" and c.description and c.description.split()[-1].lower() in PUBLICATION_NOUNS:
            c.type = "PUBLICATION"
    Resolver(doc, clusters, sent_of).run()
    return _to_entities(doc, clusters)


def _to_entities(doc, clusters) -> list[Entity]:
    out, text = [], doc.text
    for c in sorted(clusters, key=lambda c: min(m.start for m in c.mentions)):
        spans = sorted({(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text))
                        for m in c.mentions})
        forms = {" ".join(text[s:e].split()) for s, e in spans if text[s:e].lower() not in _PRONOUN_FORMS}
        out.append(Entity(id=f"e{len(out) + 1}", name=c.name, type=c.type, mentions=spans,
                          description=c.description, aliases=sorted(forms - {c.name})))
    return out


_PRONOUN_FORMS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself", "they",
                            "them", "their", "theirs", "themselves", "it", "its", "itself"})


def entity_at(entities: list[Entity], start: int, end: int) -> Entity | None:
    """The entity with a mention overlapping [start, end): a mention covering the span first
    (tightest wins), else the overlapping mention of the most person-like type, largest overlap."""
    best, best_key = None, None
    for e in entities:
        for s, t in e.mentions:
            overlap = min(end, t) - max(start, s)
            if overlap <= 0:
                continue
            covers = s <= start and end <= t
            key = (covers, -(t - s) if covers else 0, -TYPE_RANK.get(e.type, 5), overlap)
            if best_key is None or key > best_key:
                best, best_key = e, key
    return best


def _run(doc, record, settings):
    record.entities = extract_entities(doc)


STEP = Step(name="entities", version="entities.rules.v1", requires=(), run=_run)
