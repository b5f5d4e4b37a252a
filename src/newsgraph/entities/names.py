"""Named mentions from the parse: spaCy NER spans, trimmed, with their title and type cues.

spaCy's small English model makes typical errors on news text that are repaired here, in the
spirit of the rule-based NER post-editing of Stanford's deterministic coreference sieves
(Lee et al. 2013, "Deterministic coreference resolution based on entity-centric,
precision-ranked rules"): a title ("Mr.", "Gen.", "Sen.") or a known first name makes a span a
PERSON; a leading "the", titles and a possessive "'s" are trimmed from the span; a lone proper
noun that spaCy missed but that repeats the surname of a named person becomes a mention.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon

ACRONYM = re.compile(r"^(?:[A-Z]\.){2,6}$|^[A-Z]{2,6}$")
# Capitalised abbreviations that name nobody.
NOT_NAMES = frozenset("""AKA CEO CFO COO CTO GDP TV ID PM AM EST EDT PST PDT GMT UTC FAQ DIY LOL OMG
FYI ASAP RIP VIP MVP NEW THE AND BUT FOR NOT USD EUR GBP PhD MBA""".split())
LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
EMBEDDED = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp"})
OBJECT_DEPS = frozenset({"dobj", "iobj", "dative", "pobj", "attr"})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
PARTICLES = frozenset({"al", "el", "de", "del", "della", "di", "da", "van", "von", "der", "den",
                       "bin", "ibn", "abu", "le", "la", "du", "dos", "das", "ben", "ter", "mc"})
CONNECTORS = frozenset({"of", "the", "and", "for", "&", "de", "du", "al", "el", "on", "in"})


@dataclass(slots=True)
class Mention:
    """One mention: token span [start, end) of the Doc and what is known about it."""
    start: int
    end: int
    label: str                    # spaCy label after repairs; "PRON" / "NOM" for anaphors
    words: tuple[str, ...] = ()   # the name without "the", titles and "'s"
    titles: tuple[str, ...] = ()  # title words before or inside the name, lower case
    role: str = "other"           # "subj" | "obj" | "poss" | "other"
    sent: int = 0
    cluster: int = -1
    kind: str = "name"            # "name" | "pronoun" | "nominal"
    head: int = 0                 # token index of the mention's syntactic head
    cues: list[str] = field(default_factory=list)  # why the type was changed

    @property
    def key(self) -> str:
        return " ".join(self.words).lower()


def norm(word: str) -> str:
    return word.lower().rstrip(".").replace("’", "'")


def role_of(token) -> str:
    if token.dep_ in SUBJECT_DEPS:
        return "subj" if token.head.dep_ not in EMBEDDED else "subj2"
    if token.dep_ == "poss":
        return "poss"
    if token.dep_ in ("compound", "amod", "nmod"):
        return "mod"
    if token.dep_ in OBJECT_DEPS:
        return "obj"
    return "other"


def _titles_before(doc, i: int) -> list[str]:
    """Title words right before token i ("Sen.", "Vice President", "Gen.")."""
    found, table = [], lexicon.titles()
    j = i - 1
    while j >= 0 and i - j <= 3 and norm(doc[j].text) in table and doc[j].text[:1].isupper():
        found.insert(0, norm(doc[j].text))
        j -= 1
    return found


def _trim(doc, start: int, end: int, label: str) -> tuple[int, int, list[str]]:
    """Drop a leading "the" and titles and a trailing possessive or punctuation; return titles."""
    table, names, titles = lexicon.titles(), lexicon.first_names(), []
    end = _cut(doc, start, end)
    if doc[end - 1].text in POSSESSIVE:
        end = _cut_possessive(doc, start, end)
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    start = _from_first_name(doc, start, end, label, names)
    while start < end - 1:
        word = norm(doc[start].text)
        if word == "the" or doc[start].pos_ in ("VERB", "AUX") or (
                doc[start].is_lower and word not in PARTICLES) or (
                label == "PERSON" and doc[start].pos_ in ("ADJ", "NOUN") and word not in names
                and word not in table):
            start += 1
        elif word in table and doc[start].text[:1].isupper() and (
                label == "PERSON" or norm(doc[start + 1].text) in names):
            titles.append(word)
            start += 1
        else:
            break
    return start, end, titles


def _from_first_name(doc, start: int, end: int, label: str, names: dict) -> int:
    """"Underdog Conservative Claudia Tenney": a person's name starts at its known first name."""
    if label != "PERSON" or norm(doc[start].text) in names or norm(doc[start].text) in lexicon.titles():
        return start
    for k in range(start + 1, end - 1):
        if norm(doc[k].text) in names and doc[k].text[:1].isupper():
            return k
    return start


def _cut(doc, start: int, end: int) -> int:
    """End a span before a verb ("ISIS Wants a Truce") or a preposition that attaches outside it
    ("Dabiq of al Qaeda's affiliate": "of" hangs on a word before the span)."""
    for t in doc[start + 1:end]:
        if t.pos_ in ("VERB", "AUX") or (t.pos_ in ("ADP", "CCONJ") and not start <= t.head.i < end):
            return t.i
    return end


def _cut_possessive(doc, start: int, end: int) -> int:
    """"Dabiq of al Qaeda's": a possessive known alias after "of" is its own entity."""
    for t in doc[start + 1:end - 2]:
        if t.lower_ == "of":
            rest = " ".join(doc[t.i + 1:end - 1].text.split()).lower().removeprefix("the ")
            return t.i if rest in lexicon.aliases() else end
    return end


def _fix_label(label: str, words: tuple[str, ...], titles: list[str], cues: list[str]) -> str:
    """PERSON when a person title precedes or a known first name starts a 2-4 word name."""
    if label == "PERSON" or not words:
        return label
    table = lexicon.titles()
    if titles and any(table.get(t) in ("m", "f") or t not in {"democrat", "republican", "gop"}
                      for t in titles):
        cues.append("title")
        return "PERSON"
    first, last = norm(words[0]), norm(words[-1])
    if 2 <= len(words) <= 4 and first in lexicon.first_names() and last not in lexicon.ORG_WORDS \
            and all(w[:1].isupper() for w in words):
        cues.append("first name")
        return "PERSON"
    return label


def make_mention(doc, start: int, end: int, label: str, sent_of) -> Mention | None:
    start, end, titles = _trim(doc, start, end, label)
    if end <= start:
        return None
    words = tuple(doc[start:end].text.split())
    if not any(ch.isalpha() for ch in "".join(words)):
        return None
    titles = _titles_before(doc, start) + titles
    cues: list[str] = []
    label = _fix_label(label, words, titles, cues)
    head = doc[start:end].root
    return Mention(start, end, label, words, tuple(titles), role_of(head), sent_of[start],
                   head=head.i, cues=cues)


def named_mentions(doc, ctx) -> list[Mention]:
    """NER mentions of the kept labels, then proper nouns spaCy missed (see module doc)."""
    sent_of = ctx.sent_of
    out = [m for ent in doc.ents if ent.label_ in LABELS
           for m in [make_mention(doc, ent.start, _extend_alias(doc, ent.start, ent.end),
                                  ent.label_, sent_of)] if m]
    out += _missed_names(doc, out, ctx)
    out.sort(key=lambda m: m.start)
    return out


def _extend_alias(doc, start: int, end: int) -> int:
    """Grow a span over up to two following words when that makes a known alias:
    spaCy often tags only "Islamic" (NORP) in "the Islamic State"."""
    for extra in (2, 1):
        stop = end + extra
        if stop <= len(doc) and doc[stop - 1].text[:1].isupper() and " ".join(
                doc[start:stop].text.split()).lower().removeprefix("the ") in lexicon.aliases():
            return stop
    return end


def _surnames(mentions: list[Mention]) -> set[str]:
    return {norm(m.words[-1]) for m in mentions
            if m.label == "PERSON" and len(m.words) >= 2 and norm(m.words[-1]) not in SUFFIXES}


def _missed_names(doc, found: list[Mention], ctx) -> list[Mention]:
    """Capitalised runs outside the mentions found: a title + name, a first name + name, a known
    surname (spaCy sometimes tags "Trump" as a NOUN or a WORK_OF_ART), a known alias or an
    acronym, or the subject of a speech verb ("PolitiFact says")."""
    taken = bytearray(len(doc))
    for m in found:
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    surnames, names, extra = _surnames(found), lexicon.first_names(), []
    run: list[int] = []
    for i in ctx.capitalised + [len(doc) + 1]:
        if run and i == run[-1] + 2 and _hyphen(doc, run[-1] + 1):
            run.append(run[-1] + 1)  # "Ruiz-Delgado" is three tokens
        if run and (i != run[-1] + 1 or len(run) >= 5):
            m = _missed_run(doc, run[0], run[-1] + 1, surnames, names, ctx.sent_of)
            if m:
                extra.append(m)
            run = []
        if i < len(doc) and _name_like(doc[i], taken, surnames):
            run.append(i)
    return extra


def _hyphen(doc, k: int) -> bool:
    return 0 < k < len(doc) and doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_


def _name_like(token, taken: bytearray, surnames: set[str]) -> bool:
    if taken[token.i] or not token.text[:1].isupper():
        return False
    return token.pos_ == "PROPN" or (token.pos_ == "NOUN" and norm(token.text) in surnames)


def _missed_run(doc, i: int, j: int, surnames: set[str], names: dict, sent_of) -> Mention | None:
    words = [norm(w) for w in doc[i:j].text.split()]
    if words[-1] in surnames or (j - i >= 2 and words[0] in names):
        return make_mention(doc, i, j, "PERSON", sent_of)
    if _titles_before(doc, i) and words[0] not in lexicon.titles():
        return make_mention(doc, i, j, "PERSON", sent_of)
    text = " ".join(doc[i:j].text.split())
    alias = lexicon.aliases().get(text.lower())
    if alias or (j - i == 1 and ACRONYM.match(text) and len(text.replace(".", "")) >= 3
                 and text not in NOT_NAMES):
        return make_mention(doc, i, j, alias[1] if alias else "ORG", sent_of)
    head = doc[i:j].root
    if head.dep_ == "nsubj" and head.head.lemma_.lower() in lexicon.SPEECH_VERBS \
            and words[0] not in lexicon.titles() and len(words[-1]) > 1:
        return make_mention(doc, i, j, "PERSON" if words[0] in names else "ORG", sent_of)
    return None
