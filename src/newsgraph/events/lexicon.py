"""Package data of the events extractor, loaded once per process (``functools.lru_cache``).

* ``triggers.json``   own cue lexicon: lemma -> (PLOVER type, mode, CAMEO), phrases, cue lists.
* ``verbs.json``      PETRARCH2 CAMEO verb dictionary, compiled by ``newsgraph train events``.
* ``actors.json``     Phoenix actor names and agent nouns, compiled by the same trainer.
* ``cameo2plover.txt`` the CAMEO -> PLOVER table of the PLOVER manual (draft 0.8, 2021).
"""
from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import NamedTuple

from ..errors import ModelError

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


class Cue(NamedTuple):
    type: str
    mode: str | None
    cameo: str | None


def _read(name: str) -> str:
    try:
        return resources.files("newsgraph.lexicons").joinpath("events").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ModelError(f"events lexicon '{name}' is missing from the package; rebuild it with "
                         "`newsgraph train events` (needs shared/data/events) or reinstall newsgraph") from exc


@functools.lru_cache(maxsize=1)
def triggers() -> dict:
    data = json.loads(_read("triggers.json"))
    for key in ("verbs", "nouns", "phrases"):
        data[key] = {k: Cue(*v) for k, v in data[key].items()}
    for key in ("statement_verbs", "negators", "negating_verbs", "modal_hypothetical", "conditional_marks"):
        data[key] = frozenset(data[key])
    return data


@functools.lru_cache(maxsize=1)
def verbs() -> dict:
    return json.loads(_read("verbs.json"))


@functools.lru_cache(maxsize=1)
def actors() -> dict:
    data = json.loads(_read("actors.json"))
    agents = dict(data["agents"])
    agents.update(triggers()["agents_extra"])
    names = dict(data["actors"])
    names.update(triggers().get("actors_extra", {}))  # names the Phoenix lists lack ("European Community")
    return {"actors": names, "agents": agents}


@functools.lru_cache(maxsize=1)
def cameo_table() -> dict[str, tuple[str, str | None]]:
    """CAMEO code -> (PLOVER type, mode) from the PLOVER manual's conversion table."""
    table: dict[str, tuple[str, str | None]] = {}
    for line in _read("cameo2plover.txt").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,#]*))?", line)
        if m:
            mode = (m.group(3) or "").strip() or None
            table.setdefault(m.group(1), (m.group(2), mode))
    return table


def plover_of_cameo(code: str | None) -> Cue | None:
    """PLOVER type and mode of a CAMEO code; None for statements/appeals (01, 02) and unknowns."""
    if not code or code[:2] in ("01", "02"):
        return None
    table = cameo_table()
    for n in range(len(code), 1, -1):
        hit = table.get(code[:n])
        if hit:
            return Cue(hit[0], hit[1], code)
    return None


@functools.lru_cache(maxsize=256)
def cameo_of(plover_type: str, mode: str | None) -> str | None:
    """The most general CAMEO code whose PLOVER reading is (type, mode), else (type, any mode)."""
    rows = [(c, t, m) for c, (t, m) in cameo_table().items() if t == plover_type and len(c) >= 3]
    for want in (mode, None):
        hits = sorted((c for c, _, m in rows if m == want), key=lambda c: (len(c), c))
        if hits:
            return hits[0]
    return min((c for c, _, _ in rows), key=lambda c: (len(c), c), default=None)
