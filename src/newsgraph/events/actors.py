"""Actor coding: CAMEO/PLOVER actor codes (ISO-3 country + sector, e.g. ``USAGOV``, ``SYRREB``).

Follows the PETRARCH/TABARI approach (Schrodt 2012, "CAMEO Conflict and Mediation Event
Observations Actor Codebook"): a whole-name lookup in the Phoenix actor dictionaries first
("Jabhat al-Nusra" -> SYRREB...), otherwise a country read from a name, adjective or city in the
noun phrase ("Iraqi", "Cairo's") joined to a sector read from an agent noun ("president" -> GOV,
"rebels" -> REB) from the Phoenix agents dictionary.
"""
from __future__ import annotations

import functools
import re

from ..record import Entity
from .lexicon import actors as actor_dict

LED_WORDS = {"led", "backed", "run", "held", "controlled", "supported", "based", "allied", "affiliated"}
LED = re.compile(r"[-‐](led|backed|run|held|controlled|supported|based|allied|affiliated)$", re.I)
SKIP_DEPS = {"det", "punct", "case", "predet", "cc", "prep", "relcl", "acl", "appos", "conj", "advmod"}
# Phoenix keeps a few pre-ISO country codes (Angola "ANG"); the data and PLOVER use ISO-3166 alpha-3.
ISO_FIX = {"ANG": "AGO"}
# Country abbreviations news uses that the Phoenix country list lacks (CIA World Factbook short forms).
ABBREVIATIONS = {"prc": "CHN", "roc": "TWN", "drc": "COD", "ksa": "SAU", "frg": "DEU", "gdr": "DDR"}


# Phoenix region codes (CAMEO actor codebook 2012, "regions"): not countries.
REGIONS = {"MEA", "SAS", "LAM", "EAF", "SEA", "AFR", "EUR", "ASA", "NMR", "CAS", "SAF", "WAF", "SAM", "NAF",
           "WST", "CRB", "BLK", "MDT", "CAU", "EEU", "WEU", "SCN", "NAM", "CEU", "BAL", "PGS", "OCE"}


def iso_code(code: str | None) -> str | None:
    """``code`` with its country part mapped to ISO-3 where Phoenix differs ("ANGREB" -> "AGOREB")."""
    if code and code[:3] in ISO_FIX:
        return ISO_FIX[code[:3]] + code[3:]
    return code


@functools.lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Lookup key: lower case, hyphens and underscores as spaces, no dots or apostrophes.
    Cached: the coder normalises the same words (token texts, lemmas) over and over."""
    text = LED.sub("", text.strip())
    text = text.replace("_", " ").replace("-", " ").replace("’s", "").replace("'s", "").lower()
    text = re.sub(r"[.'’,()“”\"]", "", text)
    text = re.sub(r"^(the|a|an)\s+", "", " ".join(text.split()))
    return text


def lookup_name(text: str) -> str | None:
    """Whole-name actor code from the Phoenix dictionaries, or None. A regional code ("MEAREB"
    for "Palestinian Islamic Jihad") yields to the country the name itself spells."""
    table = actor_dict()["actors"]
    key = norm(text)
    code = iso_code(table.get(key) or table.get("the " + key) or ABBREVIATIONS.get(key))
    if code and code[:3] in REGIONS and " " in key:
        own = _name_country(text)
        if own and own not in REGIONS:
            code = own + code[3:]
    return code


def _country(code: str | None) -> str | None:
    return code[:3] if code and len(code) >= 3 else None


def code_tokens(tokens) -> str | None:
    """Code a noun phrase given as spaCy tokens: a whole-name hit, else country + agent sector."""
    words = [t for t in tokens if t.dep_ not in ("det", "punct", "case", "predet") and not t.is_punct]
    if not words:
        return None
    whole = lookup_name(" ".join(t.text for t in words))
    if whole and len(whole) > 3:
        return whole
    country = whole or _country_in(words)
    sector = _sector_in(words)
    if country and sector:
        return country + sector
    return country or (sector if sector in ("IGO", "NGO") else None)


def _ngrams(words, texts):
    n = len(words)
    for size in range(min(n, 5), 0, -1):
        for i in range(n - size + 1):
            yield " ".join(texts[i:i + size])


def _country_in(words) -> str | None:
    table = actor_dict()["actors"]
    texts = [norm(t.text) for t in words]
    region = None
    for gram in _ngrams(words, texts):
        code = iso_code(table.get(gram) or ABBREVIATIONS.get(gram)
                        or (table.get(gram[:-1]) if gram[-1:] in ("s", "n") and " " not in gram else None))
        if code and len(code) >= 3 and code[:3].isalpha():  # "Liberians" -> "liberian" -> LBR
            if code[:3] not in REGIONS:
                return code[:3]
            region = region or code[:3]  # a region only when no country is named
    return region


def _sector_in(words) -> str | None:
    agents = actor_dict()["agents"]
    lemmas = [norm(t.lemma_) for t in words]
    for gram in _ngrams(words, lemmas):
        if gram in agents:
            return agents[gram]
    texts = [norm(t.text) for t in words]
    for gram in _ngrams(words, texts):
        if gram in agents:
            return agents[gram]
    return None


def phrase_tokens(token) -> list:
    """The pre-modifiers of a noun and the noun: "Iraqi President Saddam Hussein", "U.S.-led"."""
    left = [t for t in token.lefts if t.dep_ not in SKIP_DEPS]
    out = []
    for t in left:
        if t.dep_ in ("poss", "compound", "nmod"):
            out.extend(phrase_tokens(t))
        elif t.dep_ == "amod" and t.lower_ in LED_WORDS:  # "Vietnamese-led" split into three tokens
            out.extend(x for x in t.subtree if not x.is_punct)
        else:
            out.append(t)
    return sorted(set(out + [token]), key=lambda t: t.i)


def _mention_context(doc, start: int, end: int) -> list:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    head = span.root
    linked = [head.head] if head.dep_ == "appos" else []  # "the main Hutu rebel group, FDD,"
    linked += [c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"]  # "FDD, a rebel group,"
    return sorted({*phrase_tokens(head), *span, *(t for h in linked for t in phrase_tokens(h))}, key=lambda t: t.i)


def code_entity(doc, entity: Entity) -> str | None:
    """Best code for an entity: a specific dictionary code, else the best mention-context code."""
    whole = lookup_name(entity.name)
    if whole and len(whole) > 3 and not whole.endswith("ELI"):
        return whole
    contexts = [code_tokens(_mention_context(doc, s, e)) for s, e in entity.mentions[:6]]
    if entity.description:
        contexts.append(_code_text(doc, entity.description))
    own = whole[:3] if whole else _name_country(entity.name)
    if own:  # "PRC" in "US-PRC relations": a context country never overrides the name's own
        contexts = [own + c[3:] if c and c[:3] != own and c[:3] not in ("IGO", "NGO") else c for c in contexts]
    full = [c for c in contexts if c and len(c) >= 6]
    if full:
        return max(set(full), key=full.count)
    if whole:
        return whole[:3] if whole.endswith("ELI") else whole
    bare = [c for c in contexts if c]
    return max(set(bare), key=bare.count) if bare else None


def _name_country(name: str) -> str | None:
    """Country an entity's own name spells ("Iraqi Kurdistan" -> IRQ), by word n-gram lookup."""
    table = actor_dict()["actors"]
    words = [norm(w) for w in name.split()]
    for size in range(min(len(words), 4), 0, -1):
        for i in range(len(words) - size + 1):
            gram = " ".join(words[i:i + size])
            code = iso_code(table.get(gram) or ABBREVIATIONS.get(gram))
            if code and len(code) == 3 and code.isalpha() and code not in ("IGO", "NGO", "MNC", "IMG"):
                return code
    return None


def _code_text(doc, text: str) -> str | None:
    """Code a free description ("British photojournalist") by word lookups (no parse)."""
    table, agents = actor_dict()["actors"], actor_dict()["agents"]
    words = [norm(w) for w in text.split()]
    country = next((table[w][:3] for w in words if w in table and table[w][:3].isalpha()), None)
    sector = next((agents[w.rstrip("s")] for w in words if w.rstrip("s") in agents), None)
    return (country + sector) if country and sector else country


def code_entities(doc, entities: list[Entity]) -> list[Entity]:
    """Set ``Entity.code`` on each entity that lacks one (in place); return the list.

    A person or group whose context gives only a sector ("President Omar El Bashir") takes
    the document's most-mentioned country, PETRARCH's "default country" convention."""
    for entity in entities:
        if entity.code is None:
            entity.code = code_entity(doc, entity)
    default = main_country(entities)
    if default:
        for entity in entities:
            if entity.code is None and entity.type in ("PERSON", "ORG"):
                sector = _context_sector(doc, entity)
                if sector:
                    entity.code = default + sector
    return entities


def main_country(entities: list[Entity]) -> str | None:
    counts: dict[str, int] = {}
    for e in entities:
        if e.code and e.code[:3].isalpha() and e.code[:3] not in ("IGO", "NGO", "IMG", "MNC"):
            counts[e.code[:3]] = counts.get(e.code[:3], 0) + len(e.mentions)
    return max(counts, key=counts.get) if counts else None


def _context_sector(doc, entity: Entity) -> str | None:
    for s, e in entity.mentions[:6]:
        sector = _sector_in(_mention_context(doc, s, e))
        if sector:
            return sector
    return None
