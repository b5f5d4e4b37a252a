"""From per-token BIO tags to attributions: content runs linked to their cue and source.

Linking follows the PolNeAR/PARC convention (Pareti 2016): one cue per attribution; every content
run takes the nearest cue of its paragraph (so ``"X," he said, "Y."`` is one attribution in two
segments), and the cue takes the nearest source. A content run with no cue in its paragraph
is kept only when it is a quotation-mark quote: it continues the previous attribution
(a cue-less follow-on sentence or paragraph inherits the previous speaker, news convention).
Short cue-less quoted phrases and quoted titles ("an article entitled ...") are not speech.
A cue the tagger left without content takes its complement clause from the parse.
Unquoted content takes a cue of its own sentence only; a quotation after an aside ('"X," she said,
stressing Y. "Z."') continues the quote before it; a source found inside the attribution's own content
is never its speaker.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import marks
from .features import PRONOUNS, paragraphs, reporting_verbs, title_cues

FOLLOW_ON_MIN_WORDS = 5      # a cue-less quoted stretch shorter than this is a scare quote or title
TITLE_MAX_WORDS = 8          # a quoted name after "entitled"/"dubbed" is at most this long
EDITORIAL_LABELS = {"correction", "clarification", "update", "editor's note", "editor’s note", "note"}
FOLLOW_ON_MAX_GAP = 2        # paragraphs a follow-on may lie after the attribution it continues


@dataclass(slots=True)
class Run:
    kind: str         # "C" content, "S" source, "Q" cue
    first: int        # token indices, inclusive
    last: int
    para: int
    score: float


@dataclass(slots=True)
class Attribution:
    contents: list[Run]
    cue: Run | None
    source: Run | None
    parent: "Attribution | None" = None   # the attribution a cue-less follow-on continues


def runs(labels: list[str], probs: list[float], paras: list[list[int]]) -> list[Run]:
    """Maximal same-kind runs of tagged tokens, never crossing a paragraph."""
    out: list[Run] = []
    for p, para in enumerate(paras):
        cur: Run | None = None
        for i in para:
            lab = labels[i]
            if lab == "O":
                cur = None
                continue
            bio, kind = lab.split("-", 1)
            if cur is not None and cur.kind == kind and bio == "I":
                cur.last = i
                cur.score = min(cur.score, probs[i])
            else:
                cur = Run(kind, i, i, p, probs[i])
                out.append(cur)
    return out


def _gap(a: Run, b: Run) -> int:
    return max(0, b.first - a.last, a.first - b.last)


def _nearest(run: Run, candidates: list[Run], doc=None) -> Run | None:
    """The candidate of the run's paragraph nearest to it; with ``doc``, one standing in a sentence
    the run touches comes first (the cue of the sentence that closes the quote, not the one of a
    neighbouring sentence: '..., "X," Mr. A added.' over a cue ending the sentence before)."""
    same = [c for c in candidates if c.para == run.para]
    if not same:
        return None
    if doc is None:
        return min(same, key=lambda c: (_gap(run, c), c.first))
    lo, hi = doc[run.first].sent.start, doc[run.last].sent.end
    return min(same, key=lambda c: (not (lo <= c.first < hi), _gap(run, c), c.first))


RELATIVE = {"who", "that", "which", "whom"}
SUBJECT_SCORE = 0.5
NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "X"}
SUBJECT_FIRST = True
SAME_SENTENCE = True
SHARED_SUBJECT = True
GOVERNING_CUE = True
QUOTING = {"quote", "cite", "paraphrase"}  # verbs that hand the words over to a name
PERSON_BEFORE_SCORE = 0.4


def _subject(tok):
    return next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)


# verbs whose object, not subject, does what the infinitive after them says ("asked X to say")
OBJECT_CONTROL = {"ask", "urge", "tell", "order", "force", "compel", "persuade", "invite", "allow",
                  "encourage", "pressure", "press", "call", "challenge", "instruct", "require", "get"}


def _controller(verb):
    """Who does what an infinitive under ``verb`` says: the object of a verb of asking, else
    the verb's own subject (through a shared subject of coordinated verbs)."""
    if verb.lemma_.lower() in OBJECT_CONTROL:
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if obj is not None:
            return obj
    subj = _subject(verb)
    if subj is None and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        subj = _subject(verb.head)
    return subj


FINITE = ("VBD", "VBZ", "VBP")
FINITE_ADVCL = True
PREP_PARTICIPLE = True


def _clause_subject(prep):
    """The subject of the verb a preposition hangs on, through coordinated prepositions
    ("appeared at a hearing for X and for saying ...": appeared's subject)."""
    node, hops = prep, 0
    while node.dep_ in ("prep", "conj", "cc") and node.head.i != node.i and hops < 4:
        node, hops = node.head, hops + 1
        if node.pos_ in ("VERB", "AUX"):
            return _subject(node)
    return None


def syntactic_source(doc, cue: Run) -> Run | None:
    """The grammatical subject of the cue verb when the tagger found no source near it
    ("..., said the spokesman"; a relative "who said" points to the noun it modifies), never
    across a blank line: an unpunctuated headline the parser ran into the story's first sentence
    ("Rebel Magazine Hints at a Harbor Truce / The Front ... used its magazine to hint that ...")
    is not the speaker."""
    run = _syntactic_source(doc, cue)
    if run is None:
        return None
    lo, hi = min(run.last, cue.first), max(run.first, cue.last)
    breaks = [t.i for t in doc[lo:hi] if t.is_space and t.text.count("\n") >= 2]
    if not breaks:
        return run
    if run.last >= cue.first:
        return None
    # the parse took a headline word for the subject: the name opening the cue's paragraph
    # (its real subject, "The Northern Liberation Front, a separatist militia that ..., used")
    i = breaks[-1] + 1
    while i < cue.first and doc[i].pos_ == "DET":
        i += 1
    j = i
    while j < cue.first and doc[j].pos_ == "PROPN":
        j += 1
    return Run("S", i, j - 1, cue.para, PERSON_BEFORE_SCORE) if j > i else None


def _syntactic_source(doc, cue: Run) -> Run | None:
    for tok in doc[cue.first:cue.last + 1]:
        subj = _subject(tok)
        if subj is None and SHARED_SUBJECT and tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
            subj = _subject(tok.head)  # "Scott beamed and asked the crowd ...": the shared subject
        if subj is None and FINITE_ADVCL and tok.dep_ == "advcl" and tok.tag_ in FINITE and tok.head.pos_ in ("VERB", "AUX"):
            subj = _subject(tok.head)  # "Protesters marching ... chanted": a finite verb misparsed as a clause
        if subj is None and PREP_PARTICIPLE and tok.tag_ == "VBG" and tok.dep_ == "pcomp":
            subj = _clause_subject(tok.head)  # "he appeared ... for saying that ...": the clause's subject
        if subj is None and tok.tag_ == "VBG":
            # "the paper attacked him, saying ...": the paper; but "quoting General X, ..., saying"
            # reports X's words: another reporting verb in between hands over to the name before
            if SHARED_SUBJECT and tok.dep_ == "advcl" and tok.head.tag_ != "VBG" and not any(
                    (t.lemma_.lower() in reporting_verbs() or t.lemma_.lower() in QUOTING)
                    and t.pos_ == "VERB" for t in doc[tok.head.i + 1:tok.i]):
                subj = _subject(tok.head)
            if subj is None:
                return person_before(doc, tok, cue.para)
        if subj is None and tok.dep_ in ("xcomp", "advcl") and tok.tag_ == "VB" and tok.head.pos_ in ("VERB", "AUX"):
            # an infinitive ("the Front used its magazine to hint that ..."): its governor's
            # subject speaks, or the object of a verb of asking ("urged the minister to confirm")
            subj = _controller(tok.head)
        if subj is None and tok.dep_ == "ROOT" and tok.pos_ == "VERB":
            # a misparsed subject ("In the issue, Varga, ..., mocked"): the name before it
            return person_before(doc, tok, cue.para)
        if subj is None and tok.dep_ in ("relcl", "acl"):
            subj = tok.head
        if subj is None:
            continue
        if subj.lower_ in RELATIVE and tok.dep_ == "relcl":
            subj = tok.head
        left = [t for t in subj.subtree if t.i <= subj.i]
        first = left[0].i if subj.i - left[0].i <= 6 else subj.i
        return Run("S", first, subj.i, cue.para, SUBJECT_SCORE)
    return None


NOT_SPEAKERS = {"GPE", "NORP", "LOC", "DATE", "TIME", "ORDINAL", "CARDINAL", "FAC", "MONEY", "PERCENT"}


def person_before(doc, tok, para: int, window: int = 15) -> Run | None:
    """A subjectless participle ("General X, chairman of ..., saying"): the proper name
    standing last before it in its sentence: a PERSON first, else (the small NER model often
    mislabels names) any proper noun that is not a place, a group adjective or a number."""
    stop = max(tok.sent.start, tok.i - window)
    for ent in reversed([e for e in doc.ents if e.label_ == "PERSON" and stop <= e.start and e.end <= tok.i]):
        return Run("S", ent.start, ent.end - 1, para, PERSON_BEFORE_SCORE)
    i = tok.i - 1
    while i >= stop:
        t = doc[i]
        if t.pos_ == "PROPN" and t.ent_type_ not in NOT_SPEAKERS:
            first = i
            while first - 1 >= stop and doc[first - 1].pos_ == "PROPN":
                first -= 1
            return Run("S", first, i, para, PERSON_BEFORE_SCORE)
        i -= 1
    return None


GOVERNING_HOPS = 3


def _colon_cue_before(doc, run: Run, cues: list[Run], paras: list[list[int]]) -> Run | None:
    """A cue closing the previous paragraph with a colon ("The Times reports:" then the quoted
    paragraph): the quote is introduced across the break (AP style for block quotes)."""
    if run.para == 0 or run.first != paras[run.para][0] and doc[paras[run.para][0]].text not in marks.MARK_CHARS:
        return None
    prev = paras[run.para - 1]
    if doc[prev[-1]].text != ":":
        return None
    before = [c for c in cues if c.para == run.para - 1]
    return before[-1] if before else None


def _adjacent(doc, cue: Run, run: Run) -> bool:
    """Only punctuation between a cue and the run after it ("Spokeswoman: The vote ...")."""
    return cue.last < run.first and all(t.is_punct or t.is_space for t in doc[cue.last + 1:run.first])


def _touches(doc, run: Run, other: Run) -> bool:
    """Does ``other`` stand in a sentence that ``run`` touches?"""
    return doc[run.first].sent.start <= other.first < doc[run.last].sent.end


def governing_cue(doc, run: Run, labels: list[str]) -> Run | None:
    """A content run the tagger left without a cue: the reporting verb that governs it from
    outside the run, a few dependency hops up ("Calloway smiled and told the crowd [that ...]"),
    when the tagger left that verb untagged (cf. Pareti 2016: the cue is the verb heading the
    attribution's content)."""
    root = next((t for t in doc[run.first:run.last + 1] if not run.first <= t.head.i <= run.last), None)
    node, hops = root, 0
    while node is not None and node.head.i != node.i and hops < GOVERNING_HOPS:
        node, hops = node.head, hops + 1
        if node.sent.start != root.sent.start or labels[node.i] != "O":
            return None
        if node.lemma_.lower() in reporting_verbs() and node.pos_ == "VERB":
            return Run("Q", node.i, node.i, run.para, 0.5)
    return None


COMPLEMENT_DEPS = ("ccomp", "xcomp")


def complement_of(doc, cue: Run, labels: list[str]) -> Run | None:
    """A cue the tagger gave no content: its complement clause ("said [that ...]"), when the
    parse has one and the tagger left all of it untagged (PolNeAR's content convention)."""
    for tok in doc[cue.first:cue.last + 1]:
        comp = next((c for c in tok.children if c.dep_ in COMPLEMENT_DEPS and c.i > cue.last), None)
        if comp is None:
            continue
        ids = [t.i for t in comp.subtree]
        first, last = ids[0], ids[-1]
        while last > first and doc[last].is_punct:
            last -= 1
        if last - first < 2 or any(labels[i] != "O" for i in range(first, last + 1)):
            return None
        return Run("C", first, last, cue.para, 0.5)
    return None


def _quoted_name(tok) -> bool:
    """... a name that a quoting verb hands the words to ("quoting General X, ..., saying")."""
    return tok.dep_ == "dobj" and tok.head.lemma_.lower() in QUOTING


def _pick_source(doc, cue: Run, tagged: Run | None) -> Run | None:
    """The tagged source nearest the cue, unless the cue's own grammatical subject is a name
    standing closer ("quoting General X, saying ..." -> X, not the sentence's subject)."""
    syn = syntactic_source(doc, cue)
    if tagged is not None and not any(t.pos_ in NOMINAL for t in doc[tagged.first:tagged.last + 1]):
        tagged = None  # a stray "and" or comma the tagger marked as the source names no one
    if syn is None:
        return tagged
    if tagged is None:
        return syn
    if syn.score == PERSON_BEFORE_SCORE and doc[tagged.first:tagged.last + 1].text.lower() not in PRONOUNS \
            and not _quoted_name(doc[syn.last]):
        return tagged  # a participle's nearby name beats only a pronoun the tagger chose, or ...
    if tagged.first <= syn.last and syn.first <= tagged.last:
        return tagged
    if doc[syn.last].pos_ == "PROPN" and _gap(syn, cue) < _gap(tagged, cue):
        return syn
    if (SUBJECT_FIRST and syn.score == SUBJECT_SCORE and tagged.first > cue.last and syn.last < cue.first
            and doc[syn.last].pos_ == "PROPN"):
        return syn  # "Flynn, a surrogate, said on Fox News": the cue's named subject, not a name after it
    return tagged


def _name_in_cue(doc, cue: Run) -> Run | None:
    """'Said Ellis: "..."' tagged as one cue: a sentence opening with the reporting verb, the name
    after it is the source (the inverted attribution of news style)."""
    verb = doc[cue.first]
    names = [t for t in doc[cue.first + 1:cue.last + 1] if not t.is_punct]
    if (not names or not verb.is_sent_start or verb.lemma_.lower() not in reporting_verbs()
            or any(t.pos_ != "PROPN" or t.ent_type_ in ("DATE", "TIME") for t in names)):
        return None
    cue.last = cue.first
    return Run("S", names[0].i, names[-1].i, cue.para, cue.score)


def _unswapped(doc, cue: Run, source: Run | None) -> tuple[Run, Run | None]:
    """(cue, source), put right when the tagger swapped them in a '"...," said Name' inversion:
    a lone reporting verb tagged as the source next to a proper name tagged as the cue."""
    if source is None or source.first != source.last or _gap(source, cue) > 1:
        return cue, source
    verb = doc[source.first]
    if verb.lemma_.lower() in reporting_verbs() and verb.pos_ in ("VERB", "AUX") and all(
            t.pos_ == "PROPN" or t.is_punct for t in doc[cue.first:cue.last + 1]):
        return Run("Q", source.first, source.last, source.para, source.score), \
            Run("S", cue.first, cue.last, cue.para, cue.score)
    return cue, source


QUOTED_FOLLOW_ON = True
NEAR_SENTENCE_ONLY = True


def _quoted(doc, run: Run, inside: list[bool]) -> bool:
    return inside[doc[run.first].idx] and inside[doc[run.last].idx]


def _continues_quote(doc, run: Run, cue: Run, voiced: "Attribution | None", inside: list[bool]) -> bool:
    """A quoted run whose nearest cue stands in a sentence of its own between it and a quote of the
    same paragraph: it continues that quote ('"X," she said after the vote. He did not reply. "Y."' is one
    attribution in two segments, PolNeAR/PARC convention; Pareti 2016), not the in-between cue."""
    if voiced is None or voiced.cue is None or _touches(doc, run, cue) or cue.first > run.first:
        return False
    prev = voiced.contents[-1]
    # '"X," she said, adding Y. "Z."': her own cue stands between the quote and the other one
    after = prev.last < voiced.cue.first and voiced.cue.last < cue.first
    return (prev.para == run.para and prev.last < cue.first and _quoted(doc, run, inside)
            and voiced.cue is not cue and (after or not _touches(doc, prev, cue)))


INTERVENING_CUE = True


def _intervening_cue(doc, run: Run, cue: Run, labels: list[str], inside: list[bool]) -> Run | None:
    """An untagged reporting verb between a cue and the quotation after it introduces that quotation
    ('"X," Trump said, adding later, "Y."': "Y" is what he added, an attribution of its own)."""
    if cue.last >= run.first or not _quoted(doc, run, inside):
        return None
    for tok in doc[cue.last + 1:run.first]:
        if (labels[tok.i] == "O" and tok.pos_ == "VERB" and tok.lemma_.lower() in reporting_verbs()
                and not inside[tok.idx] and all(t.pos_ in ("ADV", "PUNCT", "SPACE")
                                                for t in doc[tok.i + 1:run.first])):
            return Run("Q", tok.i, tok.i, run.para, 0.5)  # only adverbs and a comma lead to the quote
    return None


def _is_title(doc, run: Run) -> bool:
    """A quoted phrase right after 'entitled', 'dubbed', 'an article' ... names something."""
    before = [t.lower_ for t in doc[max(0, run.first - 3):run.first]
              if not t.is_punct and t.text not in marks.MARK_CHARS]
    return any(w in title_cues() for w in before[-2:])


def _words(doc, run: Run) -> int:
    return sum(1 for t in doc[run.first:run.last + 1] if not t.is_punct)


FREE_CUE_BEFORE = True
FREE_CUE_GAP = 8


def _own_content(cue: Run, contents: list[Run], other: Run) -> bool:
    """Does a content run other than ``other`` start right after the cue (its complement)?"""
    return any(c is not other and c.para == cue.para and 0 < c.first - cue.last <= 2 for c in contents)


def _free_cue_before(doc, run: Run, cue: Run, cues: list[Run], contents: list[Run]) -> Run | None:
    """A quotation between two cues of its sentence: when the nearer cue after it already has its
    own content right after it ('..., saying during the debate, "X," when Clinton blasted him for
    ...'), the cue before it with no content of its own introduces it."""
    if cue.first <= run.last or not _own_content(cue, contents, run) or not _touches(doc, run, cue):
        return None
    before = [c for c in cues if c.para == run.para and c.last < run.first and run.first - c.last <= FREE_CUE_GAP
              and _touches(doc, run, c) and not _own_content(c, contents, run)]
    return max(before, key=lambda c: c.last) if before else None


def link(doc, labels: list[str], probs: list[float], paras: list[list[int]] | None = None) -> list[Attribution]:
    """Attributions of a tagged document, in text order."""
    paras = paragraphs(doc) if paras is None else paras
    all_runs = runs(labels, probs, paras)
    cues = [r for r in all_runs if r.kind == "Q"]
    sources = [r for r in all_runs if r.kind == "S"]
    inside = marks.mask(marks.doc_text(doc))
    by_cue: dict[int, Attribution] = {}
    out: list[Attribution] = []
    last: Attribution | None = None
    voiced: Attribution | None = None  # the latest attribution whose last content is a quotation
    contents = [r for r in all_runs if r.kind == "C"]
    for run in contents:
        if _is_title(doc, run) and _words(doc, run) <= TITLE_MAX_WORDS:
            continue
        cue = _nearest(run, cues, doc if SAME_SENTENCE else None) or _colon_cue_before(doc, run, cues, paras)
        if FREE_CUE_BEFORE and cue is not None:
            cue = _free_cue_before(doc, run, cue, cues, contents) or cue
        if GOVERNING_CUE and (cue is None or not _touches(doc, run, cue)):
            own = governing_cue(doc, run, labels)
            if own is not None:
                cue = own
                cues.append(cue)
        if (NEAR_SENTENCE_ONLY and cue is not None and not _touches(doc, run, cue) and not _adjacent(doc, cue, run)
                and _colon_cue_before(doc, run, cues, paras) is not cue
                and not any(inside[t.idx] for t in doc[run.first:run.last + 1])):
            cue = None  # reported content without quotation marks stands in its cue's sentence
        if INTERVENING_CUE and cue is not None:
            cue = _intervening_cue(doc, run, cue, labels, inside) or cue
        if QUOTED_FOLLOW_ON and cue is not None and _continues_quote(doc, run, cue, voiced, inside):
            voiced.contents.append(run)
            last = voiced
            continue
        if cue is not None:
            att = by_cue.get(id(cue))
            if att is None:
                source = _name_in_cue(doc, cue) or _pick_source(doc, cue, _nearest(cue, sources, doc if SAME_SENTENCE else None))
                if source is not None and doc[source.first:source.last + 1].text.lower() in EDITORIAL_LABELS:
                    continue  # "Correction: An earlier version ..." is the paper's note, not speech
                att = by_cue[id(cue)] = Attribution([], *_unswapped(doc, cue, source))
                out.append(att)
            att.contents.append(run)
            last = att
            voiced = att if inside[doc[run.last].idx] else voiced
            continue
        quoted = inside[doc[run.first].idx] or inside[doc[run.last].idx]
        if (quoted and last is not None and run.para - last.contents[-1].para <= FOLLOW_ON_MAX_GAP
                and _words(doc, run) >= FOLLOW_ON_MIN_WORDS and not _is_title(doc, run)):
            last = Attribution([run], None, last.source, parent=last)
            out.append(last)
    for cue in cues:
        if id(cue) in by_cue:
            continue
        content = complement_of(doc, cue, labels)
        if content is not None:
            out.append(Attribution([content], cue, _pick_source(doc, cue, _nearest(cue, sources, doc if SAME_SENTENCE else None))))
    for att in out:
        att.contents.sort(key=lambda r: r.first)
        if SOURCE_OUTSIDE and att.cue is not None and att.source is not None and _within(att.source, att.contents):
            att.source = _source_outside(doc, att, sources)
    return sorted(out, key=lambda a: a.contents[0].first)


SOURCE_OUTSIDE = True


def _within(run: Run, contents: list[Run]) -> bool:
    return any(c.first <= run.first and run.last <= c.last for c in contents)


def _source_outside(doc, att: Attribution, sources: list[Run]) -> Run | None:
    """A source the tagger or the parse found inside the attribution's own content ("... that the
    country would leave", the subject of the reported clause) is not its speaker: the nearest source
    of the cue's sentence outside the content, else none (the speaker is never part of what is said)."""
    cue = att.cue
    lo, hi = doc[cue.first].sent.start, doc[cue.last].sent.end
    outside = [r for r in sources if lo <= r.first < hi and not _overlaps_any(r, att.contents)]
    syn = syntactic_source(doc, cue)
    if syn is not None and not _overlaps_any(syn, att.contents):
        outside.append(syn)
    return min(outside, key=lambda r: _gap(r, cue)) if outside else None


def _overlaps_any(run: Run, contents: list[Run]) -> bool:
    return any(c.first <= run.last and run.first <= c.last for c in contents)
