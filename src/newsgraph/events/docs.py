"""Per-document views of the shared parse, built once from its arrays.

spaCy makes a Python ``Token`` for every ``doc[i]`` and every step of ``for t in span``, and
rebuilds ``Doc.text``/``Span.text`` by joining all tokens on each read; the coder walks each
sentence several times (cues, tolls, places), mostly to skip tokens it has no use for. Here
the text is joined once from the ORTH/SPACY arrays and each token's coarse tag, entity IOB and
lower-cased lemma and form are read once from the arrays, so the loops make ``Token`` objects
only for the few tokens they need. A ``Doc`` hashes by identity: the caches hold the two most
recent documents.
"""
from __future__ import annotations

import functools
from bisect import bisect_left
from typing import NamedTuple


class Columns(NamedTuple):
    pos: list[str]          # coarse tag (Token.pos_)
    iob: list[str]          # entity IOB tag (Token.ent_iob_): "B", "I", "O" or ""
    lemma: list[str]        # Token.lemma_.lower()
    lower: list[str]        # Token.lower_
    title: list[bool]       # Token.is_title


@functools.lru_cache(maxsize=2)
def doc_text(doc) -> str:
    """``doc.text``, joined once from the parse's arrays (``Token.text_with_ws`` is the token's
    text plus a space where it has one)."""
    from spacy.attrs import ORTH, SPACY

    if not len(doc):
        return doc.text
    strings = doc.vocab.strings
    arr = doc.to_array([ORTH, SPACY]).tolist()
    table = {h: strings[h] for h in {h for h, _ in arr}}
    return "".join([table[h] + " " if sp else table[h] for h, sp in arr])


def sent_text(sent) -> str:
    """``sent.text`` (a sentence ends at its last token's text, without its trailing space)."""
    return doc_text(sent.doc)[sent.start_char:sent.end_char]


@functools.lru_cache(maxsize=2)
def columns(doc) -> Columns:
    from spacy.attrs import ENT_IOB, IS_TITLE, LEMMA, LOWER, POS
    from spacy.parts_of_speech import NAMES

    if not len(doc):
        return Columns([], [], [], [], [])
    strings = doc.vocab.strings
    arr = doc.to_array([POS, ENT_IOB, LEMMA, LOWER, IS_TITLE]).tolist()
    lemmas = {h: strings[h].lower() for h in {row[2] for row in arr}}
    lowers = {h: strings[h] for h in {row[3] for row in arr}}
    iob = {0: "", 1: "I", 2: "O", 3: "B"}
    return Columns([NAMES[r[0]] for r in arr], [iob[r[1]] for r in arr], [lemmas[r[2]] for r in arr],
                   [lowers[r[3]] for r in arr], [bool(r[4]) for r in arr])


@functools.lru_cache(maxsize=16)
def _positions(doc, key: str, values: frozenset) -> list[int]:
    col = getattr(columns(doc), key)
    return [i for i, v in enumerate(col) if v in values]


def tokens_where(sent, key: str, values: frozenset) -> list:
    """The sentence's tokens whose column ``key`` is in ``values``, in order."""
    doc = sent.doc
    pos = _positions(doc, key, values)
    lo, hi = bisect_left(pos, sent.start), bisect_left(pos, sent.end)
    return [doc[i] for i in pos[lo:hi]]
