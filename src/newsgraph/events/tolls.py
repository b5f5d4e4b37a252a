"""Casualty tolls: killed and wounded counts read from number expressions over the parse.

A number counts as a toll when it quantifies the victims of a killing/wounding word: the
object of "killed"/"injured" ("killing at least 112 people"), the subject of a passive or of
"died" ("six people were killed"), the modifier of "dead"/"wounded" ("160 people dead"), or
the value of "death toll" ("the death toll rose to 58"). Hedges ("at least", "more than",
"about", "nearly", "up to") are kept in ``*_hedge``; vague quantities ("dozens", "hundreds",
"scores") keep ``killed=None`` and only the hedge: no invented precision. Cue lists follow
the casualty-reporting verbs used by ACLED and the Syrian Violations Documentation Center.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import is_calendar_word
from .docs import sent_text, tokens_where

KILL = {"kill", "killing", "dead", "death", "die", "slay", "massacre", "execute", "behead", "fatality", "toll",
        "perish", "life", "body", "martyr", "murder", "slaughter", "claim", "leave",
        "eliminate", "neutralize", "neutralise", "liquidate", "destroy"}
WOUND = {"wound", "injure", "injury", "hurt", "wounded", "injured"}
CUE_LEMMAS, WOUND_SET = frozenset(KILL | WOUND), frozenset(WOUND)
# Forms a title-case headline hides from the lemmatiser ("Syrian Army Kills 10 Terrorists": a proper noun)
KILL_FORMS = frozenset({"kills", "killed", "killing", "kill"})
VAGUE = {"dozen": "dozens", "dozens": "dozens", "hundred": "hundreds", "hundreds": "hundreds",
         "score": "scores", "scores": "scores", "thousand": "thousands", "thousands": "thousands",
         "several": "several", "many": "many", "numerous": "many", "some": "some", "few": "a few"}
HEDGES = ("at least", "more than", "over", "about", "around", "nearly", "almost", "up to", "some",
          "approximately", "roughly", "at most", "fewer than", "less than", "an estimated", "as many as")
UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
         "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


@dataclass(slots=True)
class Toll:
    kind: str            # "killed" | "wounded"
    count: int | None
    hedge: str | None
    number: tuple[int, int]   # char span of the number expression
    cue: object               # the spaCy token of the killing/wounding word


def parse_number(words: list[str]) -> int | None:
    """'1,200' -> 1200, 'twenty-five' -> 25, 'two hundred' -> 200, 'a dozen' -> 12; else None."""
    text = " ".join(words).lower().replace(",", "").replace("-", " ")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return int(float(text))
    if text in ("a dozen", "one dozen", "dozen"):
        return 12
    total, current, prev_digit = 0, 0, False
    for w in text.split():
        if w.isdigit():
            if prev_digit:  # "86 30 of them children": two numbers side by side, not one
                break
            current += int(w)
            prev_digit = True
            continue
        prev_digit = False
        if w in UNITS:
            current += UNITS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] > 100:
                total, current = total + current, 0
        elif w not in ("and", "a"):
            return None
    value = total + current
    return value if value > 0 or text in ("zero", "0") else None


def _numeric(t) -> bool:
    return t.like_num or t.lower_ in SCALES or t.lower_ in VAGUE


def _number_group(tok):
    """The run of number words around a nummod/quantity token ("two hundred", "1,200"), as a
    span; a run stops at other words, so "URL 1195 Over 100 militants" reads 100."""
    nums = [t for t in tok.subtree if _numeric(t)]
    if not nums:
        return None
    doc = tok.doc
    seed = tok if _numeric(tok) else min(nums, key=lambda t: abs(t.i - tok.i))
    prev = doc[seed.i - 1] if seed.i > 0 else None
    if prev is not None and prev.is_digit and seed.is_digit and not re.fullmatch(r"(19|20)\d\d", prev.text):
        seed = prev  # "risen to 86 30 of them children": the first figure is the count
    first = last = seed.i
    while first > 0 and (_joins(doc[first - 1], doc[first]) or doc[first - 1].text in ("-", "and")
                         and first > 1 and _joins(doc[first - 2], doc[first])):
        first -= 1 if _numeric(doc[first - 1]) else 2
    while last + 1 < len(doc) and (_joins(doc[last], doc[last + 1]) or doc[last + 1].text in ("-", "and")
                                   and last + 2 < len(doc) and _joins(doc[last], doc[last + 2])):
        last += 1 if _numeric(doc[last + 1]) else 2
    return doc[first:last + 1]


def _joins(a, b) -> bool:
    """Two number tokens that read as one number: word numbers ("twenty five"), or a number and
    a scale ("2 million"); two figures ("2016 92", "86 30") are two numbers."""
    if not (_numeric(a) and _numeric(b)):
        return False
    if a.lower_ in SCALES or b.lower_ in SCALES:
        return True
    return a.lower_ in UNITS and b.lower_ in UNITS


def _hedge(doc, start_i: int) -> str | None:
    before = doc[max(0, start_i - 3):start_i].text.lower()
    for h in HEDGES:
        if before.endswith(h):
            return h
    return None


def _reading(span) -> tuple[int | None, str | None]:
    words = [t.text for t in span if t.like_num or t.lower_ in SCALES or t.lower_ in UNITS or t.lower_ in ("a", "and")]
    count = parse_number(words) if words else None
    if count is None:
        vague = next((VAGUE[t.lower_] for t in span if t.lower_ in VAGUE), None)
        return None, vague
    return count, _hedge(span.doc, span.start)


# Prepositions that introduce victims or a toll's value ("the deaths of 20", "rose to 58",
# "the toll at 16", "among the 126 dead"); others ("in", "on", "during") give places and times.
VICTIM_PREPS = {"of", "to", "at", "with"}  # not "including"/"among": a subset is no toll
NOT_VICTIMS = {"url", "link", "view", "comment", "share", "photo", "picture", "video", "image"}


def _object_counts(verb, vague: bool = True) -> list:
    """The numeric modifiers of a verb's direct objects ("left 23 civilians ...", "crucified five
    civilians"); ``vague`` also takes "dozens", "several"."""
    return [g for obj in verb.children if obj.dep_ == "dobj" for g in obj.children
            if g.dep_ in ("nummod", "quantmod") and (g.like_num or vague and g.lower_ in VAGUE)]


def _victim_numbers(tok):
    """Number-bearing tokens attached to a cue: its object/subject noun's numeric modifiers."""
    found = []
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ not in VICTIM_PREPS:
            continue  # "killed in four air strikes", "in two attacks": not the victims
        if child.dep_ in ("dobj", "nsubjpass", "nsubj", "attr", "npadvmod", "conj", "appos", "pobj", "prep", "dative"):
            nouns = [child] + [g for g in child.children if g.dep_ == "pobj"]
            if child.lemma_.lower() in ("life", "body", "death"):  # "claimed the lives of 20 people"
                nouns += [g for p in child.children if p.dep_ == "prep" and p.lower_ == "of"
                          for g in p.children if g.dep_ == "pobj"]
            for t in nouns + [c for n in nouns if n.pos_ in ("NOUN", "PROPN") for c in n.conjuncts]:
                if t.lemma_.lower() in NOT_VICTIMS:
                    continue  # "Get short URL 1195": page furniture scraped with the story
                if t.like_num or t.lower_ in VAGUE:
                    found.append(t)
                found.extend(g for g in t.children if (g.dep_ in ("nummod", "quantmod", "amod") and
                             (g.like_num or g.lower_ in VAGUE)) or g.dep_ == "compound" and g.like_num)
    if tok.pos_ == "VERB" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
        for conj in (c for c in tok.children if c.dep_ == "conj" and c.pos_ == "VERB"):  # "killed and crucified five civilians"
            found.extend(_object_counts(conj))
    if tok.lower_ == "dead" and not any(c.dep_ == "nummod" for c in tok.children):  # "leaving 23 civilians - including ... - dead"
        for leave in (v for v in tok.doc[max(tok.sent.start, tok.i - 12):tok.i] if v.lemma_.lower() == "leave"):
            found.extend(_object_counts(leave))
    if tok.dep_ in ("oprd", "acomp", "advmod") and tok.head.pos_ == "VERB":  # "shot dead three men"
        found.extend(_object_counts(tok.head, vague=False))
    if tok.dep_ in ("amod", "acomp", "oprd", "acl") and tok.head.pos_ in ("NOUN", "PROPN", "NUM"):
        head = tok.head  # "Five children and four medical staff killed": each conjoined group
        found.extend(g for h in (head, *head.conjuncts) for g in h.children
                     if g.dep_ in ("nummod", "quantmod") and (g.like_num or g.lower_ in VAGUE))
        if head.like_num:
            found.append(head)
    found.extend(g for g in tok.children if g.dep_ in ("nummod", "quantmod") and (g.like_num or g.lower_ in VAGUE))
    return found


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
# A war's own running total: "since the war began", "the conflict that started in 2011", "since the
# outbreak of the uprising", "the war has killed ... so far" (the war word close to its marker).
WAR_WORDS = r"(war|conflict|uprising|crisis|revolution)"
CUMULATIVE = re.compile(r"\b" + WAR_WORDS + r"\b[^.]{0,40}\b(began|started|erupted|broke out|so far|to date|in total|"
                        r"overall)\b|\b(since|outbreak of|start of|beginning of) (the )?(start of |beginning of |outbreak of )?(the )?"
                        r"(\w+ )?" + WAR_WORDS + r"\b",
                        re.I)
# Running totals (ACLED's and the VDC's distinction between an event's toll and a tally): a count
# "since" a year, a month or the war's start, "so far this year", "this month alone", "in the first six months".
RUNNING = re.compile(r"\b(since (early |late |mid-?)?((19|20)\d\d|" + "|".join(MONTH_NAMES) + r"|the (start|beginning|"
                     r"outbreak|onset))|so far this|to date|cumulative|tally|total number|brought the total|"
                     r"(this|that) (month|year) alone|(first|past|last) (few |\w+ )?(weeks|months|years))\b", re.I)
# A count over a few days or "since Saturday" is the toll of one offensive or raid, which
# casualty coders (FA-KES, the VDC) record as one event; weeks, months and years make a tally.
# A war as the killer or the setting of a perfect-tense count: "the conflict has killed",
# "more than 210000 people have died in the Syrian conflict", "the war that has claimed".
WAR_TOTAL = re.compile(r"\b(war|conflict|uprising|revolution|crisis)\b[^.]{0,30}\b(has|have|had)\b|"
                       r"\b(has|have|had)\b[^.]{0,60}\b(in|during|of|by) (the|this|a|syria's|syrias)( \w+)? "
                       r"(war|conflict|uprising|revolution)\b", re.I)
# A war or battle told by its age: "in Syria's 30-month war", "the two-week-old battle for
# Zabadani has cost the lives of 84": a count over weeks or more is a tally (see RUNNING).
WAR_AGE = re.compile(r"\b(\d+|\w+)[- ](week|month|year)s?[- ](old[- ])?(war|conflict|uprising|revolution|crisis|battle|"
                     r"offensive|siege|campaign|fighting)\b", re.I)
# A scraped "Related" list of other stories' headlines, mid-sentence and capitalised ("... 319
# Related Russian Airstrikes Kill 120 Daesh Terrorists"); case matters here.
NAV = re.compile(r"(?:\b\d[\d,]* )?(?<=[\w)] )Related (?=[A-Z])")  # with the view counter before it
# Navigation boilerplate scraped with an article ("Related News ...", video captions).
BOILERPLATE = re.compile(r"\b(related (news|articles|stories)|youtube|read more)\b", re.I)


PERFECT = re.compile(r"\b(has|have|had)( also)? (been killed|died|cost|claimed|killed|left)\b", re.I)
WAR_SCALE = 1000  # no single attack in the Syrian war data reaches this; tallies in the thousands do


def is_cumulative(sent) -> bool:
    """'The war has killed more than 280,000 people since 2011': a running total, not an event."""
    text = sent_text(sent)
    return bool(CUMULATIVE.search(text) or RUNNING.search(text) or BOILERPLATE.search(text) or WAR_AGE.search(text)
                or WAR_TOTAL.search(text) and _war_noun(sent))


def _war_noun(sent) -> bool:
    """A war named as such, not as a modifier ("a war monitor", "war crimes")."""
    return any(t.lemma_.lower() in WARS and t.dep_ not in ("compound", "amod", "nmod") for t in sent)


WARS = {"war", "conflict", "uprising", "revolution", "crisis"}


def is_tally(sent, count: int | None) -> bool:
    """'More than 200,000 people have been killed': a perfect-tense count in the thousands, unless
    the sentence names the one attack that killed them ('the attack had killed 1300 people')."""
    return count is not None and count >= WAR_SCALE and bool(PERFECT.search(sent_text(sent))) \
        and not any(t.lemma_.lower() in SINGLE_ATTACKS for t in sent)


SINGLE_ATTACKS = {"attack", "massacre", "bombing", "explosion", "blast", "strike", "airstrike", "raid"}


def _cue_tokens(sent) -> list:
    """The sentence's tokens that may be a killing/wounding word (``_cue_kind`` decides)."""
    found = tokens_where(sent, "lemma", CUE_LEMMAS) + tokens_where(sent, "lower", WOUND_SET | KILL_FORMS)
    return sorted({t.i: t for t in found}.values(), key=lambda t: t.i)


def find_tolls(sent) -> list[Toll]:
    """Killed/wounded counts in one sentence (a spaCy Span). Each number goes to the nearest cue
    that governs it ("left 160 people dead and at least 300 wounded": 300 -> wounded)."""
    claims: dict[int, list] = {}
    singles: list[Toll] = []
    cues = _cue_tokens(sent)
    if not cues or is_cumulative(sent):  # most sentences hold no casualty word at all
        return []
    for tok in cues:
        kind = _cue_kind(tok)
        if kind is None:
            continue
        nums = _victim_numbers(tok)
        if tok.lemma_.lower() in ("toll", "death", "casualty", "fatality") and tok.dep_ in ("nsubj", "nsubjpass"):
            nums += _victim_numbers(tok.head)  # "the death toll reached at least 112"
        spans = [_number_group(num) for num in nums] + _adjacent_numbers(tok)
        spans = [sp for sp in spans if sp is not None and not _is_year_or_date(sp)]
        spans += [sp for sp in map(_number_group, _set_toll_value(tok))  # "at 16 earlier": no time of day
                  if sp is not None and not re.fullmatch(r"(19|20)\d\d", sp.text) and sp.start not in {x.start for x in spans}]
        if not spans:
            spans = [sp for sp in map(_number_group, _linear_numbers(tok)) if sp is not None and not _is_year_or_date(sp)]
        if not spans and (one := _one_victim(tok)) is not None:
            singles.append(Toll(kind, 1, None, (one.idx, one.idx + len(one)), tok))
        for span in spans:
            claims.setdefault(span.start, []).append((span, kind, tok))
    out: list[Toll] = []
    for start, options in sorted(claims.items()):
        # a number belongs to the cue after it when it has one ("8 killed 58 others injured"),
        # else to the nearest cue before it ("killed six people and injured 32")
        span, kind, cue = min(options, key=lambda o: (o[2].i < o[0].start, abs(o[2].i - o[0].end + 1)))
        count, hedge = _reading(span)
        if (count is not None or hedge is not None) and not is_tally(sent, count):
            out.append(Toll(kind, count, hedge, (span.start_char, span.end_char), cue))
    out = _sum_conjoined(sent.doc, out)
    for toll in out:
        _add_trailing_group(sent, toll, set(claims))
    found = out + [t for t in singles if not any(o.cue is t.cue for o in out)]
    nav = NAV.search(sent_text(sent))
    if nav is not None:  # the headlines of a "Related" list scraped after the article's last sentence
        found = [t for t in found if t.number[0] < sent.start_char + nav.start()]
    return found


def _add_trailing_group(sent, toll: Toll, claimed: set) -> None:
    """'killing nine children and 14 others' where the parser lost the conjunct: a number
    right after the victims' noun and "and", claimed by no cue, is a second victim group."""
    doc = sent.doc
    noun = _victim_noun(doc, toll)
    if toll.count is None or noun is None or toll.kind != "killed":
        return
    i = noun.i + 1
    if i + 2 < sent.end and doc[i].lower_ == "and" and doc[i + 1].like_num and doc[i + 1].i not in claimed \
            and doc[i + 2].pos_ in ("NOUN", "ADJ") and not _cue_kind(doc[i + 2]) \
            and not (i + 3 < sent.end and _cue_kind(doc[i + 3])):
        extra = _reading(doc[i + 1:i + 2])[0]
        if extra is not None and not _is_year_or_date(doc[i + 1:i + 2]):
            toll.count += extra


PERSON_NOUNS = {"child", "girl", "boy", "man", "woman", "person", "civilian", "soldier", "officer", "policeman",
                "fighter", "militant", "journalist", "baby", "teenager", "student", "doctor", "nurse", "worker",
                "farmer", "shepherd", "imam", "priest", "volunteer", "medic", "teacher", "resident", "citizen"}


def _one_victim(tok):
    """'A girl was killed', 'killing a civilian': one person named by an indefinite singular
    noun is a count of one; the noun token is returned, or None."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in ("kill", "die", "slay", "murder", "execute", "behead"):
        return None
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass") or child.dep_ == "nsubj" and tok.lemma_.lower() == "die":
            if child.tag_ == "NN" and child.lemma_.lower() in PERSON_NOUNS and any(
                    d.dep_ == "det" and d.lower_ in ("a", "an") for d in child.children):
                return child
    return None


def _victim_noun(doc, toll: Toll):
    span = doc.char_span(*toll.number, alignment_mode="expand")
    root = span.root if span is not None else None
    return root.head if root is not None and root.dep_ in ("nummod", "quantmod") else root


def _sum_conjoined(doc, tolls: list[Toll]) -> list[Toll]:
    """'killed 31 jihadists and eight civilians': conjoined victim groups of one cue add up to
    one toll (39), as casualty coders such as ACLED and FA-KES count an event's dead; a subset
    ('11 civilians including three children') is a prepositional object, not a conjunct."""
    out: list[Toll] = []
    for toll in tolls:
        noun = _victim_noun(doc, toll)
        prev = next((t for t in out if t.cue is toll.cue and t.kind == toll.kind and t.count is not None
                     and noun is not None and _victim_noun(doc, t) in noun.conjuncts), None)
        if prev is not None and toll.count is not None:
            prev.count += toll.count
        else:
            out.append(toll)
    return out


LINEAR_SKIP = {"at", "least", "more", "than", "over", "about", "around", "nearly", "almost", "up", "to", "some",
               "approximately", "roughly", "an", "estimated", "as", "many", "a", "total", "of"}
TOLL_VERBS = {"rise", "rose", "risen", "reach", "reached", "climb", "climbed", "stand", "stood", "be", "is", "was",
              "has", "had", "jump", "jumped", "increase", "increased", "hit"}


SETTING_VERBS = {"put", "place", "set", "estimate", "revise", "raise", "lower", "bring", "update", "fix"}


def _set_toll_value(tok) -> list:
    """"Kurdish police put the death toll at 16", "placed the death toll from the air raids at
    50", "raised the toll to 31": the value of a toll set by a verb hangs on the verb's "at"/"to"."""
    if tok.lemma_.lower() != "toll" or tok.dep_ != "dobj" or tok.head.lemma_.lower() not in SETTING_VERBS:
        return []
    doc = tok.doc
    for prep in (c for c in tok.head.children if c.dep_ == "prep" and c.lower_ in ("at", "to") and c.i > tok.i):
        i = prep.i + 1
        while i < min(prep.i + 5, len(doc)) and doc[i].lower_ in LINEAR_SKIP:
            i += 1
        if i < len(doc) and doc[i].like_num:
            return [doc[i]]
    return []


def _linear_numbers(tok) -> list:
    """Parse-free fallback for a cue whose tree holds no number (the small parser often hangs
    a dateline's count on the date, or reads "61 people mostly civilians" as a clause): the
    number right after the cue, hedges aside ("have killed at least 61", "the toll at 16"), or
    the number that opens a passive cue's subject ("21 Syrian fighters have been killed")."""
    doc, sent = tok.doc, tok.sent
    skip = LINEAR_SKIP | (TOLL_VERBS if tok.lemma_.lower() in ("toll", "death") else set())
    i = tok.i + 1
    while i < sent.end and i <= tok.i + 5 and doc[i].lower_ in skip:
        i += 1
    if i < sent.end and doc[i].like_num and tok.pos_ in ("VERB", "NOUN"):
        return [doc[i]]
    if tok.tag_ != "VBN":
        return []
    j = tok.i - 1
    while j > sent.start and j >= tok.i - 8 and not doc[j].like_num and (
            doc[j].dep_ in ("aux", "auxpass") or doc[j].pos_ in ("ADJ", "NOUN", "PROPN", "PUNCT")):
        j -= 1
    return [doc[j]] if j >= sent.start and doc[j].like_num else []


# The military communique's words for killing ("destroyed over 60 terrorists", "70 militants were
# eliminated", "neutralized 12 gunmen"): a kill only when their object counts fighters, not
# things ("destroyed 11 hospitals", "eliminated two checkpoints").
EUPHEMISMS = {"eliminate", "neutralize", "neutralise", "liquidate", "destroy"}
FIGHTER_NOUNS = {"terrorist", "militant", "fighter", "insurgent", "jihadist", "gunman", "rebel", "soldier", "troop",
                 "mercenary", "extremist", "member", "commander", "sniper", "attacker", "combatant"}


def _fighters_as_victims(tok) -> bool:
    """The object (or passive subject) is fighters, also through "a total of" / "the number of"."""
    for c in (c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
        heads = [c] + [g for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
                       if g.dep_ == "pobj"]
        if any(h.lemma_.lower() in FIGHTER_NOUNS for h in heads):
            return True
    return False


def _cue_kind(tok) -> str | None:
    lemma = tok.lemma_.lower()
    kind = "wounded" if lemma in WOUND or tok.lower_ in WOUND else \
        "killed" if lemma in KILL or tok.lower_ in KILL_FORMS else None
    if kind and lemma in ("claim", "leave", "life", "body") and not _death_context(tok):
        return None
    if kind and lemma in EUPHEMISMS and not _fighters_as_victims(tok):
        return None
    if kind == "killed" and _joint_with_wounded(tok):
        return None
    return kind


def _joint_with_wounded(tok) -> bool:
    """"49 fighters were killed and wounded", "30 people killed or injured": one count of dead
    and wounded together is no death toll (ACLED codes fatalities only)."""
    if tok.tag_ != "VBN" or any(c.dep_ == "dobj" for c in tok.children):
        return False  # "killed five people and injured seven": each verb has its own count
    pairs = [(c, list(c.subtree)) for c in tok.children if c.dep_ == "conj"]
    if tok.dep_ == "conj":  # the wounding word heads the pair: its own words are outside this one's subtree
        mine = {t.i for t in tok.subtree}
        pairs.append((tok.head, [t for t in tok.head.subtree if t.i not in mine]))
    return any((other.lemma_.lower() in WOUND or other.lower_ in WOUND)
               and not any(t.like_num or t.lower_ in VAGUE or t.lower_ in ("others", "other")
                           or t.dep_ in ("nsubj", "nsubjpass") and t.head.i == other.i for t in own)
               for other, own in pairs)


def _adjacent_numbers(tok):
    """'300 wounded', '12 dead': a number right before an adjective/participle cue."""
    if tok.i == 0 or tok.pos_ not in ("ADJ", "VERB"):
        return []
    prev = tok.doc[tok.i - 1]
    if prev.like_num and prev.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT"):
        return [tok.doc[prev.i:prev.i + 1]]
    return []


def _death_context(tok) -> bool:
    """'claimed the lives of 20', 'left 160 dead': weak cues need a death word nearby."""
    return any(t.lemma_.lower() in ("life", "dead", "death", "body") for t in tok.subtree)


DASH_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}([-/.]\d{2,4})?$")



def _is_year_or_date(span) -> bool:
    """A year, a tagged date/time/amount, or a number next to a month or weekday ("Tue 05 Jul
    2016", "August 3 2015") that the tagger left untagged in a dateline; a numeric date
    ("29-06-2016"). A number right after a year is not part of the date: a date ends with its
    year ("Published October 3 2016 21 fighters have been killed")."""
    if any(re.fullmatch(r"(19|20)\d\d", t.text) or DASH_DATE.search(t.text) for t in span):
        return True
    doc = span.doc
    if span.end < len(doc) - 1 and doc[span.end].text in ("-", "/", ".") and doc[span.end + 1].is_digit:
        return True  # "29-06-2016" split into tokens
    if span.start > 0 and re.fullmatch(r"(19|20)\d\d", doc[span.start - 1].text):
        return False
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and span.root.head.i == after.i and after.tag_ == "NNS" and not is_calendar_word(after.text) \
            and after.lemma_.lower() not in TIME_NOUNS:
        return False  # "On Thursday 23 civilians ... were killed": the number counts the noun after it
    near = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    if any(is_calendar_word(t.text) for t in near) and all(t.like_num for t in span):
        return True
    tagged = [t for t in span if t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL")]
    if tagged and not any(t.is_digit for t in span) and span.root.head.lemma_.lower() not in TIME_NOUNS:
        return False  # "Published March 3 2015 Twenty-four villagers": the tagger ran the date on
    if tagged and all(t.ent_type_ in ("DATE", "TIME") and t.is_digit for t in span) and _hedge(doc, span.start) \
            and span.root.head.lemma_.lower() not in TIME_NOUNS and not any(t.ent_type_ for t in near):
        return False  # a hedged figure the tagger took for a year or a time ("over 1127 civilians")
    return bool(tagged)


TIME_NOUNS = {"year", "month", "week", "day", "hour", "minute", "decade", "time", "%", "percent", "dollar"}
