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
from .labels import LABELS, SENTENCE_SCALE
from .model import TechniqueModel, load_model
from .sentence import sentence_score
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


@dataclass(slots=True)
class Reading:
    """What the models make of one document, before any threshold."""
    sents: list[Span]               # sentences of at least ``min_words`` words
    lexical: list[float]            # the pre-filter's log-odds per sentence
    tagger: list[float | None]      # strongest in-sentence inside-probability (None: not encoded)
    head: list[float | None]        # the sentence head's log-odds, max over the sentence's windows
    windows: list[Window]
    owner: list[int]                # window -> index into ``sents``
    hidden: list[np.ndarray]
    tags: list[np.ndarray]
    candidates: list[Candidate]


def read(model: TechniqueModel, text: str, sents: list[Span], prefilter: float | None = None,
         inside: float | None = None) -> Reading:
    """Pre-filter the sentences, encode the candidates, decode span candidates.

    ``prefilter`` (log-odds) and ``inside`` override the model's; ``prefilter=-inf`` encodes
    every sentence."""
    config = model.config
    min_words = int(config.get("min_words", 3))
    sents = [s for s in sents if len(text[s[0]:s[1]].split()) >= min_words]
    encs = model.tokenizer.encode_batch([text[s:e] for s, e in sents], add_special_tokens=False) \
        if model.uses_tokens and sents else None
    lexical = model.prefilter(text, sents, encs)
    cut = float(config.get("prefilter", -math.inf)) if prefilter is None else prefilter
    chosen = [i for i, z in enumerate(lexical) if z >= cut]
    windows = make_windows(model.tokenizer, text, [sents[i] for i in chosen], int(config.get("max_len", 128)),
                           None if encs is None else [encs[i] for i in chosen])
    tags, hidden = model.encode(windows) if windows else ([], [])
    tagger: list[float | None] = [None] * len(sents)
    head: list[float | None] = [None] * len(sents)
    owner = [chosen[k] for k in _owners(windows, [sents[i] for i in chosen])]
    for w, i in enumerate(owner):
        top = float(1.0 - tags[w][:, 0].min()) if len(tags[w]) else 0.0
        tagger[i] = max(tagger[i] or 0.0, top)
        z = model.sentence_logit(hidden[w])
        if z is not None:
            head[i] = z if head[i] is None else max(head[i], z)
    reading = Reading(sents, lexical, tagger, head, windows, owner, hidden, tags, [])
    reading.candidates = candidates(reading, text, float(config.get("inside", 0.5)) if inside is None else inside)
    return reading


def candidates(reading: Reading, text: str, inside: float) -> list[Candidate]:
    """Span candidates decoded from the tag probabilities, widened to whole words, without the
    function-word-only ones."""
    cands = [c for i, w in enumerate(reading.windows) for c in decode(reading.tags[i], w, i, 0.0, inside)]
    for c in cands:
        c.span = snap(text, c.span)
    return [c for c in cands if has_content(text, c.span)]


def _owners(windows: list[Window], sents: list[Span]) -> list[int]:
    """For each window (in order), the index of the sentence it was cut from."""
    out, k = [], 0
    for w in windows:
        while sents[k][1] < w.end:
            k += 1
        out.append(k)
    return out


def sentence_scores(reading: Reading, config: dict) -> list[float]:
    """Calibrated P(the sentence uses a technique), one per ``reading.sents``."""
    stack = config.get("stack", [1.0, 0.0, 0.0, 1.0, 0.0])
    return [sentence_score(z, t, stack, h) for z, t, h in zip(reading.lexical, reading.tagger, reading.head)]


@dataclass(slots=True)
class Pick:
    """A span kept for the record, before and after its label."""
    span: Span
    score: float
    sentence: int           # index into ``Reading.sents``
    vector: np.ndarray      # the label head's input
    label: str = ""


def pick_spans(reading: Reading, sent_scores: list[float], threshold: float, config: dict) -> list[Pick]:
    """Candidate spans scoring at least ``threshold`` inside sentences scoring at least ``threshold``
    (the sentence classifier vetoes spans in sentences it finds plain: precision first)."""
    out = []
    for c in reading.candidates:
        k = reading.owner[c.window]
        sc = calibrate(c.raw, config)
        if sc >= threshold and sent_scores[k] >= threshold:
            out.append(Pick(c.span, sc, k, pooled(reading.hidden[c.window], c.tokens)))
    return out


def fill_sentences(reading: Reading, sent_scores: list[float], fill: float, config: dict) -> list[Pick]:
    """A whole-sentence span for each sentence scoring at least ``fill`` that holds no candidate
    span scoring at least ``config["fill_floor"]``: the sentence classifier is sure but the tagger
    drew no confident boundary (the span's score is the sentence's). The floor is fixed, not the
    threshold, so a higher threshold still gives a subset of the spans."""
    floor = float(config.get("fill_floor", 0.3))
    have = {reading.owner[c.window] for c in reading.candidates if calibrate(c.raw, config) >= floor}
    first: dict[int, int] = {}
    for w, k in enumerate(reading.owner):
        first.setdefault(k, w)
    out = []
    for k, sc in enumerate(sent_scores):
        if sc >= fill and k not in have and k in first:
            w = first[k]
            vector = pooled(reading.hidden[w], (0, len(reading.windows[w].ids)))
            out.append(Pick(reading.sents[k], sc, k, vector))
    return out


def label_picks(model: TechniqueModel, text: str, picks: list[Pick], sentence_level: bool) -> None:
    """Set each pick's label; ``sentence_level`` restricts them to the sentence-scale techniques."""
    if not picks:
        return
    probs = label_probs(model, text, [p.span for p in picks], [p.vector for p in picks])
    if sentence_level:
        probs = probs * np.array([lab in SENTENCE_SCALE for lab in LABELS], dtype=float)
    for p, row in zip(picks, probs):
        p.label = LABELS[int(row.argmax())]


def find_techniques(text: str, sents: list[Span], quotes: list[Quote], threshold: float,
                    model: TechniqueModel | None = None) -> tuple[list[Technique], list[Sentence]]:
    """Techniques in ``text`` read sentence by sentence (``sents``), sorted by offset, and the
    sentence view of them (every sentence of ``sents``, with its score when it was read).

    Spans of sentence-scale techniques (``SENTENCE_SCALE``) cover their whole sentence, as the
    PTC annotators marked them: 40-64 % of Doubt, Causal_Oversimplification, Black-and-White,
    Whataboutism, Appeal_to_fear and Appeal_to_Authority spans in ``ptc_train`` cover at least
    80 % of their sentence, against 1-5 % of Loaded_Language and Name_Calling spans."""
    model = model or load_model()
    reading = read(model, text, sents)
    out, scores = decide(model, text, reading, quotes, threshold)
    return out, sentences_with(sents, out, dict(zip(reading.sents, scores)))


def decide(model: TechniqueModel, text: str, reading: Reading, quotes: list[Quote], threshold: float
           ) -> tuple[list[Technique], list[float]]:
    """The techniques reported at ``threshold``, and the score of each ``reading.sents``."""
    config = model.config
    sent_scores = sentence_scores(reading, config)
    picks = pick_spans(reading, sent_scores, threshold, config)
    label_picks(model, text, picks, sentence_level=False)
    filled = fill_sentences(reading, sent_scores, max(threshold, float(config.get("fill", 1.01))), config)
    label_picks(model, text, filled, sentence_level=True)
    found: dict[tuple[Span, str], Technique] = {}
    for p in picks + filled:
        span = reading.sents[p.sentence] if p.label in SENTENCE_SCALE else p.span
        t = Technique(technique=p.label, span=span, score=round(p.score, 4), speaker=speaker_of(span, quotes))
        if (span, p.label) not in found or found[(span, p.label)].score < t.score:
            found[(span, p.label)] = t
    return sorted(found.values(), key=lambda t: (t.span, t.technique)), sent_scores


def sentences_with(sents: list[Span], techniques: list[Technique],
                   scores: dict[Span, float] | None = None) -> list[Sentence]:
    """A Sentence for every sentence span, listing the techniques whose spans overlap it, and its
    score when it has one (sentences under ``min_words`` words are not scored)."""
    out, scores = [], scores or {}
    for s, e in sents:
        labels = {t.technique for t in techniques if t.span[0] < e and t.span[1] > s}
        score = scores.get((s, e))
        out.append(Sentence(span=(s, e), techniques=sorted(labels),
                            score=None if score is None else round(score, 4)))
    return out


def extract_techniques(doc, quotes: list[Quote], threshold: float = 0.3, text: str | None = None
                       ) -> tuple[list[Technique], list[Sentence]]:
    """Technique spans of a parsed document and the sentence-level view of them.

    ``quotes`` attribute a span to the quoted speaker when it lies inside a quotation; spans in
    the article's own voice get ``speaker=None``. ``threshold`` is the minimum calibrated score.
    ``text`` (optional) is ``doc.text`` when the caller has it already (spaCy rebuilds it from
    every token on each access).
    """
    text = doc.text if text is None else text
    return find_techniques(text, sentence_spans(doc, text), quotes, threshold)


def classify(text: str, spans: list[Span], model: TechniqueModel | None = None) -> list[str]:
    """The technique used in each given span of ``text`` (SemEval-2020 T11 TC task).

    The span is read in its line (sentence window). A span given more than once gets its next
    most likely label each further time, as TC gold lists a span once per technique.
    """
    model = model or load_model()
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
