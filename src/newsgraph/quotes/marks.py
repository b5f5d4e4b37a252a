"""Quotation marks: which characters lie inside a quotation, and the quoted regions.

Rules (the news convention, as in the PolNeAR conversion of ``shared/data/quotes``):
curly “ and guillemet « open, ” and » close; a straight ``"`` or a pair of apostrophes ``''``
(the NYT's typesetting) toggles; a line break closes whatever is open, so an unbalanced mark
costs at most the rest of its paragraph. A paragraph that ends inside a quotation and is
followed by one that opens with a mark is one quotation over both paragraphs (AP Stylebook,
"quotation marks": no closing mark at the end of a quoted paragraph that the quote continues).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

OPEN = "\u201c\u201e\u00ab"    # “ „ «
CLOSE = "\u201d\u00bb\u201f"   # ” » ‟
TOGGLE = '"'
MARK_CHARS = OPEN + CLOSE + TOGGLE + "'\u2018\u2019"


@dataclass(frozen=True, slots=True)
class Region:
    """A quoted stretch: ``start``/``end`` exclude the marks; ``closed`` is False when the
    paragraph ended first; ``continues`` is True when the next paragraph reopens it."""
    start: int
    end: int
    closed: bool
    continues: bool = False


def _mark_at(text: str, i: int) -> tuple[str, int]:
    """('open' | 'close' | 'toggle' | '', width) of a quotation mark at ``text[i]``."""
    ch = text[i]
    if ch in OPEN:
        return "open", 1
    if ch in CLOSE:
        return "close", 1
    if ch == TOGGLE:
        return "toggle", 1
    if text.startswith("''", i):
        return "toggle", 2
    if text.startswith("``", i):  # PTB-style opening, seen in some wire copy
        return "open", 2
    return "", 1


# what ``_mark_at`` reads as a mark, and line breaks, in its order of precedence: scanning with
# this visits the same positions as stepping through every character by the marks' widths
_SIGNIFICANT = re.compile("\n|[" + re.escape(OPEN + CLOSE + TOGGLE) + "]|''|``")


@functools.lru_cache(maxsize=2)
def doc_text(doc) -> str:
    """``doc.text``, built once per document: spaCy joins every token (a Python object each) on
    each read, and the tagger, the rules and the linker all need it. A ``Doc`` hashes by
    identity, so the cache holds the two most recent documents. Joined from the parse's arrays
    (each token's text, then a space where it has one: ``Token.text_with_ws``)."""
    from spacy.attrs import ORTH, SPACY
    if not len(doc):
        return doc.text
    strings = doc.vocab.strings
    arr = doc.to_array([ORTH, SPACY]).reshape(len(doc), 2).tolist()
    table = {h: strings[h] for h in {h for h, _ in arr}}
    return "".join([table[h] + " " if sp else table[h] for h, sp in arr])


@functools.lru_cache(maxsize=8)
def regions(text: str) -> tuple[Region, ...]:
    """Quoted regions of ``text`` in order (never raises on unbalanced marks). Cached: the
    tagger, the rules and the decoder all read the same document's marks."""
    out: list[Region] = []
    start = None
    for m in _SIGNIFICANT.finditer(text):  # only line breaks and marks change the state
        i = m.start()
        if text[i] == "\n":
            if start is not None:
                out.append(Region(start, i, closed=False))
                start = None
            continue
        kind, width = _mark_at(text, i)
        if kind == "open" or (kind == "toggle" and start is None):
            start = i + width  # a second opening mark restarts the region (typo-tolerant)
        elif kind in ("close", "toggle") and start is not None:
            out.append(Region(start, i, closed=True))
            start = None
    if start is not None:
        out.append(Region(start, len(text), closed=False))
    _link_continuations(text, out)
    return tuple(r for r in out if text[r.start:r.end].strip())


def _link_continuations(text: str, found: list[Region]) -> None:
    for k, (a, b) in enumerate(zip(found, found[1:])):
        if a.closed:
            continue
        between = text[a.end:b.start]
        # only blank lines and the reopening mark may lie between the two parts
        if "\n" in between and not between.replace("\n", "").strip(" \t" + OPEN + TOGGLE + "'`"):
            found[k] = Region(a.start, a.end, a.closed, continues=True)


@functools.lru_cache(maxsize=8)
def mask(text: str) -> tuple[bool, ...]:
    """Per character: inside a quotation (marks themselves count as inside). Cached like
    ``regions``: the tagger, the rules and the decoder all read it."""
    flags = [False] * len(text)
    for r in regions(text):
        lo = r.start - 1 if r.start > 0 and text[r.start - 1] in MARK_CHARS else r.start
        hi = r.end + 1 if r.end < len(text) and text[r.end] in MARK_CHARS else r.end
        flags[lo:hi] = [True] * (hi - lo)
    return tuple(flags)


def strip_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past quotation marks, spaces and trailing commas at its edges."""
    while start < end and (text[start] in MARK_CHARS + "`" or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in MARK_CHARS + "`,:;" or text[end - 1].isspace()):
        end -= 1
    return start, end
