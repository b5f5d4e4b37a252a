"""Rules for quotation-mark quotes the tagger left untagged, written into its label sequence.

Patterns (news and transcript conventions, cf. Pouliquen et al. 2007 "Automatic detection of
quotations in multilingual news"; Elson & McKeown 2010 on speech-verb adjacency):
  ``“...,” Name said`` / ``“...,” said Name``   the cue and speaker right after the closing mark;
  ``Name said: “...”``                             the cue and speaker right before the opening mark;
  ``“...” ― Name``                                 a dash byline after a quoted reader comment;
  ``Name ridiculed X for acting “...”``             a reporting verb governing the quote;
  ``NAME: ...``                                    a transcript turn (upper-case speaker, colon);
  ``According to X, ...`` / ``..., according to X.``  the cue phrase AP style prefers for documents;
  ``As X put it, “...”`` / ``“...,” as X put it``  the idiom that quotes without a reporting verb.
``“...,” said the ruling`` takes the noun after the verb as the source, and ``X, known as Y``
names something: a cue the tagger put on "known as" is dropped (not speech).
A quoted stretch shorter than ``MIN_WORDS`` with no cue next to it stays a scare quote.
Content runs are also repaired where the tagger ran them over an attribution boundary: a closing
mark before '..., Name said', a quotation opening a sentence, a reporting verb or reporting noun that
heads an attribution of its own inside the run, and a second 'and that' complement of the same cue.
"""
from __future__ import annotations

from . import marks
from .decode import person_before
from .features import paragraphs, reporting_verbs

MIN_WORDS = 4
DASHES = {"\u2015", "\u2014", "--"}


def _words(doc, first: int, last: int) -> int:
    return sum(1 for t in doc[first:last + 1] if t.is_alpha)


def _tag(labels, first, last, kind) -> None:
    for i in range(first, last + 1):
        labels[i] = ("B-" if i == first else "I-") + kind


def _name_after(doc, i: int, limit: int = 4) -> tuple[int, int] | None:
    while i < len(doc) and doc[i].is_space:  # "― \xa0Name": a no-break space after the dash
        i += 1
    j = i
    while j < len(doc) and j - i < limit and doc[j].pos_ == "PROPN":
        j += 1
    return (i, j - 1) if j > i else None


def _source_cue_after(doc, k: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """After the closing mark at token ``k``: 'Name said' or 'said Name' or '― Name'."""
    j = k + 1
    if any(d in doc[k].text for d in DASHES):  # "”―" tokenised as one
        name = _name_after(doc, j)
        return (name, (k, k)) if name else None
    while j < len(doc) and (doc[j].text == "," or not doc[j].text.strip()):
        j += 1
    if j < len(doc) and doc[j].text in DASHES:
        name = _name_after(doc, j + 1)
        return (name, (j, j)) if name else None
    verbs = reporting_verbs()
    for n in range(j, min(j + 5, len(doc))):
        tok = doc[n]
        if tok.is_punct or tok.is_space:
            break
        # after a subject the small tagger sometimes reads "announces" as a noun
        if tok.lemma_.lower() in verbs and (tok.pos_ in ("VERB", "AUX") or (n > j and tok.tag_ == "NNS")):
            if n > j:
                return (j, n - 1), (n, n)
            name = _name_after(doc, n + 1)
            return ((name, (n, n)) if name else None)
    return None


def _source_cue_before(doc, k: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Before the opening mark at token ``k``: 'Name said:' / 'Name said,' ."""
    j = k - 1
    while j >= 0 and doc[j].is_space:  # "The Times reports:\n\n“...”": a quote opening the next paragraph
        j -= 1
    if j >= 0 and doc[j].text in (":", ","):
        # "Name wrote in her newsletter:": the colon hangs on the verb it ends
        head = doc[j].head
        j = head.i if doc[j].text == ":" and head.i < j and j - head.i <= 6 and head.pos_ == "VERB" else j - 1
    if j < 1 or doc[j].lemma_.lower() not in reporting_verbs() or doc[j].pos_ not in ("VERB", "AUX"):
        return None
    subj = next((c for c in doc[j].children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    left = min(t.i for t in subj.subtree if t.i <= subj.i)
    return (left if subj.i - left <= 6 else subj.i, subj.i), (j, j)


def _source_cue_governing(doc, first: int, last: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A reporting verb that governs the quoted words from outside them, with its subject
    ("Varga mocked the ministers for acting “like a broken record ...”")."""
    root = next((t for t in doc[first:last + 1] if not first <= t.head.i <= last), None)
    node, hops = root, 0
    while node is not None and node.head.i != node.i and hops < 6:
        node, hops = node.head, hops + 1
        if node.lemma_.lower() in reporting_verbs() and node.pos_ == "VERB":
            subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subj is None:  # a misparsed subject ("In the issue, Varga, ..., mocked")
                person = person_before(doc, node, 0)
                return ((person.first, person.last), (node.i, node.i)) if person else None
            if first <= subj.i <= last:
                return None
            left = min(t.i for t in subj.subtree if t.i <= subj.i)
            return (left if subj.i - left <= 6 else subj.i, subj.i), (node.i, node.i)
    return None


def _mark_tokens(doc) -> list[int]:
    return [t.i for t in doc if t.text and all(c in marks.MARK_CHARS + "`" for c in t.text)]


def quoted_token_spans(doc) -> list[tuple[int, int, int, int]]:
    """(open mark, first, last, close mark) token indices of closed quoted regions."""
    import numpy as np
    from spacy.attrs import IDX, LENGTH
    arr = doc.to_array([IDX, LENGTH]).reshape(len(doc), 2).astype(np.int64)  # no Token objects
    starts, ends = arr[:, 0], arr[:, 0] + arr[:, 1]

    def at(values, offset):  # the last token whose start (end) is ``offset``, as a dict would keep
        j = int(np.searchsorted(values, offset, side="right")) - 1
        return j if j >= 0 and values[j] == offset else None
    out = []
    for r in marks.regions(marks.doc_text(doc)):
        if not r.closed:
            continue
        first, last = at(starts, r.start), at(ends, r.end)
        if first is None or last is None or first == 0 or last + 1 >= len(doc):
            continue
        out.append((first - 1, first, last, last + 1))
    return out


PUT_IT = True
PUT_IT_WINDOW = 8  # tokens between "put it" and the quotation ("in a lengthy expose,")


def _put_it_at(doc, n: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """'as X put it' with "put" at token ``n``: (the subject X, "put it")."""
    if doc[n].lemma_.lower() != "put" or n + 1 >= len(doc) or doc[n + 1].lower_ != "it":
        return None
    subj = next((c for c in doc[n].children if c.dep_ == "nsubj"), None)
    if subj is None or subj.left_edge.i == 0 or doc[subj.left_edge.i - 1].lower_ != "as":
        return None
    left = subj.left_edge.i
    return (left if subj.i - left <= 6 else subj.i, subj.i), (n, n + 1)


def _put_it(doc, open_i: int, close_i: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """'As the senator put it, "..."' / '"...," as a memo put it.': the news idiom that hands a
    quotation to its source without a reporting verb (AP style; 9 of PolNeAR train's cues)."""
    if not PUT_IT:
        return None
    sent = doc[open_i].sent
    for n in range(max(sent.start, open_i - PUT_IT_WINDOW - 16), open_i):
        found = _put_it_at(doc, n)
        if found and open_i - (n + 1) <= PUT_IT_WINDOW and not any(
                t.text in marks.MARK_CHARS for t in doc[n + 2:open_i]):
            return found
    j = close_i + 1
    while j < len(doc) and (doc[j].is_punct or doc[j].is_space) and doc[j].text not in marks.MARK_CHARS:
        j += 1
    if j < len(doc) and doc[j].lower_ == "as":
        for n in range(j + 1, min(len(doc) - 1, j + 16, doc[close_i].sent.end + 1)):
            if doc[n].text in marks.MARK_CHARS:
                break
            found = _put_it_at(doc, n)
            if found:
                return found
    return None


def add_mark_quotes(doc, labels: list[str]) -> None:
    """Tag quoted regions the tagger missed when a cue and speaker stand next to them."""
    for open_i, first, last, close_i in quoted_token_spans(doc):
        if _words(doc, first, last) < MIN_WORDS:
            continue
        found = _source_cue_after(doc, close_i) or _source_cue_before(doc, open_i) or _put_it(doc, open_i, close_i)
        if found is None and labels[first] == "O":
            found = _source_cue_governing(doc, first, last)
        # the tagger may have run the content on over "..., the editor announces"
        if not found or any(labels[i] != "O" and labels[i][-1] not in ("C", kind)
                            for (a, b), kind in zip(found, "SQ") for i in range(a, b + 1)):
            continue
        if any(labels[i] != "O" and not labels[i].endswith("-C") for i in range(open_i, close_i + 1)):
            continue
        if labels[first].endswith("-C"):
            pass  # the tagger already has this content: only its cue and speaker were missing
        else:  # all of it, also when the tagger took only its end
            _tag(labels, open_i, close_i, "C")
        _tag(labels, *found[0], "S")
        _tag(labels, *found[1], "Q")


def add_transcript_turns(doc, labels: list[str], paras: list[list[int]] | None = None) -> None:
    """``WALLACE: ...`` paragraphs: the upper-case name is the source, the colon the cue."""
    for para in (paragraphs(doc) if paras is None else paras):
        k = 1 if para and doc[para[0]].text in marks.MARK_CHARS else 0
        j = k
        while j < len(para) and j - k < 3 and doc[para[j]].is_upper and doc[para[j]].is_alpha:
            j += 1
        if j == k or j + 1 >= len(para) or doc[para[j]].text != ":" or len(doc[para[k]].text) < 2:
            continue
        # a turn inside a quoted transcript block: the tagger tagged it all as content
        if any(labels[i][-1] not in "OCS" for i in para[k:j]) or labels[para[j]][-1] not in "OCQ":
            continue
        _tag(labels, para[k], para[j - 1], "S")
        _tag(labels, para[j], para[j], "Q")
        _tag(labels, para[j + 1], para[-1], "C")


def _according_parts(sent, k: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(source, content) token spans for 'according to' at sentence position ``k``."""
    toks = list(sent)
    phrase = sorted(t.i for t in toks[k].subtree)
    last_tok = toks[-1].i - (1 if toks[-1].is_punct else 0)
    source_end = next((i for i in range(toks[k].i + 2, phrase[-1] + 1) if sent.doc[i].text == ","), phrase[-1] + 1) - 1
    source = (toks[k].i + 2, source_end)
    if k == 0:
        # a misparse may hang the whole sentence on "According": the source ends at its comma
        start = min(phrase[-1], source_end + 1) + 1
        while start <= last_tok and sent.doc[start].is_punct:
            start += 1
        content = (start, last_tok)
    elif k > 1 and toks[k - 1].text == "," and phrase[-1] >= last_tok:
        content = (toks[0].i, toks[k - 2].i)
    else:
        return None
    if source[1] < source[0] or content[1] - content[0] < 2:
        return None
    return source, content


def _according_to(doc) -> set[int]:
    """Token indices of the 'according' of every 'according to' (read from one array, not token
    by token: most documents have none)."""
    from spacy.attrs import LOWER
    strings = doc.vocab.strings
    lowers = doc.to_array(LOWER).tolist()
    according, to = strings["according"], strings["to"]
    return {i for i, (a, b) in enumerate(zip(lowers, lowers[1:])) if a == according and b == to}


def add_according_to(doc, labels: list[str]) -> None:
    """``According to X, CONTENT.`` and ``CONTENT, according to X.`` within one sentence."""
    wanted = _according_to(doc)
    for sent in (doc.sents if wanted else ()):
        if not any(sent.start <= i < sent.end - 2 for i in wanted):
            continue  # only sentences holding the phrase are read token by token
        toks = list(sent)
        for k, tok in enumerate(toks[:-2]):
            if tok.lower_ != "according" or toks[k + 1].lower_ != "to":
                continue
            parts = _according_parts(sent, k)
            if parts is None:
                continue
            span_s, span_c = parts
            # the tagger may have found the cue and source: fill in only a missed content
            if (any(labels[i][-1] not in "OQ" for i in range(tok.i, tok.i + 2))
                    or any(labels[i][-1] not in "OS" for i in range(span_s[0], span_s[1] + 1))
                    or any(labels[i][-1] not in "OC" for i in range(span_c[0], span_c[1] + 1))):
                continue
            _tag(labels, tok.i, tok.i + 1, "Q")
            _tag(labels, *span_s, "S")
            _tag(labels, *span_c, "C")


def widen_participle_content(doc, labels: list[str]) -> None:
    """"Jets struck two depots, killing at least 14 fighters, according to the health office":
    what the office vouches for is the whole clause, not its participle tail. A trailing
    'according to' whose content starts at a participle hanging on the clause's verb, with the
    clause before it untagged, takes the clause from the sentence's start (the PARC convention:
    the content of an attribution is the whole attributed clause, Pareti 2016)."""
    for cue in sorted(_according_to(doc)):
        sent = doc[cue].sent
        if labels[cue][-1] != "Q" or not sent.start + 2 <= cue < sent.end - 2:
            continue
        end = cue - 1 - (1 if doc[cue - 1].is_punct else 0)
        first = end
        while first > sent.start and labels[first - 1][-1] == "C":
            first -= 1
        head = doc[first]
        if labels[end][-1] != "C" or head.tag_ != "VBG" or head.dep_ not in ("advcl", "xcomp", "conj") \
                or first - 1 <= sent.start or doc[first - 1].text != ",":
            continue
        if head.head.i >= first or any(labels[j] != "O" for j in range(sent.start, first)):
            continue
        start = sent.start
        while start < first and (doc[start].is_punct or doc[start].is_space):
            start += 1
        _tag(labels, start, end, "C")


NEAR_CUE_MIN = 0.2
COMPLEMENT_MIN_TOKENS = 3


def add_near_cues(doc, labels: list[str], cue_marginals: list[float]) -> None:
    """A verb the tagger nearly took for a cue (cue marginal >= ``NEAR_CUE_MIN`` though its best
    path says 'O') that has a subject and a clausal complement, all untagged: subject, verb and
    complement become source, cue and content. The PARC/PolNeAR core pattern (Pareti 2016)
    checked by the parse recovers attributions the Viterbi path drops."""
    for tok in (doc[i] for i, m in enumerate(cue_marginals) if m >= NEAR_CUE_MIN):
        if tok.pos_ not in ("VERB", "AUX") or labels[tok.i] != "O":
            continue
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        comp = next((c for c in tok.children if c.dep_ in ("ccomp", "xcomp")), None)
        if subj is None or comp is None:
            continue
        ids = [t.i for t in comp.subtree]
        first, last = ids[0], ids[-1]
        while last > first and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        s_left = min(t.i for t in subj.subtree if t.i <= subj.i)
        s_first = s_left if subj.i - s_left <= 6 else subj.i
        span = range(min(first, s_first, tok.i), max(last, subj.i, tok.i) + 1)
        if last - first + 1 < COMPLEMENT_MIN_TOKENS or any(labels[i] != "O" or "\n" in doc[i].text for i in span):
            continue
        _tag(labels, s_first, subj.i, "S")
        _tag(labels, tok.i, tok.i, "Q")
        _tag(labels, first, last, "C")


RUN_OVER_WINDOW = 12


def _attribution_after(doc, k: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """After the closing mark at token ``k``, in its sentence: 'Name, a description, said' or
    'said Name' -- the source and cue that close a quotation (the speaker's words end at the mark)."""
    j = k + 1
    while j < len(doc) and (doc[j].text == "," or doc[j].is_space):
        j += 1
    if j >= len(doc):
        return None
    end = doc[k].sent.end
    stop = min(len(doc), j + RUN_OVER_WINDOW, end if end > j else doc[j].sent.end)
    verbs = reporting_verbs()
    for n in range(j, stop):
        tok = doc[n]
        if tok.text in marks.MARK_CHARS or "\n" in tok.text:
            return None
        if tok.lemma_.lower() not in verbs or tok.pos_ != "VERB" or tok.tag_ == "VBG":
            continue
        if n > j:  # "Name, a top adviser, said"
            last = n - 1
            while last > j and (doc[last].is_punct or doc[last].is_space):
                last -= 1
            nominal = any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in doc[j:last + 1])
            return ((j, last), (n, n)) if nominal else None
        name = _name_after(doc, n + 1)  # "said Name"
        return (name, (n, n)) if name else None
    return None


CUT_AT_OPENING = True


def _ends_sentence(doc, i: int) -> bool:
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i >= 0 and doc[i].text[-1:] in ".?!"


def split_run_over(doc, labels: list[str]) -> None:
    """A content run the tagger carried past a closing quotation mark over '..., Name said.' into
    the next quotation: the words after the mark are the source and cue, not content (the news
    convention: the quoted words end at the mark; Pouliquen et al. 2007)."""
    text = marks.doc_text(doc)
    inside = marks.mask(text)
    for open_i, first, last, close_i in quoted_token_spans(doc):
        if CUT_AT_OPENING and labels[open_i] == "I-C" and _ends_sentence(doc, open_i - 1):
            labels[open_i] = "B-C"  # a quotation opening a sentence starts a content run of its own
        if not labels[last].endswith("C") or close_i + 1 >= len(doc) or labels[close_i + 1] != "I-C":
            continue
        if text[doc[close_i].idx - 1] not in ",?!" or _words(doc, first, last) < MIN_WORDS:
            continue  # '“...,” Name said', not a quoted phrase ('called it a “rant,” a series of ...')
        found = _attribution_after(doc, close_i)
        if found is None:
            continue
        (s_a, s_b), (q_a, q_b) = found
        sent_end = doc[q_a].sent.end
        for i in range(close_i + 1, len(doc)):
            if i > max(s_b, q_b) and (inside[doc[i].idx] or i >= sent_end
                                      or labels[i] != "I-C"):
                if labels[i] == "I-C":
                    labels[i] = "B-C"
                break
            labels[i] = "O"
        _tag(labels, s_a, s_b, "S")
        _tag(labels, q_a, q_b, "Q")


SPLIT_RUN_OVER = True
SPLIT_INNER_CUES = True
INNER_CUE_MIN = 0.1
INNER_CUE_DEPS = ("conj", "ROOT", "advcl", "ccomp", "xcomp")


def _run_bounds(labels: list[str], i: int) -> tuple[int, int]:
    """First and last token of the content run through token ``i``."""
    first = i
    while first > 0 and labels[first] == "I-C":
        first -= 1
    last = i
    while last + 1 < len(labels) and labels[last + 1] == "I-C":
        last += 1
    return first, last


def _introduces_quotation(doc, tok, inside: list[bool]) -> bool:
    """A participle right before a quotation ('..., chanting "Hands up"', '..., saying "..."')."""
    if not INNER_PARTICIPLE or tok.tag_ != "VBG":
        return False
    nxt = tok.i + 1
    while nxt < len(doc) and doc[nxt].is_space:
        nxt += 1
    words = [t for t in doc[nxt + 1:nxt + 5] if t.is_alpha and inside[t.idx]]
    return nxt < len(doc) and doc[nxt].text[:1] in marks.MARK_CHARS and inside[doc[nxt].idx] and len(words) >= 2


INNER_PARTICIPLE = True


INNER_NOUN_CUES = True
SECOND_COMPLEMENTS = True


def _content_tokens(doc, labels: list[str] | None, pos: tuple[str, ...]):
    """Tokens inside a content run ('I-C'; any token when ``labels`` is None) with one of the coarse
    tags ``pos``, read from the parse's arrays so that the document is not walked token by token."""
    from spacy.attrs import POS
    wanted = {doc.vocab.strings[p] for p in pos}
    tags = doc.to_array([POS]).tolist()
    return [doc[i] for i, tag in enumerate(tags) if tag in wanted and (labels is None or labels[i] == "I-C")]


def join_second_complements(doc, labels: list[str]) -> None:
    """'Roberts said the videos were "inconclusive" and that the footage did not show ...': a clause
    joined by 'and that' to a content clause is a second complement of the same cue, its subject and
    verb no source and cue of their own (PolNeAR gives one content over both)."""
    for tok in [t for t in _content_tokens(doc, None, ("VERB", "AUX")) if t.dep_ == "conj"]:
        if not labels[tok.head.i].endswith("C"):
            continue
        mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ == "that" and c.i < tok.i), None)
        if mark is None or labels[mark.i - 1] not in ("O", "I-C") or labels[tok.head.i][-1] != "C":
            continue
        ids = [t.i for t in tok.subtree if t.i >= mark.i]
        last = max(ids)
        while last > mark.i and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        head_first, head_last = _run_bounds(labels, tok.head.i)
        if not head_last < mark.i:
            continue
        for i in range(head_last + 1, last + 1):
            labels[i] = "I-C"


def split_noun_cues(doc, labels: list[str]) -> None:
    """A reporting noun with a possessor and a 'that' clause inside a content run ("..., contradicting
    the police's earlier claim that he had refused"): the possessor is the source, the noun the cue,
    the clause the content of an attribution of its own (PARC's nominal cues, Pareti 2016)."""
    verbs, inside = reporting_verbs(), marks.mask(marks.doc_text(doc))
    for tok in _content_tokens(doc, labels, ("NOUN",)):
        if labels[tok.i] != "I-C" or tok.lemma_.lower() not in verbs or inside[tok.idx]:
            continue
        poss = next((c for c in tok.children if c.dep_ == "poss" and c.i < tok.i), None)
        comp = next((c for c in tok.children if c.dep_ in ("acl", "ccomp") and c.i > tok.i
                     and any(g.lower_ == "that" and g.dep_ == "mark" for g in c.children)), None)
        if poss is None or comp is None:
            continue
        first, last = _run_bounds(labels, tok.i)
        s_first = min(t.i for t in poss.subtree)
        c_first = min(t.i for t in comp.subtree)
        c_last = min(last, max(t.i for t in comp.subtree))
        if s_first <= first + 2 or c_last - c_first < 2:
            continue
        end1 = s_first - 1
        while end1 > first and (doc[end1].is_punct or doc[end1].pos_ in ("CCONJ", "DET", "VERB", "ADP")):
            end1 -= 1
        for i in range(end1 + 1, c_first):
            labels[i] = "O"
        _tag(labels, s_first, poss.i, "S")
        _tag(labels, tok.i, tok.i, "Q")
        labels[c_first] = "B-C"


def split_inner_cues(doc, labels: list[str], cue_marginals: list[float]) -> None:
    """A content run that swallowed a second attribution: a reporting verb inside it, coordinated with
    the first or heading a new clause ("he would order a review ... and warned against hackers"),
    that the tagger nearly took for a cue. The run ends before it; the verb becomes a cue, its own
    subject the source, and what follows it the new content (PolNeAR gives each its own attribution;
    Pareti 2016 on nested and coordinated attributions)."""
    verbs, inside = reporting_verbs(), marks.mask(marks.doc_text(doc))
    for tok in _content_tokens(doc, labels, ("VERB",)):
        if labels[tok.i] != "I-C" or inside[tok.idx]:
            continue  # a speaker's own quoted words stay one segment
        if not (_introduces_quotation(doc, tok, inside) or (
                cue_marginals[tok.i] >= INNER_CUE_MIN and tok.dep_ in INNER_CUE_DEPS and tok.lemma_.lower() in verbs)):
            continue
        first, last = _run_bounds(labels, tok.i)
        cue_end = tok.i + 1 if tok.i + 1 <= last and doc[tok.i + 1].dep_ in ("prt", "prep") else tok.i
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and first < c.i < tok.i), None)
        s_first = min(t.i for t in subj.subtree if t.i <= subj.i) if subj is not None else tok.i
        end1 = s_first - 1
        while end1 > first and (doc[end1].is_punct or doc[end1].pos_ == "CCONJ" or doc[end1].is_space):
            end1 -= 1
        if end1 - first < 3 or last - cue_end < 2 or s_first <= first:
            continue
        for i in range(end1 + 1, cue_end + 1):
            labels[i] = "O"
        if subj is not None:
            _tag(labels, s_first, subj.i, "S")
        _tag(labels, tok.i, cue_end, "Q")
        labels[cue_end + 1] = "B-C"


INVERTED_SUBJECT = True
INVERTED_MAX_TOKENS = 6


def fix_inverted_subjects(doc, labels: list[str]) -> None:
    """'"...," said the ruling.': the subject standing after its reporting verb, tagged as
    content, is the source (the inverted attribution of news style, with a common noun where
    ``_name_in_cue`` handles names)."""
    verbs = reporting_verbs()
    for i in [i for i, lab in enumerate(labels) if lab == "B-Q"]:
        tok = doc[i]
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs or labels[min(i + 1, len(doc) - 1)] != "B-C":
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.i > i), None)
        if subj is None:
            continue
        a, b = subj.left_edge.i, subj.right_edge.i
        if a != i + 1 or b - a >= INVERTED_MAX_TOKENS or any(labels[k][-1] != "C" for k in range(a, b + 1)):
            continue
        if b + 1 < len(doc) and labels[b + 1] == "I-C" and not doc[b + 1].is_punct:
            continue  # the run goes on: content, not a subject closing the sentence
        _tag(labels, a, b, "S")
        k = b + 1
        while k < len(doc) and labels[k] == "I-C":
            labels[k] = "O"
            k += 1


NAMING_GAP = 2  # adverbs allowed between "known" and "as" ("known locally as", "known online as")


def _naming_cues(doc) -> list[tuple[int, int]]:
    """(first, last) token of each "known as" in the document: "known", up to ``NAMING_GAP``
    adverbs, "as" (found on the parse's lower-case array, no Token objects)."""
    from spacy.attrs import LOWER
    strings = doc.vocab.strings
    lowers = doc.to_array(LOWER).tolist()
    known, as_ = strings["known"], strings["as"]
    out = []
    for i in (i for i, h in enumerate(lowers) if h == known):
        j = i + 1
        while j < len(doc) and j - i <= NAMING_GAP and lowers[j] != as_ and doc[j].pos_ == "ADV":
            j += 1
        if j < len(doc) and lowers[j] == as_:
            out.append((i, j))
    return out


def _clear_run(labels: list[str], i: int, kind: str, step: int) -> None:
    """Set to 'O' the run of ``kind`` labels through token ``i``, walking in direction ``step``."""
    while 0 <= i < len(labels) and labels[i][-1] == kind:
        begins = labels[i].startswith("B-")
        labels[i] = "O"
        if begins and step < 0:
            break
        i += step
        if step > 0 and i < len(labels) and labels[i].startswith("B-"):
            break


def _name_end(doc, as_i: int) -> int:
    """Last token of the name after "as" (its object's subtree), else "as" itself."""
    obj = next((c for c in doc[as_i].children if c.dep_ == "pobj"), None)
    return max(t.i for t in obj.subtree) if obj is not None else as_i


def _orphan_before(labels: list[str], doc, at: int) -> bool:
    """Does the content run ending at ``at`` stand with no cue before it in its sentence?"""
    start = doc[at].sent.start
    return not any(labels[i][-1] == "Q" for i in range(start, at))


def drop_naming(doc, labels: list[str]) -> None:
    """"the Islamic State, also known as ISIS or ISIL", "a plan known as X": "known as" gives a
    name or a reputation; it reports no speech. A cue the tagger put on it is dropped with the
    name after it and the named thing before it (a source, or a content run no cue precedes);
    when the name sits inside a longer content run ("The hacker, known online as X, was
    arrested, the ministry said"), the phrase joins that content instead. (PolNeAR's annotators
    tagged some of these; the record treats them as titles and scare quotes: not speech.)"""
    for first, last in _naming_cues(doc):
        lo, hi = first, last
        while lo - 1 >= 0 and labels[lo - 1][-1] == "Q":  # "also known as", "is known as"
            lo -= 1
        if not any(labels[i][-1] == "Q" for i in range(lo, last + 1)):
            continue
        while hi + 1 < len(labels) and labels[hi + 1][-1] == "Q":
            hi += 1
        before = lo - 1
        while before >= 0 and labels[before] == "O" and (doc[before].is_punct or doc[before].is_space):
            before -= 1
        after = hi + 1
        while after < len(doc) and labels[after] == "O" and (doc[after].is_punct or doc[after].is_space):
            after += 1
        run_after = after < len(labels) and labels[after][-1] == "C"
        end = after
        while run_after and end + 1 < len(labels) and labels[end + 1] == "I-C":
            end += 1
        if run_after and before >= 0 and labels[before][-1] == "C" and end > _name_end(doc, last) + 1:
            for i in range(before + 1, after + 1):  # the name inside a longer content: one run
                labels[i] = "I-C"
            continue
        for i in range(lo, hi + 1):
            labels[i] = "O"
        if run_after:
            _clear_run(labels, after, "C", 1)
        if before >= 0 and (labels[before][-1] == "S" or (labels[before][-1] == "C" and _orphan_before(labels, doc, before))):
            _clear_run(labels, before, labels[before][-1], -1)


DROP_NAMING = True
WIDEN_PARTICIPLES = True


def apply(doc, labels: list[str], cue_marginals: list[float] | None = None,
          paras: list[list[int]] | None = None) -> list[str]:
    labels = list(labels)
    if SPLIT_RUN_OVER:
        split_run_over(doc, labels)
    if INVERTED_SUBJECT:
        fix_inverted_subjects(doc, labels)
    add_according_to(doc, labels)
    add_transcript_turns(doc, labels, paras)
    add_mark_quotes(doc, labels)
    if cue_marginals is not None:
        if SPLIT_INNER_CUES:
            split_inner_cues(doc, labels, cue_marginals)
        if INNER_NOUN_CUES:
            split_noun_cues(doc, labels)
        add_near_cues(doc, labels, cue_marginals)
    if SECOND_COMPLEMENTS:
        join_second_complements(doc, labels)
    if DROP_NAMING:
        drop_naming(doc, labels)
    if WIDEN_PARTICIPLES:
        widen_participle_content(doc, labels)
    return labels
