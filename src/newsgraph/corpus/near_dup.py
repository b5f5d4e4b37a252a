"""Near-duplicate articles (syndicated wire copy) by MinHash over word shingles.

Broder (1997), "On the resemblance and containment of documents": the Jaccard similarity of
two documents' sets of w-word shingles, estimated by MinHash signatures (datasketch); candidate
pairs come from locality-sensitive hashing of the signature in ``BANDS`` bands of ``ROWS``
rows (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3), which a store keeps
in an indexed table so grouping survives restarts. Two documents whose estimated Jaccard
similarity is at least ``THRESHOLD`` are one story.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

NUM_PERM = 64
BANDS, ROWS = 16, 4          # candidates from ~0.5 Jaccard up; verified against THRESHOLD
SHINGLE = 5                  # words per shingle
THRESHOLD = 0.8
SCHEME = "affine32"         # datasketch >= 2.0 default; stored signatures depend on it
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _template():
    from datasketch import MinHash
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)


def shingles(text: str, w: int = SHINGLE) -> set[bytes]:
    """The set of lowercased w-word shingles of a text (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= w:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + w]).encode() for i in range(len(words) - w + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint64 values) of a text's shingles."""
    from datasketch import MinHash
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=_template().permutations, scheme=SCHEME)
    m.update_batch(list(shingles(text)))
    return m.hashvalues.astype(np.uint64)


def bands(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band number, signed 64-bit hash of that band's rows) for LSH candidate lookup."""
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append((b, int.from_bytes(digest, "little", signed=True)))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values."""
    return float(np.mean(a == b))


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8")
