"""Token features for the attribution tagger, read from the one shared spaCy parse.

The feature set follows the attribution-relation taggers of Pareti (2016, "PARC 3.0" and
"Attribution: a computational approach", CRF over lexical, syntactic and quotation features)
and Newell et al. (2018, PolNeAR baselines): lemma, POS, dependency, head lemma, the path to
the nearest reporting verb above the token, whether the token is inside quotation marks, the
distance to the nearest mark, reporting-verb and cue-phrase lexicon membership, and the
token's position in its sentence. One CRF sequence is one paragraph.
"""
from __future__ import annotations

import functools
from importlib import resources

from . import marks

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "us", "me"}


def _lexicon(name: str) -> frozenset[str]:
    path = resources.files("newsgraph") / "lexicons" / "quotes" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


@functools.lru_cache(maxsize=1)
def reporting_verbs() -> frozenset[str]:
    return _lexicon("reporting_verbs.txt")


@functools.lru_cache(maxsize=1)
def cue_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in sorted(_lexicon("cue_phrases.txt"), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def title_cues() -> frozenset[str]:
    return _lexicon("title_cues.txt")


def paragraphs(doc) -> list[list[int]]:
    """Token indices per paragraph (a run of text between line breaks); space tokens dropped."""
    out, cur = [], []
    for tok in doc:
        if tok.is_space or not tok.text.strip():
            if "\n" in tok.text and cur:
                out.append(cur)
                cur = []
            continue
        cur.append(tok.i)
        if "\n" in tok.whitespace_ and cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


MARKS = marks.MARK_CHARS + "`"


def phrase_flags(lowers: list[str]) -> list[str]:
    """Per token: 'B'/'I' when the token starts/continues a cue phrase from the lexicon, else ''."""
    flags = [""] * len(lowers)
    firsts = {p[0] for p in cue_phrases()}
    for i, low in enumerate(lowers):
        if flags[i] or low not in firsts:
            continue
        for phrase in cue_phrases():
            if tuple(lowers[i:i + len(phrase)]) == phrase:
                flags[i] = "B"
                for j in range(i + 1, i + len(phrase)):
                    flags[j] = "I"
                break
    return flags


def _cue_path(i: int, heads: list[int], rv: list[bool], lemmas: list[str], deps: list[str]) -> tuple[str, str]:
    """(lemma of the nearest reporting verb at or above token ``i``, dep of the branch it hangs on)."""
    if rv[i]:
        return lemmas[i], "SELF"
    child, node, hops = i, heads[i], 0
    while node != child and hops < 12:
        if rv[node]:
            return lemmas[node], deps[child]
        child, node, hops = node, heads[node], hops + 1
    return "", ""


def _bucket(n: int) -> str:
    return str(n) if n < 4 else ("4-7" if n < 8 else ("8-15" if n < 16 else "16+"))


def _mark_distances(base: list[dict], para: list[int]) -> tuple[list[int], list[int]]:
    """Tokens to the nearest quotation-mark token on the left and on the right, per token."""
    is_mark = [base[i]["mark"] == "1" for i in para]
    left, right, last = [], [0] * len(para), None
    for k, m in enumerate(is_mark):
        left.append(99 if last is None else k - last)
        if m:
            last = k
    last = None
    for k in range(len(para) - 1, -1, -1):
        right[k] = 99 if last is None else last - k
        if is_mark[k]:
            last = k
    return left, right


def _sentence_bounds(doc) -> list[tuple[int, int]]:
    bounds = [(0, len(doc))] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            bounds[i] = (sent.start, sent.end)
    return bounds


def _columns(doc) -> dict[str, list]:
    """Per-token attributes read from the parse's arrays (no Token objects; each attribute as
    ``Token`` would return it: ``lower_``, ``lemma_``, ``pos_``, ``tag_``, ``dep_``,
    ``ent_type_``, ``head.i``, ``idx``, the lexeme flags)."""
    from spacy.attrs import (DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_TITLE, IS_UPPER, LEMMA, LENGTH,
                             LOWER, POS, TAG)
    from spacy.parts_of_speech import NAMES as POS_NAMES
    names = ("lower", "lemma", "pos", "tag", "dep", "ent", "head", "idx", "len", "title", "punct", "upper")
    arr = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, HEAD, IDX, LENGTH, IS_TITLE, IS_PUNCT, IS_UPPER])
    heads = arr[:, 6].view("int64").tolist()  # relative offsets, stored unsigned
    cols = dict(zip(names, map(list, zip(*arr.tolist())))) if len(doc) else {n: [] for n in names}
    strings = doc.vocab.strings
    for name in ("lower", "lemma", "tag", "dep", "ent"):
        table = {h: strings[h] for h in set(cols[name])}
        cols[name] = [table[h] for h in cols[name]]
    cols["pos"] = [POS_NAMES[p] for p in cols["pos"]]
    cols["head"] = [i + h for i, h in enumerate(heads)]
    return cols


def token_base(doc, inside: list[bool], text: str | None = None) -> tuple[list[dict], list[tuple[int, int]]]:
    """(features of each token alone, sentence bounds of each token), by token position."""
    text = marks.doc_text(doc) if text is None else text
    c = _columns(doc)
    lowers, pos, deps, heads = c["lower"], c["pos"], c["dep"], c["head"]
    lemmas = [lem.lower() for lem in c["lemma"]]
    verbs = reporting_verbs()
    rv = [lem in verbs and p in ("VERB", "AUX", "NOUN") for lem, p in zip(lemmas, pos)]
    phrases = phrase_flags(lowers)
    out, bounds = [], _sentence_bounds(doc)
    for i, (idx, n) in enumerate(zip(c["idx"], c["len"])):
        tok_text = text[idx:idx + n]
        cue_lemma, cue_dep = _cue_path(i, heads, rv, lemmas, deps)
        s_start, s_end = bounds[i]
        h = heads[i]
        is_mark = all(ch in MARKS for ch in tok_text)
        out.append({
            "w": lowers[i], "lem": lemmas[i], "pos": pos[i], "tag": c["tag"][i], "dep": deps[i],
            "hlem": lemmas[h], "hpos": pos[h], "hdep": deps[h], "hhlem": lemmas[heads[h]],
            "ent": c["ent"][i], "shape": "X" if c["title"][i] else ("p" if c["punct"][i] else "x"),
            "q": "1" if inside[idx] else "0", "rv": "1" if rv[i] else "0",
            "ph": phrases[i], "cue": cue_lemma, "cdep": cue_dep,
            "pron": "1" if lowers[i] in PRONOUNS else "0",
            "spos": _bucket(i - s_start), "send": _bucket(s_end - 1 - i),
            "mark": "1" if is_mark else "0",
            "up": "1" if c["upper"][i] and n > 1 else "0",
        })
    return out, bounds


WINDOW_KEYS = ("lem", "pos", "q", "rv", "dep", "ph")  # "lem" first: see _window_strings


OFFSETS = (-2, -1, 1, 2)


def _own_strings(rows: list[dict]) -> list[tuple[str, ...]]:
    """Per token: its own "key=value" feature strings, in its dict's order (every row of
    ``token_base`` has the same keys). Built column by column, each distinct value formatted
    once: a column holds few distinct values (pos, dep, q, ...) or repeats many (w, lem)."""
    cols = []
    for key in (rows[0] if rows else ()):
        vals = [r[key] for r in rows]
        table = {v: f"{key}={v}" for v in set(vals)}
        cols.append([table[v] for v in vals])
    return list(zip(*cols))


def _token_strings(rows: list[dict]) -> list[tuple[str, ...]]:
    """Per token: its own feature strings, then its three conjunctions (cue+dep, q+pos, q+cdep),
    each distinct combination formatted once."""
    pairs: dict[tuple, tuple[str, str, str]] = {}
    out = []
    for own, r in zip(_own_strings(rows), rows):
        key = (r["cue"], r["cdep"], r["q"], r["pos"])
        p = pairs.get(key)
        if p is None:
            p = pairs[key] = (f"cue+dep={key[0]}|{key[1]}", f"q+pos={key[2]}|{key[3]}", f"q+cdep={key[2]}|{key[1]}")
        out.append(own + p)
    return out


# "ml=…", "mr=…", "pk=…" for 0..16 (``_bucket`` is "16+" from 16 on)
ML, MR, PK = (tuple(f"{name}={_bucket(n)}" for n in range(17)) for name in ("ml", "mr", "pk"))


def _window_strings(para: list[int], base: list[dict], cache: dict) -> list[dict[int, list[str]]]:
    """Per token of ``para``: offset -> its neighbour-window feature strings ("-1:lem=say", ...).
    The lemma's strings and those of the other window values are each built once per document
    (``cache``) and shared by the tokens that have them: most repeat (function words,
    punctuation), and building the strings dominated the feature time."""
    lemmas, rests = cache.setdefault("lem", {}), cache.setdefault("rest", {})
    out = []
    for i in para:
        b = base[i]
        lem, rest = b["lem"], tuple([b[key] for key in WINDOW_KEYS[1:]])
        ls = lemmas.get(lem)
        if ls is None:
            ls = lemmas[lem] = {off: f"{off}:lem={lem}" for off in OFFSETS}
        rs = rests.get(rest)
        if rs is None:
            rs = rests[rest] = {off: [f"{off}:{key}={val}" for key, val in zip(WINDOW_KEYS[1:], rest)]
                                for off in OFFSETS}
        out.append({off: [ls[off], *rs[off]] for off in OFFSETS})
    return out


def paragraph_features(para: list[int], base: list[dict], bounds: list[tuple[int, int]],
                       cache: dict | None = None) -> list[list[str]]:
    """CRFsuite feature strings for each token of one paragraph (``cache``: shared window
    strings, see ``_window_strings``; pass one dict for all paragraphs of a document)."""
    cache = {} if cache is None else cache
    win = _window_strings(para, base, cache)
    own = cache["own"] if "own" in cache else dict(zip(para, _token_strings([base[i] for i in para])))
    left, right = _mark_distances(base, para)
    sent_has_rv = {}
    sent_has_q = {}
    for i in para:
        s = bounds[i][0]
        sent_has_rv[s] = sent_has_rv.get(s, False) or base[i]["rv"] == "1" or base[i]["ph"] == "B"
        sent_has_q[s] = sent_has_q.get(s, False) or base[i]["q"] == "1"
    feats = []
    n = len(para)
    for k, i in enumerate(para):
        b = base[i]
        s = bounds[i][0]
        f = list(own[i])
        f += [ML[min(left[k], 16)], MR[min(right[k], 16)], PK[min(k, 16)],
              "srv=1" if sent_has_rv[s] else "srv=0", "sq=1" if sent_has_q[s] else "sq=0",
              "psent=first" if s <= para[0] else "psent=later"]
        for off in (-2, -1, 1, 2):
            j = k + off
            if 0 <= j < n:
                f += win[j][off]
            else:
                f.append(f"{off}:EDGE")
        if k > 0:
            f.append(f"-1w+w={base[para[k - 1]]['w']}|{b['w']}")
        feats.append(f)
    return feats


def doc_features(doc, paras: list[list[int]] | None = None) -> tuple[list[list[int]], list[list[list[str]]]]:
    """(paragraphs as token indices, features per paragraph) for a parsed document."""
    inside = list(marks.mask(marks.doc_text(doc))) + [False]
    base, bounds = token_base(doc, inside)
    paras = paragraphs(doc) if paras is None else paras
    cache: dict = {"own": _token_strings(base)}
    return paras, [paragraph_features(p, base, bounds, cache) for p in paras]
