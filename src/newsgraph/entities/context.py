"""Per-token context the resolver needs, computed once per Doc with array operations:
which tokens lie inside quotation marks, and a sentence index that skips quoted sentences.

Quotation marks follow the convention of news text (and of the PolNeAR data README): curly
marks open and close, a straight ``"`` or a pair of apostrophes toggles, a paragraph break
closes an open quote. Sentences wholly inside a quotation do not count as distance for a
pronoun outside it ("Ryan said, '...three quoted sentences...' He added ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_TITLE, IS_UPPER, POS, SENT_START
from spacy.symbols import NOUN, PRON, PROPN

QUOTE_MARKS = re.compile(r"[“”«»„\"\n]|''")
OPENERS, CLOSERS = "“«„", "”»"


def char_quote_mask(text: str) -> numpy.ndarray:
    """1 for each character inside (or on) a double quotation mark."""
    mask = numpy.zeros(len(text) + 1, dtype=numpy.uint8)
    inside, opened = False, 0
    for m in QUOTE_MARKS.finditer(text):
        mark, at = m.group(), m.start()
        if mark == "\n":
            closes, opens = inside, False
        elif mark in OPENERS:
            closes, opens = inside, True
        elif mark in CLOSERS:
            closes, opens = inside, False
        else:
            closes, opens = inside, not inside
        if closes:
            mask[opened:m.end()] = 1
            inside = False
        if opens:
            inside, opened = True, at
    if inside:
        mask[opened:] = 1
    return mask


@dataclass(slots=True)
class Context:
    quoted: bytearray      # 1 for tokens inside quotation marks
    sent_of: list[int]     # discourse sentence index of each token
    capitalised: list[int]  # PROPN or capitalised NOUN tokens: where a missed name can be
    anaphors: list[int]    # PRON and NOUN tokens: where a pronoun or a description can be


def token_context(doc, text: str) -> Context:
    """Quote flags, discourse sentence index and candidate positions, from one array pass."""
    if len(doc) == 0:
        return Context(bytearray(), [], [], [])
    arr = doc.to_array([IDX, SENT_START, IS_ALPHA, POS, IS_TITLE, IS_UPPER]).astype(numpy.int64)
    quoted = char_quote_mask(text)[arr[:, 0]]
    starts = arr[:, 1] == 1
    starts[0] = True
    sent_id = numpy.cumsum(starts) - 1
    narrative = numpy.zeros(int(sent_id[-1]) + 1, dtype=numpy.int64)
    numpy.maximum.at(narrative, sent_id, ((arr[:, 2] == 1) & (quoted == 0)).astype(numpy.int64))
    narrative[0] = 1
    index = numpy.cumsum(narrative)[sent_id] - 1
    pos, upper = arr[:, 3], (arr[:, 4] == 1) | (arr[:, 5] == 1)
    capitalised = numpy.flatnonzero((pos == PROPN) | ((pos == NOUN) & upper))
    anaphors = numpy.flatnonzero((pos == PRON) | (pos == NOUN))
    return Context(bytearray(quoted.tobytes()), index.tolist(), capitalised.tolist(), anaphors.tolist())
