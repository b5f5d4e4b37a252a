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

import numpy as np

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
    """Token indices per paragraph (a run of text between line breaks); space tokens dropped.
    Read from the parse's arrays: a space token holding a line break ends a paragraph (a
    token's own trailing whitespace is at most one space, never a break)."""
    from spacy.attrs import IDX, IS_SPACE, LENGTH
    if not len(doc):
        return []
    arr = doc.to_array([IS_SPACE, IDX, LENGTH]).reshape(len(doc), 3)
    text = marks.doc_text(doc)
    space = arr[:, 0] != 0
    breaks = np.zeros(len(doc), dtype=np.intp)
    for i in np.nonzero(space)[0].tolist():
        idx, n = int(arr[i, 1]), int(arr[i, 2])
        breaks[i] = "\n" in text[idx:idx + n]
    keep = np.nonzero(~space)[0]
    if not len(keep):
        return []
    segment = np.cumsum(breaks)[keep]
    cuts = np.nonzero(np.diff(segment))[0] + 1
    return [part.tolist() for part in np.split(keep, cuts)]


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


BASE_KEYS = ("w", "lem", "pos", "tag", "dep", "hlem", "hpos", "hdep", "hhlem", "ent", "shape", "q", "rv",
             "ph", "cue", "cdep", "pron", "spos", "send", "mark", "up")


def token_columns(doc, inside: list[bool], text: str | None = None) -> tuple[dict[str, list[str]], list[tuple[int, int]]]:
    """(each feature of a token alone as a column over the document's tokens, keyed in
    ``BASE_KEYS`` order; sentence bounds of each token)."""
    text = marks.doc_text(doc) if text is None else text
    c = _columns(doc)
    lowers, pos, deps, heads = c["lower"], c["pos"], c["dep"], c["head"]
    lower_of = {lem: lem.lower() for lem in set(c["lemma"])}
    lemmas = [lower_of[lem] for lem in c["lemma"]]
    verbs = reporting_verbs()
    rv = [lem in verbs and p in ("VERB", "AUX", "NOUN") for lem, p in zip(lemmas, pos)]
    bounds = _sentence_bounds(doc)
    paths = [_cue_path(i, heads, rv, lemmas, deps) for i in range(len(lowers))]
    spans = list(zip(c["idx"], c["len"]))
    cols = {
        "w": lowers, "lem": lemmas, "pos": pos, "tag": c["tag"], "dep": deps,
        "hlem": [lemmas[h] for h in heads], "hpos": [pos[h] for h in heads], "hdep": [deps[h] for h in heads],
        "hhlem": [lemmas[heads[h]] for h in heads], "ent": c["ent"],
        "shape": ["X" if t else ("p" if p else "x") for t, p in zip(c["title"], c["punct"])],
        "q": ["1" if inside[idx] else "0" for idx, _ in spans], "rv": ["1" if r else "0" for r in rv],
        "ph": phrase_flags(lowers), "cue": [p[0] for p in paths], "cdep": [p[1] for p in paths],
        "pron": ["1" if w in PRONOUNS else "0" for w in lowers],
        "spos": [_bucket(i - s) for i, (s, _) in enumerate(bounds)],
        "send": [_bucket(e - 1 - i) for i, (_, e) in enumerate(bounds)],
        "mark": ["1" if all(ch in MARKS for ch in text[idx:idx + n]) else "0" for idx, n in spans],
        "up": ["1" if u and n > 1 else "0" for u, (_, n) in zip(c["upper"], spans)],
    }
    return cols, bounds


def token_base(doc, inside: list[bool], text: str | None = None) -> tuple[list[dict], list[tuple[int, int]]]:
    """(features of each token alone, sentence bounds of each token), by token position."""
    cols, bounds = token_columns(doc, inside, text)
    return [dict(zip(BASE_KEYS, vals)) for vals in zip(*cols.values())], bounds


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


Coded = tuple  # (codes: int array over the document's tokens, values: list[str] the codes index)


def _hash_column(col, strings, lower: bool = False) -> Coded:
    uniq, codes = np.unique(col, return_inverse=True)
    values = [strings[h] for h in uniq.tolist()]
    return codes.reshape(-1), [v.lower() for v in values] if lower else values


def _phrase_codes(lower: Coded) -> np.ndarray:
    """``phrase_flags`` as codes into ("", "B", "I"), checked only where a phrase's first word stands."""
    codes, values = lower
    firsts = {p[0] for p in cue_phrases()}
    out = np.zeros(len(codes), dtype=np.intp)
    starts = np.nonzero(np.array([v in firsts for v in values], dtype=bool)[codes])[0].tolist() if len(codes) else []
    for i in starts:
        if out[i]:
            continue
        for phrase in cue_phrases():
            if tuple(values[c] for c in codes[i:i + len(phrase)].tolist()) == phrase:
                out[i] = 1
                out[i + 1:i + len(phrase)] = 2
                break
    return out


def _cue_path_codes(heads: np.ndarray, rv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_cue_path`` for every token at once: (token whose lemma is the cue, token whose dep is the
    branch), -1 for none, and -2 as the branch of a reporting verb itself ("SELF")."""
    n = len(heads)
    idx = np.arange(n)
    node_at = np.where(rv, idx, -1)
    child_at = np.where(rv, -2, -1)
    active = ~rv
    child, node = idx, heads
    for _ in range(12):
        active &= node != child
        hit = active & rv[node]
        node_at[hit], child_at[hit] = node[hit], child[hit]
        active &= ~hit
        child, node = node, heads[node]
    return node_at, child_at


def coded_columns(doc, inside) -> dict[str, Coded]:
    """``token_columns`` as codes over each column's distinct values, computed on the parse's
    arrays (the same values: checked against ``token_columns`` in the tests)."""
    from spacy.attrs import (DEP, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_TITLE, IS_UPPER, LEMMA, LENGTH,
                             LOWER, POS, TAG)
    from spacy.parts_of_speech import NAMES as POS_NAMES
    arr = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, HEAD, IDX, LENGTH, IS_TITLE, IS_PUNCT, IS_UPPER])
    arr = arr.reshape(len(doc), 12)
    strings, n = doc.vocab.strings, len(doc)
    idx = np.arange(n)
    heads = idx + arr[:, 6].view("int64")
    lower = _hash_column(arr[:, 0], strings)
    lem = _hash_column(arr[:, 1], strings, lower=True)
    pos_u, pos_c = np.unique(arr[:, 2], return_inverse=True)
    pos = (pos_c.reshape(-1), [POS_NAMES[p] for p in pos_u.tolist()])
    dep = _hash_column(arr[:, 4], strings)
    verbs = reporting_verbs()
    rv = (np.array([v in verbs for v in lem[1]], dtype=bool)[lem[0]]
          & np.array([v in ("VERB", "AUX", "NOUN") for v in pos[1]], dtype=bool)[pos[0]]) if n else np.zeros(0, bool)
    node_at, child_at = _cue_path_codes(heads, rv)
    n_lem, n_dep = len(lem[1]), len(dep[1])
    cue = (np.where(node_at >= 0, lem[0][node_at], n_lem), lem[1] + [""])
    cdep = (np.where(child_at >= 0, dep[0][child_at], np.where(child_at == -2, n_dep, n_dep + 1)), dep[1] + ["SELF", ""])
    starts, ends = np.zeros(n, dtype=np.intp), np.full(n, n, dtype=np.intp)
    for sent in doc.sents:
        starts[sent.start:sent.end], ends[sent.start:sent.end] = sent.start, sent.end
    buckets = [_bucket(k) for k in range(17)]
    flag = ["0", "1"]
    lengths = arr[:, 8].astype(np.intp)
    mark_of = np.array([all(ch in MARKS for ch in v) for v in lower[1]], dtype=bool)
    return {
        "w": lower, "lem": lem, "pos": pos, "tag": _hash_column(arr[:, 3], strings), "dep": dep,
        "hlem": (lem[0][heads], lem[1]), "hpos": (pos[0][heads], pos[1]), "hdep": (dep[0][heads], dep[1]),
        "hhlem": (lem[0][heads[heads]], lem[1]), "ent": _hash_column(arr[:, 5], strings),
        "shape": (np.where(arr[:, 9] != 0, 0, np.where(arr[:, 10] != 0, 1, 2)), ["X", "p", "x"]),
        "q": (np.asarray(inside, dtype=bool)[arr[:, 7].astype(np.intp)].astype(np.intp), flag),
        "rv": (rv.astype(np.intp), flag), "ph": (_phrase_codes(lower), ["", "B", "I"]),
        "cue": cue, "cdep": cdep,
        "pron": (np.array([v in PRONOUNS for v in lower[1]], dtype=np.intp)[lower[0]], flag),
        "spos": (np.minimum(idx - starts, 16), buckets), "send": (np.minimum(ends - 1 - idx, 16), buckets),
        "mark": (mark_of[lower[0]].astype(np.intp), flag),
        "up": (((arr[:, 11] != 0) & (lengths > 1)).astype(np.intp), flag),
        "_starts": (starts, None),
    }


def _ids(prefix: str, col: Coded, attrs: dict[str, int], unknown: int) -> np.ndarray:
    """Attribute id of "{prefix}{value}" per token, each distinct value looked up once; one more
    entry at the end, ``unknown``, for gathers that point past the tokens."""
    codes, values = col
    return np.array([attrs.get(prefix + v, unknown) for v in values] + [unknown], dtype=np.intp)[codes]


def _paragraph_layout(paras: list[list[int]], n: int) -> dict[str, np.ndarray]:
    """The paragraphs' tokens in order, and per token: its position in its paragraph, its
    paragraph's first token, and its neighbours at each window offset (``n``: none)."""
    toks = np.array([i for p in paras for i in p], dtype=np.intp)
    lens = np.array([len(p) for p in paras], dtype=np.intp)
    first_pos = np.repeat(np.cumsum(lens) - lens, lens)       # position of the paragraph's first token
    last_pos = first_pos + np.repeat(lens, lens) - 1
    k = np.arange(len(toks)) - first_pos
    out = {"toks": toks, "k": k, "first_pos": first_pos, "last_pos": last_pos}
    for off in OFFSETS:
        j = np.arange(len(toks)) + off
        ok = (j >= first_pos) & (j <= last_pos)
        out[off] = np.where(ok, toks[np.clip(j, 0, max(len(toks) - 1, 0))], n)
    return out


def _mark_distance_codes(is_mark: np.ndarray, first_pos: np.ndarray, last_pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_mark_distances`` over all paragraphs at once, capped at 16 (the bucket of 16 and of 99)."""
    pos = np.arange(len(is_mark))
    before = np.maximum.accumulate(np.where(is_mark, pos, -1)) if len(pos) else pos
    before = np.concatenate(([-1], before[:-1])) if len(pos) else pos
    left = np.where(before >= first_pos, pos - before, 99)
    after = np.minimum.accumulate(np.where(is_mark, pos, len(pos) + 99)[::-1])[::-1] if len(pos) else pos
    after = np.concatenate((after[1:], [len(pos) + 99])) if len(pos) else pos
    right = np.where(after <= last_pos, after - pos, 99)
    return np.minimum(left, 16), np.minimum(right, 16)


def _sentence_flags(flag: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per token: does any token of its group (paragraph and sentence) have ``flag``?"""
    if not len(group):
        return flag
    _, inv = np.unique(group, return_inverse=True)
    inv = inv.reshape(-1)
    return np.bincount(inv, weights=flag, minlength=inv.max() + 1)[inv] > 0


def feature_ids(doc, paras: list[list[int]], attrs: dict[str, int], unknown: int) -> np.ndarray:
    """The attribute ids of ``paragraph_features``' strings as a (templates, tokens) array over
    the paragraphs' tokens in order: row r holds each token's r-th feature (``unknown`` where
    the model lacks it, or where a window at a paragraph's edge has one "EDGE" feature instead
    of six). Summing the model's weights row by row gives the state scores CRFsuite computes
    from the strings (``crf.py``); each distinct value's string is built once."""
    text = marks.doc_text(doc)
    cols = coded_columns(doc, marks.mask(text))
    n = len(doc)
    lay = _paragraph_layout(paras, n)
    toks = lay["toks"]
    rows = [_ids(f"{key}=", cols[key], attrs, unknown)[toks] for key in BASE_KEYS]
    rows += _conjunction_ids(cols, toks, attrs, unknown)
    ml, mr = _mark_distance_codes(cols["mark"][0][toks] == 1, lay["first_pos"], lay["last_pos"])
    for strings, codes in ((ML, ml), (MR, mr), (PK, np.minimum(lay["k"], 16))):
        rows.append(np.array([attrs.get(s, unknown) for s in strings], dtype=np.intp)[codes])
    starts = cols["_starts"][0][toks]
    group = np.repeat(np.arange(len(paras)), [len(p) for p in paras]) * (n + 1) + starts
    has_rv = _sentence_flags(((cols["rv"][0] == 1) | (cols["ph"][0] == 1))[toks], group)
    has_q = _sentence_flags((cols["q"][0] == 1)[toks], group)
    first_tok = toks[lay["first_pos"]] if len(toks) else toks
    for flag, yes, no in ((has_rv, "srv=1", "srv=0"), (has_q, "sq=1", "sq=0"),
                          (starts <= first_tok, "psent=first", "psent=later")):
        rows.append(np.where(flag, attrs.get(yes, unknown), attrs.get(no, unknown)))
    for off in OFFSETS:
        nb = lay[off]
        for k, key in enumerate(WINDOW_KEYS):
            ids = _ids(f"{off}:{key}=", cols[key], attrs, unknown)
            ids = np.append(ids, unknown)[nb]  # n: past the tokens -> unknown
            if k == 0:
                ids[nb == n] = attrs.get(f"{off}:EDGE", unknown)
            rows.append(ids)
    rows.append(_bigram_ids(cols["w"], toks, lay, attrs, unknown))
    return np.array(rows, dtype=np.intp).reshape(len(rows), len(toks))


def _conjunction_ids(cols: dict[str, Coded], toks: np.ndarray, attrs: dict[str, int], unknown: int) -> list[np.ndarray]:
    """cue+dep, q+pos, q+cdep per token, each distinct combination formatted once."""
    parts = [cols[key] for key in ("cue", "cdep", "q", "pos")]
    key = np.zeros(len(toks), dtype=np.int64)
    for codes, values in parts:
        key = key * (len(values) + 1) + codes[toks]
    uniq, inv = np.unique(key, return_inverse=True)
    inv = inv.reshape(-1)
    firsts = np.zeros(len(uniq), dtype=np.intp)
    firsts[inv] = toks
    table = []
    for i in firsts.tolist():
        cue, cdep, q, pos = (values[codes[i]] for codes, values in parts)
        table.append((attrs.get(f"cue+dep={cue}|{cdep}", unknown), attrs.get(f"q+pos={q}|{pos}", unknown),
                      attrs.get(f"q+cdep={q}|{cdep}", unknown)))
    table = np.array(table, dtype=np.intp).reshape(len(uniq), 3)
    return list(table[inv].T)


def _bigram_ids(lower: Coded, toks: np.ndarray, lay: dict, attrs: dict[str, int], unknown: int) -> np.ndarray:
    """"-1w+w=prev|word" per token but a paragraph's first, each distinct pair looked up once."""
    codes, values = lower
    has_prev = lay["k"] > 0
    prev = toks[np.maximum(np.arange(len(toks)) - 1, 0)] if len(toks) else toks
    key = codes[prev].astype(np.int64) * (len(values) + 1) + codes[toks]
    key = np.where(has_prev, key, -1)
    uniq, inv = np.unique(key, return_inverse=True)
    width = len(values) + 1
    table = np.array([attrs.get(f"-1w+w={values[k // width]}|{values[k % width]}", unknown) if k >= 0 else unknown
                      for k in uniq.tolist()], dtype=np.intp)
    return table[inv.reshape(-1)]
