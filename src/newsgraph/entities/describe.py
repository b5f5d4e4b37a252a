"""Descriptions of entities read from the parse: appositions and premodifiers of a name.

The two syntactic patterns news writing uses to introduce a person or group (Bell 1991,
"The Language of News Media", on the "descriptive title + name" and appositive forms):
a premodifier phrase ("Hungarian aid worker Elena Varga") and an apposition
("Tomas Reed, a researcher at the Institute ..."). The first description found in text order
becomes the entity's description; the nouns of all of them feed the "the journalist" resolver.
"""
from __future__ import annotations

from . import lexicon
from .cluster import Cluster
from .names import Mention, norm

MAX_WORDS = 14
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "mister", "madam"})
SKIP_START = frozenset({"a", "an", "the", "this", "that", "his", "her", "its", "their", "our"})


def describe(doc, clusters: list[Cluster]) -> None:
    """Fill ``description`` and ``role_words`` of each cluster from its named mentions."""
    for c in clusters:
        for m in c.mentions:
            if m.kind != "name":
                continue
            c.role_words.update(t for t in m.titles if t not in HONORIFICS)
            for span in (_premodifier(doc, m), _apposition(doc, m)):
                if span is None:
                    continue
                start, end = span
                c.role_words.update(norm(t.lemma_) for t in doc[start:end] if t.pos_ in ("NOUN", "PROPN"))
                if c.description is None and (end - start >= 2 or doc[start].pos_ == "NOUN"):
                    c.description = " ".join(doc[start:end].text.split())


def _has_role(tokens) -> bool:
    titles = lexicon.titles()
    return any(t.pos_ == "NOUN" or (norm(t.text) in titles and norm(t.text) not in HONORIFICS)
               for t in tokens)


def _clean(doc, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (doc[start].lower_ in SKIP_START or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= start or end - start > MAX_WORDS or not _has_role(doc[start:end]):
        return None
    return start, end


def _premodifier(doc, m: Mention) -> tuple[int, int] | None:
    """Words of the name's noun phrase before the name: "Hungarian aid worker" Elena Varga."""
    head = doc[m.head]
    left = head.left_edge.i
    if left >= m.start:
        return None
    end = m.start
    while end > left and norm(doc[end - 1].text) in lexicon.titles() and doc[end - 1].pos_ == "PROPN" \
            and norm(doc[end - 1].text) in HONORIFICS:
        end -= 1
    if any(t.is_punct and t.text not in "-’'" for t in doc[left:end]):
        left = max(t.i for t in doc[left:end] if t.is_punct and t.text not in "-’'") + 1
    return _clean(doc, left, end)


def _apposition(doc, m: Mention) -> tuple[int, int] | None:
    """", a researcher at the Institute" after the name (cut at the next comma or dash)."""
    head = doc[m.head]
    for child in head.rights:
        if child.dep_ == "appos" and child.pos_ == "NOUN" and child.i >= m.end:
            start, end = child.left_edge.i, child.right_edge.i + 1
            for t in doc[child.i + 1:end]:
                if t.text in (",", ";", "—", "–", "(", ")") or t.dep_ in ("relcl", "acl"):
                    end = t.left_edge.i if t.dep_ in ("relcl", "acl") else t.i
                    break
            return _clean(doc, start, end)
    if head.dep_ == "appos" and head.head.pos_ == "NOUN" and head.head.i < m.start:
        noun = head.head
        return _clean(doc, noun.left_edge.i, noun.i + 1)
    return None
