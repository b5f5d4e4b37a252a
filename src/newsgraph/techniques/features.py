"""Lexical features of a span for the technique classifier (the TC task).

A sparse bag of the span's words and bigrams, its edges and context, its length, lexicon hits,
punctuation, and how often the span recurs in the document. Repetition is a document-level
technique a sentence encoder cannot see, so the recurrence count carries it (the n-gram
repetition feature of the SemEval-2020 T11 TC systems, e.g. Jurkiewicz et al., 2020).
Flag-Waving, Reductio ad Hitlerum, Doubt and cliché lexicons live in ``lexicons/techniques``.
"""
from __future__ import annotations

import functools
import re
from importlib import resources

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|[!?\"“”]")
LEXICONS = ("flag_waving", "reductio_bandwagon", "doubt_cues", "cliches")


@functools.lru_cache(maxsize=1)
def lexicons() -> dict[str, tuple[str, ...]]:
    """name -> lowercased phrases, read from the package's ``lexicons/techniques/*.txt``."""
    base = resources.files("newsgraph") / "lexicons" / "techniques"
    out = {}
    for name in LEXICONS:
        lines = (base / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        out[name] = tuple(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))
    return out


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def normalise(text: str) -> str:
    return " ".join(words(text))


def recurrence(span_text: str, doc_norm: str) -> int:
    """How many more times the span's words occur, in order, in the (normalised) document."""
    key = normalise(span_text)
    if not key:
        return 0
    return max(0, len(re.findall(r"(?<!\S)" + re.escape(key) + r"(?!\S)", doc_norm)) - 1)


def lexicon_hits(text_lower: str) -> list[str]:
    padded = f" {' '.join(words(text_lower))} "
    return [name for name, phrases in lexicons().items()
            if any(f" {p} " in padded for p in phrases)]


def span_features(text: str, span: tuple[int, int], doc_norm: str | None = None) -> dict[str, float]:
    """Sparse features of ``text[span[0]:span[1]]``; pass ``doc_norm = normalise(text)`` to reuse it."""
    s, e = span
    frag = text[s:e]
    ws = words(frag)
    doc_norm = normalise(text) if doc_norm is None else doc_norm
    f: dict[str, float] = {"bias": 1.0}
    for w in ws:
        f[f"w:{w}"] = 1.0
    for a, b in zip(ws, ws[1:]):
        f[f"b:{a}_{b}"] = 1.0
    if ws:
        f[f"first:{ws[0]}"] = f[f"last:{ws[-1]}"] = 1.0
    left, right = words(text[max(0, s - 40):s])[-2:], words(text[e:e + 40])[:2]
    for w in left:
        f[f"l:{w}"] = 1.0
    for w in right:
        f[f"r:{w}"] = 1.0
    n = _bucket(len(ws), (1, 2, 3, 5, 8, 13, 20))
    rep = _bucket(recurrence(frag, doc_norm), (0, 1, 2, 4))
    f[f"len:{n}"] = 1.0
    f[f"rep:{rep}"] = 1.0
    f[f"rep:{rep}|len:{n}"] = 1.0
    for name in lexicon_hits(frag.lower()):
        f[f"lex:{name}"] = 1.0
    f["caps"] = float(any(len(w) > 2 and w.isupper() for w in frag.split()))
    f["quoted"] = float(any(c in text[max(0, s - 1):e + 1] for c in "\"“”'‘’"))
    return f
