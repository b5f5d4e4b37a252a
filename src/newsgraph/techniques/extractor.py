"""Persuasion-technique spans, their labels, calibrated scores and the voice that uses them.

Span identification (SI) is BIO tagging by a fine-tuned MiniLM encoder over sentence windows
(the token-tagging systems of SemEval-2020 Task 11, Da San Martino et al., 2020). Each span is
labelled (TC) by a mix of the encoder's span-label head and a sparse lexical classifier that
sees document-level repetition and technique lexicons. A span's score is its tagger confidence
calibrated on ``ptc_dev`` (Platt scaling): the estimated chance that the span marks a technique.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..record import Quote, Sentence, Span, Technique
from .features import normalise, span_features
from .labels import LABELS
from .model import TechniqueModel, load_model
from .windows import Window, line_spans, make_windows, sentence_spans


@dataclass(slots=True)
class Candidate:
    window: int            # index into the windows list
    tokens: tuple[int, int]  # wordpiece range [i, j) in the window
    span: Span
    raw: float             # mean in-span tag probability


def decode(tags: np.ndarray, window: Window, index: int, min_raw: float, inside_p: float = 0.5
           ) -> list[Candidate]:
    """Spans from BIO tag probabilities: a token is inside when P(O) < ``inside_p`` (tuned on
    dev; above 0.5 trades precision for recall); a token more B than I starts a new span."""
    out, start = [], None
    inside = tags[:, 0] < inside_p
    for k in range(len(inside) + 1):
        begins = k < len(inside) and inside[k] and tags[k, 1] > tags[k, 2]
        if start is not None and (k == len(inside) or not inside[k] or begins):
            raw = float(1.0 - tags[start:k, 0].mean())
            if raw >= min_raw:
                out.append(Candidate(index, (start, k), (window.offsets[start][0], window.offsets[k - 1][1]), raw))
            start = None
        if k < len(inside) and inside[k] and start is None:
            start = k
    return out


_APOSTROPHES = "'\u2019"


def _in_word(text: str, i: int) -> bool:
    """text[i] is part of a word: alphanumeric, or an apostrophe between letters ("militia's")."""
    ch = text[i]
    return ch.isalnum() or (ch in _APOSTROPHES and 0 < i < len(text) - 1
                            and text[i - 1].isalnum() and text[i + 1].isalnum())


def snap(text: str, span: Span) -> Span:
    """Widen a span to whole words (a wordpiece span can start or end inside a word)."""
    s, e = span
    while s > 0 and _in_word(text, s - 1) and _in_word(text, s):
        s -= 1
    while e < len(text) and _in_word(text, e) and _in_word(text, e - 1):
        e += 1
    return (s, e)


def has_content(text: str, span: Span) -> bool:
    """A span of function words only ("The", "of it") cannot carry a technique."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = [w.strip(".,;:!?\"'\u2019\u201c\u201d()").lower() for w in text[span[0]:span[1]].split()]
    return any(w and w not in STOP_WORDS for w in words)


def pooled(hidden: np.ndarray, tokens: tuple[int, int]) -> np.ndarray:
    """The label head's input: mean of the span's vectors and the window's [CLS] vector."""
    i, j = tokens
    return np.concatenate([hidden[1 + i:1 + j].mean(axis=0), hidden[0]])


def label_probs(model: TechniqueModel, text: str, spans: list[Span], vectors: list[np.ndarray]) -> np.ndarray:
    """[n, labels]: the encoder head and the lexical classifier mixed (weight in config)."""
    if not spans:
        return np.zeros((0, len(LABELS)))
    norm = normalise(text)
    lexical = model.lexical.probs([span_features(text, s, norm) for s in spans])
    neural = model.head_probs(np.stack(vectors))
    a = float(model.config.get("mix", 0.5))
    mixed = np.exp(a * np.log(neural + 1e-9) + (1 - a) * np.log(lexical + 1e-9))
    return mixed / mixed.sum(axis=1, keepdims=True)


def calibrate(raw: float, config: dict) -> float:
    """Platt scaling of the tagger confidence, fitted on ptc_dev by ``train``."""
    a, b = config.get("platt", (1.0, 0.0))
    z = math.log(max(raw, 1e-6) / max(1 - raw, 1e-6))
    return 1.0 / (1.0 + math.exp(-(a * z + b)))


def speaker_of(span: Span, quotes: list[Quote]) -> str | None:
    """The speaker of the quote holding the span (at least half its characters inside), else None."""
    s, e = span
    best, best_in = None, 0
    for q in quotes:
        inside = min(e, q.span[1]) - max(s, q.span[0])
        if inside * 2 >= e - s and inside > best_in:
            best, best_in = q, inside
    return best.speaker if best else None


def _windows(model: TechniqueModel, text: str, sents: list[Span]) -> list[Window]:
    min_words = int(model.config.get("min_words", 3))
    keep = [s for s in sents if len(text[s[0]:s[1]].split()) >= min_words]
    return make_windows(model.tokenizer, text, keep, int(model.config.get("max_len", 128)))


def find_techniques(text: str, sents: list[Span], quotes: list[Quote], threshold: float,
                    model: TechniqueModel | None = None) -> list[Technique]:
    """Techniques in ``text`` read sentence by sentence (``sents``), sorted by offset."""
    model = model or load_model()
    windows = _windows(model, text, sents)
    if not windows:
        return []
    tags, hidden = model.encode(windows)
    min_raw = float(model.config.get("min_raw", 0.0))
    inside_p = float(model.config.get("inside", 0.5))
    cands = [c for i, w in enumerate(windows) for c in decode(tags[i], w, i, min_raw, inside_p)]
    for c in cands:
        c.span = snap(text, c.span)
    cands = [c for c in cands if has_content(text, c.span)]
    scores = [calibrate(c.raw, model.config) for c in cands]
    kept = [(c, sc) for c, sc in zip(cands, scores) if sc >= threshold]
    probs = label_probs(model, text, [c.span for c, _ in kept],
                        [pooled(hidden[c.window], c.tokens) for c, _ in kept])
    out = [Technique(technique=LABELS[int(p.argmax())], span=c.span, score=round(sc, 4),
                     speaker=speaker_of(c.span, quotes)) for (c, sc), p in zip(kept, probs)]
    return sorted(out, key=lambda t: t.span)


def sentences_with(sents: list[Span], techniques: list[Technique]) -> list[Sentence]:
    """A Sentence for every sentence span, listing the techniques whose spans overlap it."""
    out = []
    for s, e in sents:
        labels = {t.technique for t in techniques if t.span[0] < e and t.span[1] > s}
        out.append(Sentence(span=(s, e), techniques=sorted(labels)))
    return out


def extract_techniques(doc, quotes: list[Quote], threshold: float = 0.5
                       ) -> tuple[list[Technique], list[Sentence]]:
    """Technique spans of a parsed document and the sentence-level view of them.

    ``quotes`` attribute a span to the quoted speaker when it lies inside a quotation; spans in
    the article's own voice get ``speaker=None``. ``threshold`` is the minimum calibrated score.
    """
    sents = sentence_spans(doc)
    techniques = find_techniques(doc.text, sents, quotes, threshold)
    return techniques, sentences_with(sents, techniques)


def classify(text: str, spans: list[Span]) -> list[str]:
    """The technique used in each given span of ``text`` (SemEval-2020 T11 TC task).

    The span is read in its line (sentence window). A span given more than once gets its next
    most likely label each further time, as TC gold lists a span once per technique.
    """
    model = load_model()
    lines = line_spans(text, 0, len(text))
    windows = make_windows(model.tokenizer, text, lines, int(model.config.get("max_len", 128)))
    if not spans:
        return []
    _, hidden = model.encode(windows)
    vectors = [pooled(*_locate(windows, hidden, s)) for s in spans]
    probs = label_probs(model, text, [tuple(s) for s in spans], vectors)
    seen: dict[tuple[int, int], int] = {}
    out = []
    for s, p in zip(spans, probs):
        rank = seen.get(tuple(s), 0)
        seen[tuple(s)] = rank + 1
        out.append(LABELS[int(np.argsort(-p)[min(rank, len(LABELS) - 1)])])
    return out


def _locate(windows: list[Window], hidden: list[np.ndarray], span) -> tuple[np.ndarray, tuple[int, int]]:
    """The window holding most of ``span`` and the span's wordpiece range in it."""
    s, e = span
    best, best_overlap = 0, -1
    for i, w in enumerate(windows):
        overlap = min(e, w.end) - max(s, w.start)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    w = windows[best]
    idx = [k for k, (a, b) in enumerate(w.offsets) if a < e and b > s] or [0]
    return hidden[best], (idx[0], idx[-1] + 1)
