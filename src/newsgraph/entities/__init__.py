"""Entities: named mentions clustered per document, with descriptions, pronouns and descriptions
("he", "the group") resolved to them.

``extract_entities(doc)`` is pure over one spaCy Doc. Steps: named mentions with repaired
types (``names``), string-match clustering and canonical names (``cluster``), descriptions from
appositions and premodifiers (``describe``), pronoun and definite-description resolution
(``resolve``). ``entity_at`` maps a character span (a quote's speaker) to its entity.
"""
from __future__ import annotations

import re

from ..record import Entity
from ..steps import Step
from .cluster import Clusterer, finish
from .context import token_context
from .describe import describe
from .names import named_mentions
from .resolve import Resolver

__all__ = ["extract_entities", "entity_at", "STEP"]

PUBLICATION_NOUNS = frozenset({"magazine", "newspaper", "journal", "tabloid", "daily", "weekly"})
# the last word of a newspaper's own name ("The Harbour Post", "The New York Times")
PRESS_NAME_WORDS = frozenset({"post", "times", "herald", "journal", "tribune", "gazette", "magazine",
                              "chronicle", "observer", "guardian", "telegraph"})
TYPE_RANK = {"PERSON": 0, "ORG": 1, "PUBLICATION": 1, "GROUP": 1, "GPE": 2, "FAC": 3, "LOC": 3, "NORP": 4}


def extract_entities(doc) -> list[Entity]:
    """Entities of one parsed document, in order of first mention (ids "e1", "e2", ...)."""
    text = doc.text
    ctx = token_context(doc, text)
    clusters = Clusterer().run(named_mentions(doc, ctx))
    for c in clusters:
        finish(doc, c)
    describe(doc, clusters)
    for c in clusters:
        if c.description and c.description.split()[-1].lower() in PUBLICATION_NOUNS and not (
                c.type == "PERSON" and any(len(m.words) >= 2 for m in c.mentions)):
            c.type = "PUBLICATION"
        elif c.type == "ORG" and c.name.split() and c.name.split()[-1].lower() in PRESS_NAME_WORDS:
            c.type = "PUBLICATION"
    Resolver(doc, clusters, ctx).run()
    return _to_entities(doc, text, clusters)


def headline_end(text: str) -> int:
    """End of a title-case headline standing as the text's first line ("Rebel Magazine Hints at a
    Harbor Truce" above the story), else 0. Title case makes the small NER model take headline
    words for names: most words of four letters or more capitalised, at most 20 words, no
    closing full stop, and a story below it."""
    end = text.find("\n")
    line = text[:end].strip() if end > 0 else ""
    words = [w for w in line.split() if len(w.strip("\"'‘’“”:,")) >= 4]
    if not words or len(line.split()) > 20 or line.endswith(".") or not text[end:].strip():
        return 0
    return end if sum(w.lstrip("\"'‘“")[:1].isupper() for w in words) >= 0.6 * len(words) else 0


def _headline_only(doc, c, end: int) -> bool:
    """Every mention of the cluster lies in the headline, and it is not a place or a group
    adjective (those NER reads right in title case too): a headline phrase, not a name the story
    uses (a real name in a headline comes back in the story)."""
    return end > 0 and c.type not in ("GPE", "NORP", "LOC") and all(doc[m.start].idx < end for m in c.mentions)


def _to_entities(doc, text: str, clusters) -> list[Entity]:
    out, headline = [], headline_end(text)
    for c in sorted(clusters, key=lambda c: min(m.start for m in c.mentions)):
        if _headline_only(doc, c, headline):
            continue
        spans = sorted({(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text))
                        for m in c.mentions})
        forms = {" ".join(text[s:e].split()) for s, e in spans if text[s:e].lower() not in _PRONOUN_FORMS}
        out.append(Entity(id=f"e{len(out) + 1}", name=c.name, type=c.type, mentions=spans,
                          description=c.description, aliases=sorted(forms - {c.name})))
    return out


_POSSESSIVES = frozenset({"his", "her", "its", "their"})
_PRONOUN_FORMS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself", "they",
                            "them", "their", "theirs", "themselves", "it", "its", "itself"})


def entity_at(entities: list[Entity], start: int, end: int, text: str | None = None) -> Entity | None:
    """The entity a character span (a quote's speaker) refers to.

    A mention covering the span wins (the tightest). Otherwise, of the mentions inside the span,
    a name that only premodifies the next one ("Clinton spokesman Nick Merrill") is passed over
    (needs ``text``: no comma, "and" or bracket between them, or a possessive "'s" / "her"),
    then the most person-like type wins, then the earliest ("Mr. Obama and Hillary Clinton").
    Pass ``text`` (the document text) whenever it is at hand.
    """
    inside = []
    best, tight = None, None
    for e in entities:
        for s, t in e.mentions:
            if s <= start and end <= t:
                if tight is None or t - s < tight:
                    best, tight = e, t - s
            elif min(end, t) > max(start, s):
                inside.append((s, t, e))
    if best is not None or not inside:
        return best
    inside.sort(key=lambda x: (x[0], x[1]))
    heads = [x for x, nxt in zip(inside, inside[1:] + [None]) if nxt is None or not _modifies(x, nxt, text)]
    return min(heads or inside, key=lambda x: (TYPE_RANK.get(x[2].type, 5), x[0]))[2]


def _modifies(left, right, text: str | None) -> bool:
    if right[0] < left[1] or left[2] is right[2]:
        return False
    if text is None:
        return False  # without the text a premodifier ("Clinton spokesman X") cannot be told apart
    gap = text[left[1]:right[0]]
    if text[left[0]:left[1]].lower() in _POSSESSIVES or re.match(r"[’']s?\b", gap):
        return True  # "her adviser, Jake Sullivan", "Carter's press secretary, Peter Cook"
    return not re.search(r"[,;()\[\]—–]|\b(?:and|or|nor|but|with|to|at|of|for|by)\b", gap)


def _run(doc, record, settings):
    record.entities = extract_entities(doc)


STEP = Step(name="entities", version="entities.rules.v1", requires=(), run=_run)
