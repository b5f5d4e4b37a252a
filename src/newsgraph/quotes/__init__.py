"""Quotes: who said what — direct, mixed and indirect reported speech, with cue and speaker.

``extract_quotes(doc, entities)`` tags each paragraph of the shared parse with a CRF trained on
PolNeAR (content / source / cue, ``train.py``), adds quotation-mark quotes it missed
(``rules.py``), links the tagged runs into attributions
(``decode.py``) and resolves each source mention to an entity (``speakers.py``). Quotation
marks of every style are read by ``marks.py``; an unbalanced mark closes at its paragraph's end.
"""
from __future__ import annotations

import logging

from ..record import Entity, Quote
from ..steps import Step
from . import marks, rules
from .decode import RELATIVE, Attribution, link
from .speakers import ALL_PRONOUNS, entity_in_span, full_name, has_pronoun_mentions, pronoun_antecedent
from .features import paragraphs
from .tagger import tag

log = logging.getLogger(__name__)

VERSION = "quotes.crf.v1"
NEAR_CUES = True
RULE_SCORE = 0.5  # confidence given to quotes found by the quotation-mark rules, not the tagger

__all__ = ["extract_quotes", "quote_type", "STEP", "VERSION"]


def quote_type(text: str, inside: list[bool], start: int, end: int) -> str:
    """direct / mixed / indirect by the share of letters inside quotation marks (as in the data)."""
    n_in = n_out = 0
    for i in range(start, end):
        if text[i].isalnum():
            n_in += inside[i]
            n_out += not inside[i]
    return "direct" if n_in and not n_out else ("mixed" if n_in else "indirect")


def _char_span(doc, first: int, last: int) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last].text)


OWNER_PREPS = {"for", "of", "at", "from", "by", "with"}
OWNER_NAMES = True


def owner_entity(head, entities: list[Entity], text: str, depth: int = 2) -> Entity | None:
    """A description with no name of its own ("a spokesman for the ministry", "the campaign's
    lawyers", "a study by Harvard", "many of his supporters"): the entity it belongs to, read from
    its possessor or its "for/of/at/by X" complement (a speaker is the body a representative speaks
    for; cf. PARC 3.0's source guidelines, Pareti 2016)."""
    if depth == 0:
        return None
    owners = [c for c in head.children if c.dep_ == "poss"]
    owners += [o for p in head.children if p.dep_ == "prep" and p.lower_ in OWNER_PREPS
               for o in p.children if o.dep_ == "pobj"]
    for o in owners:
        lo = min(t.idx for t in o.subtree if t.i <= o.i)
        ent = entity_in_span(entities, lo, o.idx + len(o.text), o.idx, text)
        if ent is None and o.pos_ == "NOUN":
            ent = owner_entity(o, entities, text, depth - 1)
        if ent is not None:
            return ent
    return None


# An unnamed editor ("the anonymous editor announces", "the editors write") speaks for the
# publication last named before the quote: its editorial voice (the seed's Dabiq editor's note).
EDITORIAL = frozenset({"editor", "editors"})


def publication_before(entities: list[Entity], start: int) -> Entity | None:
    """The publication (entity type PUBLICATION: "The Harbour Post", "Dabiq, the group's
    magazine") mentioned last before ``start``."""
    best, best_pos = None, -1
    for e in entities:
        if e.type != "PUBLICATION":
            continue
        pos = max((s for s, _ in e.mentions if s < start), default=-1)
        if pos > best_pos:
            best, best_pos = e, pos
    return best


def _resolve(doc, text: str, att: Attribution, entities: list[Entity], previous: Entity | None,
             fallback: bool, resolved: dict[int, Entity | None]) -> Entity | None:
    if att.parent is not None:
        return resolved.get(id(att.parent))
    if att.source is None:
        return None
    span = doc[att.source.first:att.source.last + 1]
    ent = entity_in_span(entities, span.start_char, span.end_char, span.root.idx, text)
    if ent is None and span.text.lower() in RELATIVE and span.root.head.dep_ == "relcl":
        ante = span.root.head.head  # "the senator, who said ...": the noun the clause modifies
        lo = min(t.idx for t in ante.subtree if t.i <= ante.i)
        ent = entity_in_span(entities, lo, ante.idx + len(ante.text), ante.idx, text)
    if ent is None and OWNER_NAMES and span.root.pos_ == "NOUN":
        ent = owner_entity(span.root, entities, text)
    if ent is None and span[-1].lower_ in EDITORIAL and not any(t.pos_ == "PROPN" for t in span):
        ent = publication_before(entities, span.start_char)
    if ent is None and fallback and span.text.lower() in ALL_PRONOUNS:
        ent = pronoun_antecedent(span.text.lower(), span.start_char, entities, previous)
    if ent is not None and fallback:
        ent = full_name(ent, entities)
    return ent


def _content_spans(doc, text: str, att: Attribution) -> list[tuple[int, int]]:
    """Content runs as character spans without the quotation marks at their edges."""
    out = []
    for run in att.contents:
        start, end = marks.strip_marks(text, *_char_span(doc, run.first, run.last))
        if end > start:
            out.append((start, end))
    return out


def extract_quotes(doc, entities: list[Entity], model: str | None = None) -> list[Quote]:
    """Quotes of a parsed document, their speakers resolved against ``entities``."""
    cue_marginals = [0.0] * len(doc) if NEAR_CUES else None
    paras = paragraphs(doc)  # read once, shared by the tagger, the rules and the linker
    tagged, probs = tag(doc, model, cue_marginals, paras)
    labels = rules.apply(doc, tagged, cue_marginals, paras)
    probs = [p if a == b else RULE_SCORE for a, b, p in zip(tagged, labels, probs)]
    text = marks.doc_text(doc)  # Doc.text joins every token: read it once per document
    inside = marks.mask(text)
    fallback = not has_pronoun_mentions(text, entities)
    quotes: list[Quote] = []
    resolved: dict[int, Entity | None] = {}
    previous: Entity | None = None
    for att in link(doc, labels, probs, paras):
        ent = _resolve(doc, text, att, entities, previous, fallback, resolved)
        resolved[id(att)] = ent
        previous = ent or previous
        speaker_span = _char_span(doc, att.source.first, att.source.last) if att.source else None
        cue = _char_span(doc, att.cue.first, att.cue.last) if att.cue else None
        score = min(r.score for r in att.contents)
        for start, end in _content_spans(doc, text, att):
            quotes.append(Quote(id=f"q{len(quotes) + 1}", span=(start, end),
                                type=quote_type(text, inside, start, end),
                                speaker=ent.id if ent else None, speaker_span=speaker_span, cue=cue,
                                speaker_name=ent.name if ent else None, score=round(score, 3)))
    return quotes


def _run(doc, record, settings) -> None:
    record.quotes = extract_quotes(doc, record.entities)


STEP = Step(name="quotes", version=VERSION, requires=("entities",), run=_run)
