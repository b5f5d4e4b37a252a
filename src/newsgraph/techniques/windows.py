"""Sentence windows and wordpiece encoding shared by training and run time.

The encoder reads one sentence at a time (a spaCy sentence cut again at line breaks, as PTC
articles are one sentence per line): short windows keep the quadratic attention cheap on CPU.
A sentence longer than ``max_len`` wordpieces is cut into consecutive pieces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

Span = tuple[int, int]
CLS, SEP = 101, 102  # BERT uncased vocabulary ids of [CLS] and [SEP]


@dataclass(slots=True)
class Window:
    """A stretch of text fed to the encoder: wordpiece ids and their character offsets."""
    start: int                 # offset of the window in the document text
    end: int
    ids: list[int]             # wordpieces without [CLS]/[SEP]
    offsets: list[Span]        # document offsets of each wordpiece


def line_spans(text: str, start: int, end: int) -> list[Span]:
    """Cut ``text[start:end]`` at line breaks and trim whitespace; blank pieces are dropped."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_spans(doc, text: str | None = None) -> list[Span]:
    """Sentences of a spaCy Doc, cut at line breaks, trimmed, in order.

    ``doc.text`` is read once: spaCy rebuilds it from every token on each access, so reading it
    per sentence made this quadratic in the document's length (half the extractor's time)."""
    text, out = doc.text if text is None else text, []
    for sent in doc.sents:
        out.extend(line_spans(text, sent.start_char, sent.end_char))
    return out


def make_windows(tokenizer, text: str, spans: list[Span], max_len: int = 128, encodings=None) -> list[Window]:
    """Tokenize each span of ``text`` and cut it into windows of at most ``max_len - 2`` pieces
    (``encodings``: the spans' tokenizer encodings when the caller has them already)."""
    if not spans:
        return []
    encs = encodings if encodings is not None else tokenizer.encode_batch(
        [text[s:e] for s, e in spans], add_special_tokens=False)
    room, out = max_len - 2, []
    for (s, _e), enc in zip(spans, encs):
        pairs = [(i, (s + a, s + b)) for i, (a, b) in zip(enc.ids, enc.offsets) if b > a]
        for k in range(0, len(pairs), room):
            part = pairs[k:k + room]
            out.append(Window(part[0][1][0], part[-1][1][1], [p[0] for p in part], [p[1] for p in part]))
    return out


def batch_arrays(windows: list[Window]) -> tuple[np.ndarray, np.ndarray]:
    """Padded ``input_ids`` and ``attention_mask`` (int64) with [CLS] ... [SEP] around each window."""
    width = max(len(w.ids) for w in windows) + 2
    ids = np.zeros((len(windows), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, w in enumerate(windows):
        row = [CLS, *w.ids, SEP]
        ids[i, :len(row)] = row
        mask[i, :len(row)] = 1
    return ids, mask


def load_tokenizer(path: str):
    """A ``tokenizers.Tokenizer`` with padding and truncation off (windows do their own)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(path)
    tok.no_padding()
    tok.no_truncation()
    return tok
