"""Pronoun and definite-description resolution over the parse.

A salience model after Lappin & Leass (1994, "An algorithm for pronominal anaphora
resolution"): each earlier mention adds a weight for recency (halved per sentence back),
subjecthood, objecthood, head-noun status and role parallelism; an entity's salience sums its
strongest mention per sentence over a window of a few sentences (quoted sentences do not count
as distance; names in headline lines are no antecedents). Candidates must agree in gender (first names, titles; learned from earlier "he"
/ "she"), number and animacy; a pronoun object cannot take the subject of its own verb
(binding principle B). Quote context as in quote attribution work (Pareti 2015; O'Keefe et al.
2012): a pronoun that is the subject of a speech verb prefers the last speaker of its gender,
and names inside quotation marks count little for pronouns outside them. First-person pronouns
are not resolved. Definite descriptions ("the group", "the journalist") take the most salient
entity of a fitting type or, for role nouns, the latest entity described with that word.
"""
from __future__ import annotations

from collections import deque

from . import lexicon
from .cluster import GROUP_TYPES, THING_TYPES, Cluster
from .names import Mention, role_of

PRONOUNS = {**dict.fromkeys(("he", "him", "his", "himself"), "m"),
            **dict.fromkeys(("she", "her", "hers", "herself"), "f"),
            **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), "pl"),
            **dict.fromkeys(("it", "its", "itself"), "n")}
REFLEXIVES = frozenset({"himself", "herself", "itself", "themselves"})
PLEONASTIC_HEADS = frozenset({"be", "seem", "appear", "happen", "take", "matter", "remain", "rain",
                              "look", "turn", "make", "mean", "cost", "become", "get", "occur"})
WINDOW = {"m": 3, "f": 3, "pl": 2, "n": 2}
MIN_SCORE = 12.0
# Lappin & Leass: recency 100, subject 80, object 50, head noun 80 (not for a name that
# modifies another noun: "Trump campaign spokesman", "Trump's policy").
PARALLEL = 35  # Lappin & Leass role parallelism
WEIGHTS = {"subj": 260, "subj2": 260, "obj": 230, "other": 180, "poss": 130, "mod": 100}
DETERMINERS = frozenset({"the", "this", "these"})


def _speech_subject(token) -> bool:
    """Subject of a reporting verb in a main clause ("Earnest said that Obama called ...": only
    Earnest)."""
    verb = token.head
    return token.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() in lexicon.SPEECH_VERBS \
        and not (verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_.lower() in lexicon.SPEECH_VERBS)


def _according_to(token) -> bool:
    head = token.head
    return token.dep_ == "pobj" and head.lower_ == "to" and head.i > 0 and \
        token.doc[head.i - 1].lower_ == "according"


INSTITUTIONS = frozenset("""institute institution university college school center centre foundation
council committee commission bank court department ministry agency office company corporation corp
inc co times post news journal magazine network service press review tribune herald""".split())
GROUP_WORDS = frozenset("""group militia militants rebels insurgents extremists jihadists terrorists
movement faction organization organisation front army brigade brigades""".split())


def _surname_like(c: Cluster) -> bool:
    """An ORG that is only ever one capitalised word ("McAuliffe"): spaCy's small model often tags
    a lone surname ORG; "he" may take it (with the unknown-gender discount)."""
    return c.type == "ORG" and c.alias is None and all(
        len(m.words) == 1 and m.words[0][:1].isupper() and not m.words[0].isupper()
        and m.words[0].lower() not in INSTITUTIONS for m in c.mentions if m.kind == "name")


def _institution(c: Cluster) -> bool:
    return c.type in ("ORG", "PUBLICATION") and c.name.split()[-1].lower() in INSTITUTIONS


class Resolver:
    """Walks the document once, left to right, keeping a window of recent mentions."""

    def __init__(self, doc, clusters: list[Cluster], ctx) -> None:
        self.doc, self.clusters, self.sent_of, self.quoted = doc, clusters, ctx.sent_of, ctx.quoted
        self.anaphors, self.text = ctx.anaphors, doc.text
        self.described: dict[str, list[Cluster]] = {}  # role noun -> entities described with it
        self.window: deque[Mention] = deque()
        self.speakers: list[int] = []  # cluster ids of speech-verb subjects, in text order

    def run(self) -> None:
        named = sorted((m for c in self.clusters for m in c.mentions), key=lambda m: m.start)
        covered = bytearray(len(self.doc))
        for m in named:
            covered[m.start:m.end] = b"\x01" * (m.end - m.start)
        k = 0
        for i in self.anaphors:
            while k < len(named) and named[k].start <= i:
                self._push(named[k])
                k += 1
            if covered[i]:
                continue
            t = self.doc[i]
            if t.lower_ in PRONOUNS and t.pos_ == "PRON":
                self._pronoun(t)
            elif t.pos_ == "NOUN":
                self._nominal(t, covered)

    def _push(self, m: Mention) -> None:
        if self._headline(m):
            return
        self.window.append(m)
        token = self.doc[m.head]
        if not self.quoted[m.head] and (_speech_subject(token) or _according_to(token)):
            self.speakers.append(m.cluster)
        while self.window and self.window[0].sent < m.sent - 6:
            self.window.popleft()

    def _headline(self, m: Mention) -> bool:
        """A name in a headline or caption line (short, no closing punctuation) is no antecedent:
        "Rebel Magazine Hints at a Truce" must not catch the next paragraph's "its"."""
        line_start = self.text.rfind("\n", 0, self.doc[m.start].idx) + 1
        line_end = self.text.find("\n", line_start)
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)].rstrip()
        return len(line) < 120 and not line.endswith((".", "!", "?", "”", '"', ":", "'", ","))

    def _add(self, c: Cluster, m: Mention) -> None:
        c.add(m)
        if c.type == "PERSON" and c.gender == "-" and m.kind == "pronoun":
            c.gender = {"he": "m", "him": "m", "his": "m", "himself": "m"}.get(
                self.doc[m.start].lower_, "f")
        if not self.quoted[m.start]:
            self._push(m)

    def _fits(self, c: Cluster, gender: str) -> bool:
        if gender in ("m", "f"):
            return (c.type == "PERSON" and c.gender in (gender, "-")) or _surname_like(c)
        if gender == "pl":
            return c.type in GROUP_TYPES
        return c.type in THING_TYPES

    def _scores(self, t, gender: str, types=None, max_sent: int = 3) -> dict[int, float]:
        """Salience of each fitting entity for an anaphor at token t (Lappin & Leass weights)."""
        sent, scores, best = self.sent_of[t.i], {}, {}
        inside, role = self.quoted[t.i], role_of(t)
        blocked = self._bound(t)
        for m in reversed(self.window):
            dist = sent - m.sent
            if dist > max_sent:
                break
            if m.start >= t.i or m.cluster in blocked or (gender == "pl" and m.role == "mod"):
                continue
            c = self.clusters[m.cluster]
            if not (c.type in types if types else self._fits(c, gender)):
                continue
            w = WEIGHTS[m.role] + PARALLEL * (m.role == role)
            if self.quoted[m.head] and not inside:
                w *= 0.3
            key = (c.id, m.sent)  # one weight per entity and sentence: its strongest mention
            best[key] = max(best.get(key, 0.0), w * 0.5 ** dist)
        for (cid, _), w in best.items():
            scores[cid] = scores.get(cid, 0.0) + w
        return scores

    def _near_quote(self, t) -> bool:
        """The pronoun's sentence holds quoted words: ``"...," he said`` / ``he said, "..."``."""
        return any(self.quoted[max(0, t.i - 4):t.i])

    def _bound(self, t) -> set[int]:
        """Principle B: "Smith praised him" - him is not Smith."""
        if t.dep_ not in ("dobj", "dative", "iobj") or t.lower_ in REFLEXIVES:
            return set()
        subj = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return {m.cluster for m in self.window if subj and m.head == subj[0].i}

    def _pronoun(self, t) -> None:
        gender = PRONOUNS[t.lower_]
        if gender in ("pl", "n") and self.quoted[t.i]:
            return
        if gender == "n" and (t.dep_ == "expl" or (t.dep_ in ("nsubj", "nsubjpass")
                                                 and t.head.lemma_.lower() in PLEONASTIC_HEADS)):
            return
        scores = self._scores(t, gender, max_sent=WINDOW[gender])
        if not scores:
            return
        if _speech_subject(t):
            last = next((c for c in reversed(self.speakers[-8:]) if c in scores), None)
            if last is not None:
                scores[last] += 150 if self._near_quote(t) else 40
        for cid in scores:
            if gender in ("m", "f") and self.clusters[cid].type != "PERSON":
                scores[cid] *= 0.5
            elif gender in ("m", "f") and self.clusters[cid].gender == "-":
                scores[cid] *= 0.85
        best = max(scores, key=scores.get)
        if scores[best] < MIN_SCORE:
            return
        m = Mention(t.i, t.i + 1, "PRON", (t.text,), role=role_of(t), sent=self.sent_of[t.i],
                    kind="pronoun", head=t.i)
        self._add(self.clusters[best], m)

    def _nominal(self, t, covered: bytearray) -> None:
        entry = lexicon.nouns().get(t.lower_) or lexicon.nouns().get(t.lemma_.lower())
        if entry is None or t.dep_ == "compound" or (t.tag_ == "NNS") != entry.plural:
            return
        left = t.left_edge.i
        if self.doc[left].lower_ not in DETERMINERS or any(covered[left:t.i]):
            return
        if any(c.dep_ in ("relcl", "acl", "poss") or (c.dep_ == "prep" and c.lower_ == "of")
               or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in t.children):
            return
        c = self._role_match(t, entry) if entry.need_role else self._salient(t, entry)
        if c is not None:
            m = Mention(left, t.i + 1, "NOM", tuple(x.text for x in self.doc[left:t.i + 1]),
                        role=role_of(t), sent=self.sent_of[t.i], kind="nominal", head=t.i)
            self._add(c, m)

    @staticmethod
    def _described_as(c: Cluster, lemma: str) -> bool:
        words = {w.rstrip("s") for w in c.role_words} | {c.name.split()[-1].lower()}
        return lemma.rstrip("s") in words or bool(words & GROUP_WORDS)

    def _role_match(self, t, entry) -> Cluster | None:
        """The latest entity of a fitting type whose description or title uses the noun."""
        if entry.lemma not in self.described:
            self.described[entry.lemma] = [c for c in self.clusters if c.type in entry.types
                                           and any(w.endswith(entry.lemma) for w in c.role_words)]
        best, best_pos = None, -1
        for c in self.described[entry.lemma]:
            if entry.gender != "-" and c.gender not in (entry.gender, "-"):
                continue
            pos = max((m.start for m in c.mentions if m.start < t.i), default=-1)
            if pos > best_pos:
                best, best_pos = c, pos
        return best

    def _salient(self, t, entry) -> Cluster | None:
        types = entry.types
        scores = self._scores(t, entry.gender, types=types, max_sent=3)
        if "GROUP" in types:  # "the group", "the militants": not an institute or a newspaper
            scores = {k: v + 200 * self._described_as(self.clusters[k], entry.lemma)
                      for k, v in scores.items() if not _institution(self.clusters[k])}
        if entry.gender != "-":
            scores = {k: v for k, v in scores.items() if self.clusters[k].gender in (entry.gender, "-")}
        if not scores:
            return None
        best = max(scores, key=scores.get)
        return self.clusters[best] if scores[best] >= MIN_SCORE else None
