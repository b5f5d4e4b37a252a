"""Who did what to whom: PLOVER events read from the shared dependency parse.

The coder follows PETRARCH2 (Norris, Schrodt & Beieler 2017) in spirit: a verb or event
noun is looked up in a dictionary (our own cue lexicon first, then PETRARCH2's CAMEO verb
dictionary, whose codes are mapped to PLOVER with the PLOVER manual's table); its source is
the grammatical subject (or the "by" agent of a passive, or the possessor/modifier of an
event noun: "U.S.-led airstrikes"), its target the object or a prepositional object. CAMEO
conventions decide what is an event: plain statements and appeals (CAMEO 01/02) are not;
the complement of a verbal event ("demanded that X cancel ...") is its content, not a second
event; intent to cooperate ("will give", "plans to release") is AGREE, intent to use force
("would tighten the blockade") is THREATEN, a refused cooperation ("will not accept") is
REJECT. Negation and modality (conditionals, modal verbs) are flagged.
"""
from __future__ import annotations

import functools
from dataclasses import replace

from ..record import Entity, Event
from . import actors as actor_mod
from .dates import date_near, find_dates
from .docs import doc_text, sent_text, tokens_where
from .lexicon import Cue, cameo_of, plover_of_cameo, triggers, verbs
from .places import best_place, document_focus, home_country
from .salience import mark_main
from .tolls import find_tolls

VERBAL = {"AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE", "SUPPORT", "CONCEDE", "CONSULT"}
COOP = {"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "AGREE"}
FORCE = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}
LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "begin", "start", "complete", "issue", "float", "pull",
               "mount", "make", "hold", "reach", "raise", "propose", "offer", "continue", "step", "unleash", "commit", "perpetrate", "order"}
TARGET_PREPS = ("against", "on", "at", "to", "with", "into", "upon", "toward", "towards", "from", "of", "for")
PROPOSAL_NOUNS = {"idea", "proposal", "offer", "plan", "prospect", "possibility", "suggestion"}
CONTENT_DEPS = {"agent", "xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "attr", "nmod", "compound", "pcomp", "advcl",
                "conj", "oprd", "relcl", "amod", "appos", "dative", "npadvmod", "nsubj", "nsubjpass", "poss"}
SUBJECT_PRONOUNS = {"it", "they", "he", "she", "we"}
INTENT_GOVERNORS = {"plan", "intend", "want", "decide", "ready", "prepare", "aim", "expect", "hope", "seek", "try"}


class _Actors:
    """Token -> entity id lookup over the entities' mentions; adds entities for coded phrases."""

    def __init__(self, doc, entities: list[Entity]):
        self.doc, self.entities = doc, entities
        self.by_token: dict[int, Entity] = {}
        for ent in entities:
            for s, e in ent.mentions:
                span = doc.char_span(s, e, alignment_mode="expand")
                for t in span or ():
                    self.by_token.setdefault(t.i, ent)
        self.default_country = actor_mod.main_country(entities)
        self.home: str | None = None  # the story's country by its place names (places.home_country)
        self.by_name: dict[str, Entity] | None = None
        self.text = doc_text(doc)  # Doc.text joins every token: read it once

    def resolve(self, token, default_country: bool | str = True) -> str | None:
        """Entity id for the actor headed by ``token`` (creating one for a coded phrase). A bare
        sector noun ("police") takes the document's main country, or ``default_country`` when
        that is a country code (a target takes its source's country)."""
        if token is None or token.pos_ in ("PRON", "DET") and token.i not in self.by_token:
            return self._pronoun(token) if token is not None else None
        phrase = actor_mod.phrase_tokens(token)
        if token.i in self.by_token:
            return self.by_token[token.i].id
        code = actor_mod.code_tokens(phrase)
        inner = next((self.by_token[t.i] for t in phrase if t.i in self.by_token), None)
        sector = actor_mod._sector_in(phrase)
        if inner is not None and inner.code and len(inner.code) >= 6:
            return inner.id  # "the radical Palestinian Islamic Jihad movement": the named, coded group
        if inner is not None and not (code and len(code) > 3 and code != inner.code) \
                and (inner.code or not sector or default_country is False):
            return inner.id  # "Iraq's" in "Iraq's government" adds nothing: the entity stands
        if code is None and sector:
            here = self._country_of_pp(token)  # "security forces in Guinea", "the army of Chad"
            if here:
                code = here + sector
            elif isinstance(default_country, str) and sector in DOMESTIC_SECTORS:
                code = default_country + sector
            elif default_country is True and self.default_country and sector != "CVL":
                code = self.default_country + sector
        if code or sector:
            return self._add(phrase, code)
        return None

    def _country_of_pp(self, token) -> str | None:
        for p in token.children:
            if p.dep_ == "prep" and p.lower_ in ("in", "of", "from"):
                for g in p.children:
                    ent = self.by_token.get(g.i) if g.dep_ == "pobj" else None
                    if ent is not None and ent.code and len(ent.code) == 3 and ent.code.isalpha() \
                            and ent.code not in ("IGO", "NGO", "MNC", "IMG"):
                        return ent.code
        return None

    def _pronoun(self, token):
        """"The rebels said they will release ...", "NATO confirmed it would ...": a subject
        pronoun of a reported clause is the reporter (the reported-speech reading of
        PETRARCH2's pronoun rule); other pronouns stay unresolved."""
        if token.lower_ not in SUBJECT_PRONOUNS or token.dep_ not in ("nsubj", "nsubjpass"):
            return None
        clause = token.head
        for _ in range(3):
            if clause.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or clause.head.i == clause.i:
                return None
            clause = clause.head
            subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return None if subj.pos_ == "PRON" else self.resolve(subj)
        return None

    def _add(self, phrase, code: str | None) -> str:
        led = next((t for t in phrase if actor_mod.LED.search(t.text)), None)
        if led is not None and actor_mod.lookup_name(led.text):
            phrase = [led]  # "U.S.-led airstrikes": the actor is the U.S.
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
        if led is not None and phrase == [led]:
            end -= len(actor_mod.LED.search(led.text).group(0))
        name = self.text[start:end]
        key = actor_mod.norm(name)
        if self.by_name is None:  # built on first use: most sentences add no actor
            self.by_name = {}
            for known in self.entities:
                self.by_name.setdefault(actor_mod.norm(known.name), known)
        ent = self.by_name.get(key)
        if ent is not None:
            if (start, end) not in ent.mentions:
                ent.mentions.append((start, end))
            return ent.id
        ent = Entity(id=f"e{_next_id(self.entities)}", name=name, type="GROUP", mentions=[(start, end)], code=code)
        self.entities.append(ent)
        self.by_name[key] = ent
        for t in phrase:
            self.by_token.setdefault(t.i, ent)
        return ent.id


def _next_id(entities: list[Entity]) -> int:
    nums = [int(e.id[1:]) for e in entities if e.id[:1] == "e" and e.id[1:].isdigit()]
    return max(nums, default=0) + 1


@functools.lru_cache(maxsize=1)
def _cue_words() -> frozenset:
    """Every lemma some lexicon keys on: own verbs and nouns, either word of a phrase, PETRARCH2's
    verbs and verb-object pairs."""
    lex = triggers()
    return frozenset({*lex["verbs"], *lex["nouns"], *(w for p in lex["phrases"] for w in p.split()),
                      *verbs()["verbs"], *verbs()["objects"], "strike"})


def cue_for(token) -> Cue | None:
    """The event reading of a token: phrase, own lexicon, then PETRARCH2 verbs; None if not an event."""
    lex = triggers()
    lemma = token.lemma_.lower()
    if lemma not in _cue_words():
        return None  # no lexicon reads this word, alone or in a phrase
    for phrase in _phrases(token, lemma):
        if phrase in lex["phrases"]:
            return lex["phrases"][phrase]
    if token.pos_ == "VERB":
        if lemma in OBJECT_BOUND and not _fitting_object(token, lemma):
            return None
        cue = None if lemma == "strike" and _hits(token) else lex["verbs"].get(lemma)
        obj = next((c.lemma_.lower() for c in token.children if c.dep_ == "dobj"), None)
        special = verbs()["objects"].get(lemma, {}).get(obj) if obj else None
        if special:
            alt = plover_of_cameo(special)
            if alt and (cue is None or alt.type == cue.type):
                return alt
        if cue:
            return cue
        code = verbs()["verbs"].get(lemma)
        if not code or lemma in lex["statement_verbs"] or lemma in lex["phoenix_stoplist"] or token.lower_ == "according":
            return None
        return plover_of_cameo(code)
    if token.pos_ in ("NOUN", "PROPN"):
        if lemma == "strike" and any(c.dep_ == "prep" and c.lower_ in ("on", "against") for c in token.children):
            return lex["phrases"]["air strike"]  # "strikes on hospitals": an attack, not a walk-out
        return lex["nouns"].get(lemma)
    return None


# Verbs that are events only with an object of their own kind: one signs an agreement, a treaty,
# a law (CAMEO 057), not an article or a letter; one dictates terms, not a tone. The value says
# whether the verb needs an object at all ("the two sides signed on Tuesday" is a signing).
OBJECT_BOUND = {"sign": False, "dictate": True}


def _fitting_object(token, lemma: str) -> bool:
    """Does the verb's object (or passive subject; a relative pronoun read as the noun it stands
    for) appear in the PETRARCH2 object table for this verb?"""
    thing = next((c for c in token.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if thing is None:
        return not OBJECT_BOUND[lemma]
    return _antecedent(thing).lemma_.lower() in verbs()["objects"].get(lemma, {})


def _hits(token) -> bool:
    """'Government jets struck the town', 'the convoy was struck': a struck object is a blow
    (PETRARCH2's STRIKE verb, CAMEO 19) or a deal ('struck a deal'), never a walk-out; a labour
    strike is intransitive ('workers struck over pay') or a noun ('went on strike')."""
    return any(c.dep_ in ("dobj", "nsubjpass", "auxpass", "agent") for c in token.children)


def _phrases(token, lemma):
    for child in token.children:
        if child.dep_ in ("prt", "dobj", "compound", "amod"):
            yield f"{lemma} {child.lemma_.lower()}"
            yield f"{child.lemma_.lower()} {lemma}"
    if token.dep_ == "compound":
        yield f"{lemma} {token.head.lemma_.lower()}"


CUE_TAGS = frozenset({"VERB", "NOUN", "PROPN"})


def _candidates(sent) -> list[tuple]:
    out, cues = [], {}  # token index -> cue_for(token): a compound's head is asked once per child

    def cue_of(t):
        if t.i not in cues:
            cues[t.i] = cue_for(t)
        return cues[t.i]

    for tok in tokens_where(sent, "pos", CUE_TAGS):
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and cue_of(tok.head):
            continue
        if tok.ent_type_ in ("DATE", "TIME") and tok.pos_ == "PROPN":
            continue  # "in March 2021" is a month, not a protest march
        cue = cue_of(tok) or _obligation(tok)
        if cue is not None and cue.type in PLOVER_TYPES_SET:
            out.append((tok, cue))
    return out


def _obligation(tok) -> Cue | None:
    """"The Red Cross said US forces must ensure security": saying that another actor must or
    should act is a demand (CAMEO 10, PLOVER REQUEST), its target that actor."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in ("say", "insist", "state", "declare", "stress"):
        return None
    for c in tok.children:
        if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in ("must", "should") for a in c.children) \
                and any(g.dep_ == "nsubj" and g.pos_ != "PRON" for g in c.children):
            return Cue("REQUEST", None, "100")
    return None


PLOVER_TYPES_SET = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def _governor(tok, chosen: dict):
    """The nearest candidate above ``tok`` in the tree (through content dependencies)."""
    cur = tok
    speech = triggers()["statement_verbs"]
    while cur.head.i != cur.i and cur.dep_ in CONTENT_DEPS:
        if cur.dep_ == "conj" and cur.pos_ == "VERB" and cur.lemma_.lower() in speech:
            return None  # "rejected the plan, and said they also opposed ...": a second event
        if _who_clause(cur):
            return None  # "signed by X, an aid worker who was kidnapped by the group": the clause
            # describes a person; what happened to them is not the content of the verb above
        cur = cur.head
        if cur.i in chosen:
            return cur
    return None


def _is_appeal_content(tok) -> bool:
    """Inside the complement of a statement/appeal verb that is not itself an event?"""
    lex = triggers()
    cur = tok
    while cur.head.i != cur.i and cur.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "prep", "advcl", "conj"):
        cur = cur.head
        if cur.lemma_.lower() in ("urge", "call", "appeal", "ask", "invite", "encourage"):
            return True
        if cur.lemma_.lower() in lex["statement_verbs"]:
            return False
    return False


def _select(cands: list[tuple]) -> list[tuple]:
    """Drop the content of verbal events and same-type repeats down a dependency chain, and
    refusals to speak ("declined to comment": CAMEO codes no event). Returns (token, cue,
    absorbed same-type dependents) triples."""
    chosen = {tok.i: (tok, cue) for tok, cue in cands}
    keep, absorbed = [], {}
    speech = triggers()["statement_verbs"]
    for tok, cue in cands:
        if cue.type == "REJECT" and any(c.dep_ == "xcomp" and c.lemma_.lower() in speech | {"comment", "discuss"}
                                        for c in tok.children):
            continue
        gov = _governor(tok, chosen)
        if gov is not None:
            gcue = chosen[gov.i][1]
            if gcue.type == cue.type:
                absorbed.setdefault(gov.i, []).append(tok)  # its target may be the governor's
            if gcue.type in VERBAL or gcue.type == cue.type or tok.pos_ != "VERB":
                continue
        if _is_appeal_content(tok):
            continue
        keep.append((tok, cue))
    return [(tok, cue, absorbed.get(tok.i, ())) for tok, cue in keep]


def _subject(tok):
    cur = tok
    for _ in range(4):
        for c in cur.children:
            if c.dep_ in ("nsubj", "csubj"):
                return c
            if c.dep_ == "agent":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        if cur.dep_ in ("xcomp", "conj", "advcl", "acl", "pcomp", "acomp") and cur.head.i != cur.i:
            if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
                return None if cur.tag_ == "VBN" else cur.head
            cur = cur.head
        else:
            break
    return None


def _passive_target(tok):
    return next((c for c in tok.children if c.dep_ in ("nsubjpass",)), None)


def _objects(tok):
    """Target candidates in order: object, dative, clausal subject, prepositional objects."""
    out = [c for c in tok.children if c.dep_ in ("dobj", "dative", "iobj")]
    for c in tok.children:
        if c.dep_ == "ccomp":
            out += [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
        if c.dep_ == "xcomp" or c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            # "threatened to cut off ...", "opened fire to disperse demonstrators"
            out += [g for g in c.children if g.dep_ in ("dobj", "dative")]
            out += [g for p in c.children if p.dep_ == "prep" and p.lower_ in TARGET_PREPS
                    for g in p.children if g.dep_ == "pobj"]
    for c in tok.children:
        if c.dep_ == "prep" and (c.lower_ in TARGET_PREPS or c.lower_ == "in" and tok.lemma_.lower() in ("arrive", "visit")):
            out += [g for g in c.children if g.dep_ == "pobj"]
    extra = _nested(out)
    return out + extra + _nested(extra)  # "suspended part of an aid program for Bosnia"


def _nested(nouns) -> list:
    """Possessors and prepositional objects hanging on target candidates, one level down."""
    extra = []
    for o in nouns:
        extra += [g for g in o.children if g.dep_ == "poss"]
        for p in o.children:
            if p.dep_ == "prep" and p.lower_ in ("to", "for", "of", "from", "against", "on", "in", "by"):
                extra += [g for g in p.children if g.dep_ == "pobj"]
    return extra


def _noun_roles(tok):
    """Source and target candidates of an event noun."""
    src = [c for c in tok.children if c.dep_ in ("poss",)]
    src += [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("PROPN", "ADJ", "NOUN")]
    tgt = []
    preps = list(tok.children) + [c for j in tok.conjuncts for c in j.children if c.dep_ == "prep"]
    for p in preps:  # "artillery, mortar and rocket fire against X": the conjuncts' phrases too
        if p.dep_ == "prep" and p.lower_ == "by":
            src = [g for g in p.children if g.dep_ == "pobj"] + src
        elif p.dep_ == "prep" and p.lower_ == "in" and _is_named(p):
            for g in (g for g in p.children if g.dep_ == "pobj"):  # "criticism in Dabiq of ..."
                src += [g] if g.pos_ == "PROPN" else [c for c in g.children if c.dep_ == "poss"]
        elif p.dep_ == "prep" and p.lower_ in TARGET_PREPS:
            tgt += [g for g in p.children if g.dep_ == "pobj"]
        elif p.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in p.children):
            tgt += [g for g in p.children if g.dep_ in ("nsubj", "nsubjpass")]  # "demands that Burundi's government ..."
    anchor = _proposal_anchor(tok) or _measure_anchor(tok) or tok
    if anchor.dep_ in ("dobj", "attr", "nsubjpass") and anchor.head.lemma_.lower() in LIGHT_VERBS | {"be", "have"}:
        tok = anchor
        subj = _subject(tok.head)
        if subj is not None:
            src.append(subj)
        for p in tok.head.children:
            if p.dep_ == "prep" and p.lower_ in ("against", "on", "with", "of"):
                tgt += [g for g in p.children if g.dep_ == "pobj"]
    elif anchor.dep_ == "dobj" and anchor.head.pos_ == "VERB" and (subj := _subject(anchor.head)) is not None:
        # "it would tighten the naval blockade of Serbia": the verb's subject outranks a
        # modifier that only names a sector ("naval")
        named = [c for c in src if c.dep_ == "poss" or c.pos_ == "PROPN" or actor_mod.code_tokens([c])
                 and len(actor_mod.code_tokens([c])) >= 3 and actor_mod._country_in([c])]
        src = named + [subj] + [c for c in src if c not in named]
    return src, tgt + _nested(tgt)  # "in protest against violations by Algerian forces"


QUANTITY_NOUNS = {"thousand", "hundred", "dozen", "million", "score", "group", "member", "some", "many",
                  "most", "part", "number", "crowd", "band", "unit", "contingent"}


def _through_quantity(tok):
    """"Thousands of Brazilian teachers" -> "teachers"; "a group of gunmen" -> "gunmen"."""
    if tok.lemma_.lower() in QUANTITY_NOUNS or tok.pos_ == "NUM":
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                return next((g for g in p.children if g.dep_ == "pobj"), tok)
    return tok


def _entity(actors: _Actors, token):
    ent = actors.by_token.get(token.i)
    if ent is None and actor_mod.code_tokens(actor_mod.phrase_tokens(token)):
        return Entity(id="", name="", type="GROUP", code="?")
    return ent


def _uncoded(actors: _Actors, token) -> bool:
    """A name the entity layer knows but no dictionary codes ("National Union")."""
    ent = actors.by_token.get(token.i)
    return ent is not None and not ent.code


def _is_named(prep) -> bool:
    """A prepositional object that names an organisation or a publication, not a place."""
    names = [g for g in prep.children if g.dep_ == "pobj"]
    names += [c for g in names for c in g.children if c.dep_ == "poss"]
    return any(g.pos_ == "PROPN" and g.ent_type_ not in ("GPE", "LOC", "FAC") for g in names)


def _measure_anchor(tok):
    """"launched 10 days of war games", "a series of raids": the measure noun that carries the
    event noun as the light verb's object, if any."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN" \
            and tok.head.head.dep_ == "dobj" and not cue_for(tok.head.head):
        return tok.head.head
    return None


def _proposal_anchor(tok):
    """"floated the idea of a truce": the proposal noun that carries the event noun, if any."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of":
        return None
    holder = tok.head.head
    if holder.lemma_.lower() in PROPOSAL_NOUNS:
        return holder
    if holder.pos_ == "VERB":  # "floated the idea on Tuesday of a truce": 'of' hangs on the verb
        return next((c for c in holder.children if c.dep_ == "dobj" and c.lemma_.lower() in PROPOSAL_NOUNS), None)
    return None


RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which", "that"})
PERSON_RELATIVES = frozenset({"who", "whom", "whose"})


def _who_clause(verb) -> bool:
    """A relative clause about a person ("an aid worker who was kidnapped by the group")."""
    return verb.dep_ == "relcl" and verb.pos_ == "VERB" and any(c.lower_ in PERSON_RELATIVES for c in verb.children)


def _antecedent(tok):
    """A relative pronoun stands for the noun its clause describes, and an appositive noun for
    the name it describes ("Elena Varga, an aid worker who was kidnapped": Varga)."""
    if tok.lower_ not in RELATIVE_PRONOUNS or tok.head.dep_ != "relcl":
        return tok
    noun = tok.head.head
    return noun.head if noun.dep_ == "appos" and noun.head.pos_ in ("PROPN", "NOUN") else noun


def _first_actor(cands, actors: _Actors, avoid=None, source: bool | str = True) -> list[str]:
    """Entity ids of the first candidate that is an actor, with its conjuncts (compound actors).
    Only a source may take the document's main country for a bare sector noun ("police")."""
    cands = [_antecedent(c) for c in map(_through_quantity, cands)]
    cands += [a for c in cands for a in c.children if a.dep_ == "appos"]  # "Intriguingly, the Islamic State"
    cands += [a for c in cands if _uncoded(actors, c) for a in c.subtree if a.dep_ == "appos" and a not in cands]
    # a coded actor beats an uncoded noun ("a hospital for Kenya"; "National Union for ... (UNITA)")
    coded = [c for c in cands if (e := _entity(actors, c)) is not None and e.code]
    cands = coded + [c for c in cands if c not in coded]
    for c in cands:
        ident = actors.resolve(c, default_country=source)
        if ident and ident != avoid:
            ids = [ident]
            for conj in c.conjuncts:
                j = actors.resolve(conj, default_country=source)
                if j and j not in ids and j != avoid:
                    ids.append(j)
            for j in _conjoined_modifiers(c, actors, ident):
                if j not in ids and j != avoid:
                    ids.append(j)
            return ids
    return []


def _conjoined_modifiers(head, actors: _Actors, ident: str) -> list[str]:
    """"French and Egyptian warships", "Senior Hungarian and Romanian officials": each
    conjoined country adjective is an actor of its own, with the head noun's sector."""
    ent = next((e for e in actors.entities if e.id == ident), None)
    sector = ent.code[3:6] if ent is not None and ent.code and len(ent.code) >= 6 else ""
    out = []
    for mod in (t for t in head.children if t.dep_ in ("amod", "compound", "nmod")):
        for conj in mod.conjuncts:
            country = actor_mod._country_in([conj])
            if country and (ent is None or not ent.code or ent.code[:3] != country):
                out.append(actors._add([conj], country + sector))
    return out


def _roles(tok, actors: _Actors, cue: Cue | None = None, absorbed=()) -> tuple[list[str], list[str]]:
    if tok.pos_ == "VERB":
        passive = _passive_target(tok)
        stance = passive is not None and tok.lemma_.lower() in STATIVE_PASSIVES and not _agents(tok)
        if stance:  # "Israel is opposed to ...": a stance, its subject holds it
            src_c, passive = [passive], None
        else:
            src_c = [_subject(tok)] if passive is None else [c for c in _agents(tok)]
        tgt_c = ([passive] if passive is not None else []) + _objects(tok)
    else:
        src_c, tgt_c = _noun_roles(tok)
    if cue is not None and cue.type == "THREATEN":
        tgt_c += _condition_subjects(tok)
    for dep in absorbed:  # "began a hunger strike to protest Sweden's decision"
        tgt_c += _objects(dep) if dep.pos_ == "VERB" else _noun_roles(dep)[1]
    sources = _first_actor([c for c in src_c if c is not None], actors)
    home = _country_of(actors, sources[0]) if len(sources) == 1 else None
    # "Egyptian police dispersed demonstrators": a bare sector target is the source's compatriot
    # (PETRARCH's domestic default); otherwise it stays uncoded
    targets = _first_actor(tgt_c, actors, avoid=sources[0] if sources else None, source=home or False)
    if not targets:  # CAMEO codes the country an action lands in as its target ("lifted a curfew in X")
        targets = _first_actor(_where(tok), actors, avoid=sources[0] if sources else None, source=False)
    return sources, [t for t in targets if t not in sources]


STATIVE_PASSIVES = {"oppose"}
# Sectors of a society's own people: a target named only by one of these is the source's compatriot.
DOMESTIC_SECTORS = {"OPP", "CVL", "MOS", "MUS", "REL", "EDU", "LAB", "MED", "JRN", "BUS", "CRM", "ACT", "HRI"}


def _country_of(actors: _Actors, ident: str) -> str | None:
    ent = next((e for e in actors.entities if e.id == ident), None)
    code = ent.code if ent is not None else None
    return code[:3] if code and len(code) >= 3 and code[:3] not in ("IGO", "NGO", "IMG", "MNC") \
        and code[:3] not in actor_mod.REGIONS else None


def _condition_subjects(tok) -> list:
    """"threatened to stop the talks if the United States goes ahead": CAMEO codes the actor
    whose action the threat is conditioned on as its target."""
    heads = [tok] + [c for c in tok.children if c.dep_ == "xcomp"]
    return [g for h in heads for c in h.children if c.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
            for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]


def _where(tok) -> list:
    """Countries or cities named by an "in"/"into" phrase of the trigger's own clause."""
    clause = tok if tok.pos_ == "VERB" else (tok.head if tok.dep_ in ("dobj", "nsubjpass") else tok)
    heads = [clause] + [a for o in clause.children if o.dep_ == "dobj" for a in o.children if a.dep_ == "acl"]
    return [g for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ in ("in", "into")
            for g in p.children if g.dep_ == "pobj" and g.ent_type_ == "GPE"]


def _agents(tok):
    return [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]


def _aux_lemmas(tok) -> set[str]:
    cur, out = tok, set()
    for _ in range(3):
        out |= {c.lower_ for c in cur.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")}
        if cur.dep_ in ("xcomp", "conj") and cur.head.i != cur.i:
            out |= {c.lower_ for c in cur.head.children if c.dep_ in ("aux", "neg")}
            cur = cur.head
        else:
            break
    return out


def _flags(tok) -> tuple[bool, bool, bool]:
    """(negated, hypothetical, future-or-intent) for a trigger."""
    lex = triggers()
    clause = tok if tok.pos_ == "VERB" else _clause_verb(tok)
    aux = _aux_lemmas(clause) if clause is not None else set()
    negated = bool(aux & {"not", "n't", "never", "no"}) or any(
        c.dep_ == "det" and c.lower_ in ("no",) for c in tok.children)
    if clause is not None and clause.head.lemma_.lower() in lex["negating_verbs"] and clause.dep_ == "xcomp":
        negated = True
    future = bool(aux & {"will", "'ll", "shall"}) or _proposal_anchor(tok) is not None or (
        clause is not None and clause.dep_ == "xcomp" and clause.head.lemma_.lower() in INTENT_GOVERNORS)
    hypothetical = bool(aux & lex["modal_hypothetical"]) or _conditional(tok)
    if hypothetical and aux & lex["modal_hypothetical"] == {"would"} and _reported(clause) and not _conditional(tok):
        hypothetical, future = False, True  # "NATO confirmed it would tighten ...": future in the past
    return negated, hypothetical, future


def _reported(clause) -> bool:
    """A clause reported by a statement verb ("said it would ...")."""
    return clause is not None and clause.dep_ == "ccomp" and clause.head.lemma_.lower() in triggers()["statement_verbs"]


def _clause_verb(tok):
    cur = tok
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX"):
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _conditional(tok) -> bool:
    """Inside an if/unless/when clause, or the main clause of a future conditional."""
    lex = triggers()
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in lex["conditional_marks"]
                                       for c in cur.children):
            return True
        cur = cur.head
    root = cur
    has_cond = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
                   for c in root.children)
    return has_cond and bool({c.lower_ for c in root.children if c.dep_ == "aux"} & {"will", "would", "could", "might"})


def _retype(cue: Cue, negated: bool, future: bool, hypothetical: bool) -> tuple[Cue, bool]:
    """CAMEO's reading of intent and refusal: returns the cue and whether negation was absorbed."""
    if cue.type in COOP - {"AGREE"} and (future or hypothetical) and not negated:
        return Cue("AGREE", None, "03" + (cue.cameo or "0")[1:2] if cue.cameo else "030"), False
    if cue.type in COOP and negated and (future or hypothetical):
        return Cue("REJECT", None, "120"), True
    if cue.type in FORCE and future and not negated:
        return Cue("THREATEN", None, "130"), False
    return cue, False


def extract_events(doc, entities: list[Entity], published: str | None = None) -> list[Event]:
    """Events of a parsed document. May append entities for coded actor phrases that the entity
    extractor did not list ("government jets", "Sudanese rebels"), so ids stay valid."""
    actors = _Actors(doc, entities)
    events: list[Event] = []
    orphans: list[tuple] = []
    focus = None
    countries = tuple(sorted({e.code[:3] for e in entities if e.code}))
    actors.home = home_country(doc, countries)
    for sent in doc.sents:
        tolls = find_tolls(sent)
        found = _drop_outcomes(sent.doc, _sentence_events(sent, actors, published, tolls))
        _share_place(found)
        focus = _carry_place(sent, found, focus, countries, actors.home)
        if found:
            _attach_tolls(tolls, found)
            _share_date(found, sent.doc)
        elif tolls:
            orphans.append((sent, tolls, focus))
        events.extend(found)
    _attach_orphan_tolls(orphans, events)
    _focus_fallback(doc, events, (actors.home,) if actors.home else countries)
    _infer_sources(events, entities)
    for n, ev in enumerate(events, 1):
        ev.id = f"v{n}"
    mark_main(events, actors.text, published, lead_end=_lead_end(doc))
    return events


def _lead_end(doc) -> int:
    """End of the story's lead: its first two sentences (headline and lead sentence)."""
    end = 0
    for n, sent in enumerate(doc.sents):
        end = sent.end_char
        if n == 1:
            break
    return end


def _sentence_events(sent, actors: _Actors, published, tolls) -> list[Event]:
    out = []
    chosen = _select(_candidates(sent))
    if not chosen:
        return out
    dates = find_dates(sent_text(sent), published, offset=sent.start_char)
    countries = tuple(sorted({e.code[:3] for e in actors.entities if e.code}))
    for tok, cue, deps in chosen:
        negated, hypothetical, future = _flags(tok)
        cue, absorbed = _retype(cue, negated, future, hypothetical)
        sources, targets = _roles(tok, actors, cue, deps)
        when = date_near([d for d in dates if _date_reaches(tok, sent, d)], sent.start_char, sent.end_char,
                         (tok.idx, tok.idx + len(tok)))
        place = _place(tok, sent, cue, countries, actors.home)
        if not (sources or targets) and not (cue.type in ("ASSAULT", "COERCE") and (tolls or when or place)):
            continue  # no actor and nothing else attached: a mention of a kind of event, not an event
        for s in sources or [None]:
            for t in targets or [None]:
                out.append(Event(id="", type=cue.type, mode=cue.mode, source=s, target=t,
                                 trigger=(tok.idx, tok.idx + len(tok)), sentence=(sent.start_char, sent.end_char),
                                 date=when.date if when else None, date_precision=when.precision if when else None,
                                 location=place, cameo=cue.cameo or cameo_of(cue.type, cue.mode),
                                 negated=negated and not absorbed, hypothetical=hypothetical))
    return out


def _clause_verb(tok):
    """The verb whose clause holds ``tok`` (``tok`` itself when it is a verb; None when no verb
    governs it, as in a headline without one)."""
    node, hops = tok, 0
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i and hops < 12:
        node, hops = node.head, hops + 1
    return node if node.pos_ in ("VERB", "AUX") else None


def _date_reaches(tok, sent, expr) -> bool:
    """May the time expression date the event triggered by ``tok``? Not when it lies in a
    clause describing some other noun of the sentence, one the trigger is not part of: "a
    militia that has fought ... since 2019, used its magazine to hint at a truce" (2019 dates
    the fighting, not the truce), "signed by X, an aid worker who was kidnapped ... in March
    2021". Every other date of the sentence may ("On Monday, jets struck ...", "64 people died
    after warplanes attacked ... on December 11"), and so may one in a clause describing the
    trigger itself or the thing that is its subject ("The attack, which began on Monday,
    killed five")."""
    span = sent.doc.char_span(expr.start, expr.end, alignment_mode="expand")
    if span is None or not len(span):
        return True
    root = span.root
    mine = _clause_verb(tok) or tok
    node, hops = root, 0  # spaCy makes a new Token object on each access: compare indices
    while hops < 16 and not node.left_edge.i <= tok.i <= node.right_edge.i:
        if node.pos_ in ("VERB", "AUX") and (node.dep_ == "relcl" or node.dep_ == "acl" and node.tag_ == "VBN"):
            # (an "-ing" acl is often an adverbial misparsed onto the nearest noun: "clashes
            # continued across the province, resulting in 49 deaths on Saturday")
            subject = node.head  # the noun the clause describes
            return subject.i == tok.i or (subject.dep_ in ("nsubj", "nsubjpass") and subject.head.i == mine.i
                                          and subject.pos_ == "NOUN" and not subject.ent_type_)
        if node.head.i == node.i:
            break
        node, hops = node.head, hops + 1
    return True


def _place(tok, sent, cue: Cue, countries: tuple, home: str | None = None):
    """Where a material event happened; verbal events only take a place under a locative
    preposition of their own clause ("talks in Geneva"); violence in a story about one country
    takes a foreign place only from its own phrase."""
    place = best_place(tok, sent, countries, own_clause=cue.type in VERBAL,
                       home=home if cue.type in ("ASSAULT", "COERCE") else None)
    return _based(place, "stated")


def _based(place, basis: str):
    """A copy of a gazetteer place with where it came from (geocoded places are cached and shared)."""
    return None if place is None else replace(place, basis=basis)


def _share_place(events: list[Event]) -> None:
    """Violence with no place of its own takes the place stated for another act of violence in
    the same sentence: "... attacks pulled off last week in Yemen and Tunisia that left 160 dead
    -- bombings that ..." (the bombings are those attacks); a sentence is one scene far more often
    than two (the same-sentence rule of event geocoders, Lee et al. 2019, "Mordecai 2"). A country
    yields to a city inside it."""
    stated = [ev.location for ev in events if ev.type in ("ASSAULT", "COERCE") and ev.location is not None
              and ev.location.basis == "stated"]
    if not stated:
        return
    best = next((loc for loc in stated if loc.lat is not None), stated[0])
    for ev in events:
        if ev.type not in ("ASSAULT", "COERCE"):
            continue
        if ev.location is None or (ev.location.lat is None and best.lat is not None
                                   and ev.location.country == best.country):
            ev.location = _based(best, "sentence")


def _share_date(events: list[Event], doc) -> None:
    """Violence with no date of its own takes the date of another act of violence in its
    sentence ("26 civilians were also killed yesterday when the air force pounded ..., killing
    26"): one scene, one time, as with places (``_share_place``). Not across a relative clause:
    "Ever since the execution of hostages this summer, Cantlie, who was captured ... in 2012,
    ..." (the capture's year is not the execution's)."""
    dated = [ev for ev in events if ev.type in ("ASSAULT", "COERCE") and ev.date is not None]
    for ev in events:
        if ev.type in ("ASSAULT", "COERCE") and ev.date is None:
            scene = _relative_clause(doc, ev.trigger)
            donor = next((d for d in dated if _relative_clause(doc, d.trigger) == scene), None)
            if donor is not None:
                ev.date, ev.date_precision = donor.date, donor.date_precision


def _about_a_person(doc, trigger: tuple[int, int]) -> bool:
    """Is the trigger inside a who-clause ("Cantlie, who was captured in Syria in 2012")?"""
    k = _relative_clause(doc, trigger)
    return k is not None and _who_clause(doc[k])


def _relative_clause(doc, trigger: tuple[int, int]) -> int | None:
    """Index of the verb of the relative clause holding the trigger, if any (None: the main
    clauses of its sentence)."""
    span = doc.char_span(*trigger, alignment_mode="expand")
    tok = span.root if span is not None and len(span) else None
    hops = 0
    while tok is not None and hops < 16:
        if tok.dep_ == "relcl":
            return tok.i
        if tok.head.i == tok.i:
            return None
        tok, hops = tok.head, hops + 1
    return None


def _carry_place(sent, events: list[Event], focus, countries: tuple, home: str | None = None):
    """Violence reported without a place in its sentence happened at the story's current focus
    location: the last city named before it (the "focus location" of event geocoders such as
    Mordecai, Halterman 2017); a bare country yields to a focus city inside it. Returns the
    focus after this sentence."""
    here = best_place(sent.root, sent, countries)
    if here is not None and here.lat is not None and (home is None or here.country == home):
        focus = here
    for ev in events:
        if ev.type not in ("ASSAULT", "COERCE") or focus is None:
            continue
        if ev.location is not None and _about_a_person(sent.doc, ev.trigger):
            continue  # "Cantlie, who was captured in Syria in 2012, ...": a past scene keeps its own place
        if ev.location is None or (ev.location.lat is None and ev.location.country == focus.country):
            ev.location = _based(focus, "carried")  # none, or only the country the focus city lies in
    return focus


def _focus_fallback(doc, events: list[Event], countries: tuple) -> None:
    """Violence still without a city (none, or only its country) took place at the document's
    focus city (dateline, headline, most-named city): a reported attack's place is usually the
    story's place."""
    if not any(ev.type in ("ASSAULT", "COERCE") and (ev.location is None or ev.location.lat is None)
               for ev in events):
        return
    focus = document_focus(doc, countries)
    if focus is None:
        return
    for ev in events:
        if ev.type in ("ASSAULT", "COERCE") and (ev.location is None or (
                ev.location.lat is None and ev.location.country == focus.country)):
            if ev.location is not None and _about_a_person(doc, ev.trigger):
                continue  # a stated country in a who-clause stays (see ``_carry_place``)
            ev.location = _based(focus, "story")


OUTCOME_LEMMAS = {"kill", "wound", "injure", "die", "hurt"}


def _drop_outcomes(doc, events: list[Event]) -> list[Event]:
    """"The blast left 30 dead and 45 wounded": the wounding is the blast's outcome, not a
    second attack; casualty verbs yield to another ASSAULT trigger of the same sentence."""
    def outcome(ev):
        span = doc.char_span(*ev.trigger)
        return ev.type == "ASSAULT" and span is not None and span.root.lemma_.lower() in OUTCOME_LEMMAS
    if not any(ev.type == "ASSAULT" and not outcome(ev) for ev in events):
        return events
    return [ev for ev in events if not outcome(ev)]


def _attach_tolls(tolls, events: list[Event]) -> None:
    """Each toll goes to the event whose trigger is the toll's cue or nearest to it, preferring
    ASSAULT events; counts are not summed across events (the largest reading per event wins)."""
    by_cue: dict[tuple, object] = {}  # event trigger -> the killing verb whose toll it carries
    for toll in tolls:
        pick = min(events, key=lambda e: (e.type != "ASSAULT", abs(e.trigger[0] - toll.cue.idx)))
        if pick.type not in TOLL_TYPES and toll.cue.pos_ == "VERB" or _second_killing(toll, pick, by_cue):
            ev = _toll_event(toll.cue, pick.sentence, None)  # "..., a day after a raid killed 30"
            _set_toll(ev, toll)
            events.append(ev)
            continue
        for ev in events:
            if ev.trigger == pick.trigger:
                _set_toll(ev, toll)


TOLL_TYPES = {"ASSAULT", "COERCE"}  # "accused Damascus of an attack which killed 1,429": the attack's toll


def _second_killing(toll, pick: Event, by_cue: dict) -> bool:
    """A killed toll whose verb is not the event's trigger, when the event already carries the
    toll of another killing verb: two killings in one sentence are two events, not one count."""
    if toll.kind != "killed" or toll.cue.pos_ != "VERB":
        return False
    return by_cue.setdefault(pick.trigger, toll.cue) is not toll.cue


def _toll_event(cue, sentence: tuple, focus) -> Event:
    return Event(id="", type="ASSAULT", mode=None, trigger=(cue.idx, cue.idx + len(cue)), sentence=sentence,
                 cameo=cameo_of("ASSAULT", None), location=focus)


def _set_toll(ev: Event, toll) -> None:
    if toll.kind == "killed":
        if ev.killed is None or (toll.count or 0) > ev.killed:
            ev.killed, ev.killed_hedge = toll.count, toll.hedge
    elif ev.wounded is None or (toll.count or 0) > ev.wounded:
        ev.wounded, ev.wounded_hedge = toll.count, toll.hedge


def _attach_orphan_tolls(orphans: list[tuple], events: list[Event]) -> None:
    """A toll in a sentence with no event ("The death toll rose to 58") becomes an ASSAULT event
    anchored on its cue word, sourced from nothing the text does not say."""
    for sent, tolls, focus in orphans:
        basis = "stated" if focus is not None and focus.name in sent.text else "carried"
        ev = _toll_event(tolls[0].cue, (sent.start_char, sent.end_char), _based(focus, basis))
        for toll in tolls:
            _set_toll(ev, toll)
        events.append(ev)
    events.sort(key=lambda e: (e.sentence[0], e.trigger[0]))


ARMED = ("REB", "IMG", "UAF", "INS", "RAD")


def armed_protagonist(entities: list[Entity]) -> Entity | None:
    """The document's most-mentioned armed non-state actor (at least three mentions)."""
    armed = [e for e in entities if e.code and (e.code.startswith("IMG") or e.code[3:6] in ARMED)]
    best = max(armed, key=lambda e: len(e.mentions), default=None)
    return best if best is not None and len(best.mentions) >= 3 else None


def _infer_sources(events: list[Event], entities: list[Entity]) -> None:
    """Violence whose doer the sentence leaves unsaid ("the execution of Western hostages", "was
    captured in Syria") is credited to the story's armed protagonist, PETRARCH's discourse
    default; such events carry ``score`` 0.5 so readers can tell an inferred source."""
    actor = armed_protagonist(entities)
    if actor is None:
        return
    for ev in events:
        if ev.source is None and ev.type in ("ASSAULT", "COERCE") and ev.target != actor.id:
            ev.source, ev.score = actor.id, 0.5
