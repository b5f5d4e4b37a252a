"""Clustering named mentions into entities, one document at a time.

String-match sieves in the order of Lee et al. (2013): exact name and known alias first, then
person names by (first, last) name, then a lone surname or first name to the person it belongs
to (the nearest preceding one when two share it, with "Mr."/"Mrs." deciding gender), then
acronyms by initials ("NLF" <-> "Northern Liberation Front") and short forms of organisation
names ("the Post" -> "Washington Post"). The entity's type is a vote over its mentions; its
canonical name is its longest proper name form.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import lexicon
from .names import ACRONYM, CONNECTORS, SUFFIXES, Mention, norm

GROUP_TYPES = frozenset({"ORG", "NORP", "GPE", "GROUP"})
THING_TYPES = frozenset({"ORG", "GPE", "LOC", "FAC", "PUBLICATION", "GROUP"})


@dataclass(slots=True)
class Cluster:
    id: int
    mentions: list[Mention] = field(default_factory=list)
    alias: tuple[str, str] | None = None  # (canonical, type) from the alias lexicon
    gender: str = "-"
    description: str | None = None
    role_words: set[str] = field(default_factory=set)  # description nouns and titles, lower case
    type: str = ""
    name: str = ""

    def add(self, m: Mention) -> None:
        m.cluster = self.id
        self.mentions.append(m)

    @property
    def last(self) -> int:
        return self.mentions[-1].start


def _person_key(words: tuple[str, ...]) -> tuple[str, str] | None:
    parts = [norm(w) for w in words if w not in (".", ",")]
    if len(parts) >= 2 and parts[-1] in SUFFIXES:
        return (parts[0], parts[-2] + " " + parts[-1]) if len(parts) >= 3 else None
    return (parts[0], parts[-1]) if len(parts) >= 2 else None


def _initials(words: tuple[str, ...], skip: bool) -> str:
    return "".join(w[0].upper() for w in words
                   if w[:1].isalpha() and not (skip and w.lower() in CONNECTORS))


def _alias(m: Mention) -> tuple[str, str] | None:
    key = m.key
    return lexicon.aliases().get(key) or lexicon.aliases().get(key.replace(" .", "."))


class Clusterer:
    """Holds the per-document indexes; ``run`` returns the clusters in first-mention order."""

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self.by_key: dict[str, Cluster] = {}
        self.by_person: dict[tuple[str, str], Cluster] = {}

    def new(self, m: Mention) -> Cluster:
        c = Cluster(len(self.clusters))
        self.clusters.append(c)
        c.add(m)
        return c

    def run(self, mentions: list[Mention]) -> list[Cluster]:
        later = []
        for m in mentions:
            if not self._full(m):
                later.append(m)
        self._index()
        for m in later:
            self._short(m)
        return self.clusters

    def _full(self, m: Mention) -> bool:
        """Sieve 1-2: alias forms, full person names and multi-word names form clusters."""
        alias = _alias(m)
        if alias:
            c = self.by_key.get("alias:" + alias[0]) or self.new_keyed(m, "alias:" + alias[0])
            c.alias = alias
            if m.cluster < 0:
                c.add(m)
            return True
        pkey = _person_key(m.words) if m.label == "PERSON" else None
        if pkey:
            c = self.by_person.get(pkey)
            if c is None:
                self.by_person[pkey] = self.new(m)
            else:
                c.add(m)
            return True
        if len(m.words) >= 2 and m.label != "PERSON":
            c = self.by_key.get(m.key)
            if c is None:
                self.new_keyed(m, m.key)
            else:
                c.add(m)
            return True
        return False

    def _index(self) -> None:
        """Lookup tables over the full names, so each short mention costs O(1)."""
        self.by_last: dict[str, list[Cluster]] = {}
        self.by_first: dict[str, list[Cluster]] = {}
        for (first, last), c in self.by_person.items():
            self.by_last.setdefault(last, []).append(c)
            self.by_first.setdefault(first, []).append(c)
        self.by_initials: dict[str, Cluster] = {}
        self.by_end: dict[str, list[Cluster]] = {}
        for c in self.clusters:
            for x in c.mentions:
                if len(x.words) >= 2:
                    self.by_initials.setdefault(_initials(x.words, True), c)
                    self.by_initials.setdefault(_initials(x.words, False), c)
        for k, c in self.by_key.items():
            if not k.startswith("alias:") and " " in k and any(x.label == "ORG" for x in c.mentions):
                for word in {k.split()[0], k.split()[-1]}:
                    self.by_end.setdefault(word, []).append(c)

    def new_keyed(self, m: Mention, key: str) -> Cluster:
        c = self.new(m)
        self.by_key[key] = c
        return c

    def _short(self, m: Mention) -> None:
        """Sieve 3-5: surnames, first names, acronyms, short forms, else exact key."""
        c = self._person_for(m) or self._acronym_for(m) or self._short_org_for(m)
        c = c or self.by_key.get(m.key) or self.by_key.get(_plural_key(m))
        if c is None:
            self.new_keyed(m, _plural_key(m) if m.label == "NORP" else m.key)
        else:
            c.add(m)

    def _person_for(self, m: Mention) -> Cluster | None:
        word = norm(m.words[-1])
        if m.label not in ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC") or len(m.words) != 1 \
                or not word.replace("'", "").replace("-", "").isalpha():
            return None
        last = self.by_last.get(word, [])
        first = self.by_first.get(word, []) if m.label == "PERSON" else []
        found = last or (first if len(first) == 1 else [])
        if m.label in ("GPE", "LOC") and word in lexicon.aliases():
            return None
        return _pick(found, m)

    def _acronym_for(self, m: Mention) -> Cluster | None:
        text = "".join(m.words)
        if len(m.words) != 1 or not ACRONYM.match(text):
            return None
        return self.by_initials.get(text.replace(".", ""))

    def _short_org_for(self, m: Mention) -> Cluster | None:
        if m.label not in ("ORG", "FAC") or len(m.words) != 1:
            return None
        found = self.by_end.get(m.words[0].lower(), [])
        return found[0] if len(found) == 1 else None


def _plural_key(m: Mention) -> str:
    key = m.key
    return key[:-1] if m.label == "NORP" and key.endswith("s") and len(key) > 3 else key


def _pick(found: list[Cluster], m: Mention) -> Cluster | None:
    """Among persons sharing a surname: the one whose gender fits the title, then the nearest before."""
    if len(found) <= 1:
        return found[0] if found else None
    genders = {lexicon.titles().get(t) for t in m.titles} & {"m", "f"}
    if genders:
        fit = [c for c in found if gender_of(c) in genders]
        found = fit or found
    before = [c for c in found if c.mentions[0].start < m.start] or found

    def usage(c: Cluster):
        short = sum(len(x.words) == 1 for x in c.mentions)
        return (short, len(c.mentions), -c.mentions[0].start)

    return max(before, key=usage)


def gender_of(c: Cluster) -> str:
    """"m" / "f" from titles ("Mr.", "Mrs.") and first names of the cluster's names, else "-"."""
    votes = Counter()
    names, table = lexicon.first_names(), lexicon.titles()
    for m in c.mentions:
        if m.kind != "name":
            continue
        for t in m.titles:
            if table.get(t) in ("m", "f"):
                votes[table[t]] += 2
        if norm(m.words[0]) in names and m.label == "PERSON" and (len(m.words) >= 2 or len(c.mentions) and all(
                len(x.words) == 1 for x in c.mentions if x.kind == "name")):
            votes[names[norm(m.words[0])]] += 1
    if not votes or votes["m"] == votes["f"]:
        return "-"
    return votes.most_common(1)[0][0]


def finish(doc, c: Cluster) -> None:
    """Type by vote (alias lexicon wins), canonical name, gender."""
    names = [m for m in c.mentions if m.kind == "name"]
    votes = Counter()
    for m in names:
        votes[m.label] += 1 + 2 * bool(m.cues) + 3 * (len(m.words) >= 2 and m.label == "PERSON") \
            + (m.label == "PERSON")  # spaCy calls people ORG far more often than the reverse
    c.type = c.alias[1] if c.alias else votes.most_common(1)[0][0]
    if not c.alias and any(m.label == "PERSON" and _person_key(m.words) for m in names):
        c.type = "PERSON"  # a full personal name decides: "Tim Canova" then "Canova" (ORG) x 11
    c.name = canonical_name(doc, names, c.type, c.alias[0] if c.alias else None)
    c.gender = gender_of(c) if c.type == "PERSON" else "-"


def canonical_name(doc, names: list[Mention], type_: str, alias: str | None = None) -> str:
    """The lexicon's name when the text uses it; an acronym when the text uses it more than the
    long forms ("the IMF"); else the longest proper form: most words, not all capitals, most
    frequent, first."""
    forms = Counter(" ".join(doc[m.start:m.end].text.split()) for m in names)
    acronyms = sum(n for f, n in forms.items() if ACRONYM.match(f))
    if acronyms * 2 > sum(forms.values()):
        return max((f for f in forms if ACRONYM.match(f)), key=forms.get)
    if alias:
        return alias
    names_ = lexicon.first_names()

    def score(m: Mention):
        caps = all(w.isupper() for w in m.words if w.isalpha()) and len("".join(m.words)) > 3
        first = type_ == "PERSON" and norm(m.words[0]) in names_ and len(m.words) >= 2
        return (not caps, first, len(m.words) if type_ != "NORP" else -len(m.words),
                forms[" ".join(m.words)], -m.start)

    best = max(names, key=score)
    return " ".join(doc[best.start:best.end].text.split())
