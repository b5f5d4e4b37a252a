"""Entity lexicons: package data in ``newsgraph/lexicons/entities/``, loaded once per process.

Every list was written for newsgraph: first names per gender (a few hundred each, common in
English-language news), titles with the gender they imply, known aliases of recurring actors,
and the common nouns that can refer back to a named entity ("the group", "the journalist").
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from ..errors import ModelError

PACKAGE = "newsgraph"
FOLDER = ("lexicons", "entities")


def _read(name: str) -> str:
    path = resources.files(PACKAGE).joinpath(*FOLDER, name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModelError(f"entity lexicon {name} is missing from the installed package ({exc}); "
                         "reinstall newsgraph (pip install -e .) so its package data is included") from exc


def _rows(name: str) -> list[list[str]]:
    lines = (line.strip() for line in _read(name).splitlines())
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """First name (lower case) -> "m" or "f"; names on both lists are left out (unknown)."""
    male = {r[0] for r in _rows("first_names_male.txt")}
    female = {r[0] for r in _rows("first_names_female.txt")}
    both = male & female
    return {**{n: "m" for n in male - both}, **{n: "f" for n in female - both}}


@functools.lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Title (lower case, no final dot) -> implied gender "m" / "f" / "-"."""
    return {r[0]: r[1] for r in _rows("titles.tsv")}


@functools.lru_cache(maxsize=1)
def aliases() -> dict[str, tuple[str, str]]:
    """Surface form (lower case, no leading "the") -> (canonical name, type)."""
    data = json.loads(_read("aliases.json"))
    out: dict[str, tuple[str, str]] = {}
    for canonical, entry in data.items():
        if canonical.startswith("_"):
            continue
        for form in entry["forms"]:
            out[form] = (canonical, entry["type"])
    return out


@dataclass(frozen=True, slots=True)
class Noun:
    """A common noun that can refer back to an entity ("the group" -> an ORG)."""
    lemma: str
    types: frozenset[str]
    plural: bool
    gender: str      # "m" / "f" / "-"
    need_role: bool  # only join an entity whose description or title uses this word


@functools.lru_cache(maxsize=1)
def nouns() -> dict[str, Noun]:
    return {r[0]: Noun(r[0], frozenset(r[1].split(",")), r[2] == "pl", r[3], r[4] == "need")
            for r in _rows("nouns.tsv")}


SPEECH_VERBS = frozenset("""
say tell add argue ask write note insist claim explain answer predict announce declare warn state
continue reply respond acknowledge suggest recall testify tweet post contend maintain emphasize
emphasise stress observe remark conclude admit concede complain deny assert agree
disagree urge report reveal disclose caution promise vow pledge charge accuse allege
criticize criticise ridicule mock joke quip boast lament recount
""".split())

ORG_WORDS = frozenset("""
foundation institute institution university college school party center centre inc co corp
corporation company group committee council association union league agency department ministry
office bureau commission court post times news journal herald tribune network times review
press magazine service services bank fund trust club church army force forces front movement
brigade brigades coalition alliance administration government board project campaign network
""".split())
