"""``newsgraph train events``: compile the Phoenix/PETRARCH dictionaries into the package.

The events extractor has no statistical model: it reads trigger words and actor names from
dictionaries. This trainer rebuilds the two compiled ones in ``newsgraph/lexicons/events/``
from the MIT-licensed Phoenix dictionaries shipped in ``shared/data/events/dictionaries``
(Open Event Data Alliance, openeventdata/petrarch2):

* ``actors.json``  -- normalised actor name -> CAMEO actor code (countries and their cities,
  international organisations, non-state armed groups, office holders active since 1990)
  and agent noun -> sector ("police" -> "COP"), from the ``*.actors.txt`` and agents files
  in TABARI format.
* ``verbs.json``   -- verb lemma -> CAMEO code, and (verb, object word) -> CAMEO code, from
  ``CAMEO.2.0.txt`` (PETRARCH2 verb patterns; only patterns "- * WORD [code]" are kept).

The hand-written cue lexicon ``triggers.json`` and the CAMEO->PLOVER table are data files
edited by hand and are not rebuilt here.
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "events"
CODE_RE = re.compile(r"\[([~A-Z0-9]+)(?:\s+([<>]?[0-9-]+))?\]")


def norm_name(raw: str) -> str:
    """TABARI phrase ("SYRIA'S_GOVERNMENT_") -> lookup key ("syrias government")."""
    text = raw.strip().strip("+").replace("_", " ").replace("-", " ").lower()
    text = re.sub(r"[.'’,()]", "", text)
    return " ".join(text.split())


def _strip_comment(line: str) -> str:
    return line.split("#", 1)[0].rstrip()


def _pick_code(codes: list[tuple[str, str | None]]) -> str | None:
    """Choose one code of an actor's dated codes: open-ended first, then undated, then recent."""
    if not codes:
        return None
    current = [c for c, d in codes if d and d.startswith(">")]
    undated = [c for c, d in codes if d is None]
    recent = [c for c, d in codes if d and _ends_after_1990(d)]
    return (current or undated or recent or [codes[-1][0]])[-1]


def _ends_after_1990(dates: str) -> bool:
    end = dates.split("-")[-1].lstrip("<>")
    if len(end) == 6:  # YYMMDD with two-digit year
        year = int(end[:2])
        year += 2000 if year < 40 else 1900
    else:
        year = int(end[:4]) if end[:4].isdigit() else 0
    return year >= 1990


def parse_actor_file(path: Path) -> dict[str, str]:
    """TABARI .actors file -> {normalised name: code}. Blocks are a head line, '+' synonyms and
    tab-indented '[CODE dates]' lines; a head line may carry its code inline."""
    out: dict[str, str] = {}
    names: list[str] = []
    codes: list[tuple[str, str | None]] = []

    def flush():
        code = _pick_code(codes)
        if code and not code.startswith("~"):
            for n in names:
                if n and len(n) > 1:
                    out.setdefault(n, code)

    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = _strip_comment(raw)
        if not line.strip():
            continue
        if line[0] in " \t" and "[" in line:
            codes.extend((m.group(1), m.group(2)) for m in CODE_RE.finditer(line))
            continue
        inline = CODE_RE.search(line)
        name = norm_name(CODE_RE.sub("", line))
        if line.startswith("+"):
            names.append(name)
        else:
            flush()
            names, codes = [name], []
        if inline:
            codes.append((inline.group(1), inline.group(2)))
    flush()
    return out


def parse_agents(path: Path) -> dict[str, str]:
    """Phoenix agents file -> {agent noun phrase: sector code} ("police" -> "COP")."""
    subs: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = _strip_comment(raw)
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", line)
        if m:
            subs[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^([^\[\s{]+)\s*(?:\{[^}]*\})?\s*\[~([A-Z]+)\]", line)
        if not m:
            continue
        phrase, sector = m.group(1), m.group(2)[:3]
        variants = [phrase]
        for key, words in subs.items():
            if key in phrase:
                variants = [v.replace(key, "_" + w) for v in variants for w in words]
        for v in variants:
            out.setdefault(norm_name(v), sector)
    return out


def parse_verbs(path: Path) -> dict:
    """CAMEO.2.0 verb dictionary -> {"verbs": {lemma: code}, "objects": {lemma: {word: code}}}."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, l in enumerate(lines) if "VERB PATTERNS" in l)
    sets = _synonym_sets(lines[:start])
    verbs: dict[str, str] = {}
    objects: dict[str, dict[str, str]] = {}
    block_code, block_verbs = None, []
    for raw in lines[start + 1:]:
        line = _strip_comment(raw)
        head = re.match(r"^---\s+(\S+)\s+\[([0-9-]+)\]", line)
        if head:
            block_code = None if head.group(2).startswith("-") else head.group(2)
            block_verbs = []
            continue
        if not line.strip():
            continue
        if line.startswith("-"):
            _add_pattern(line, block_verbs, sets, objects)
            continue
        m = re.match(r"^\+?([A-Z][A-Z_'-]*)\s*(?:\{[^}]*\})?\s*(?:\[([0-9:]+)\])?", line.strip())
        if m and "_" not in m.group(1):
            lemma = m.group(1).lower()
            code = (m.group(2) or block_code or "").split(":")[0] or None
            block_verbs.append(lemma)
            if code:
                verbs.setdefault(lemma, code)
    return {"verbs": verbs, "objects": _prune(verbs, objects)}


def _synonym_sets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    current = None
    for raw in lines:
        line = _strip_comment(raw).strip()
        if line.startswith("&"):
            current = line.rstrip("_")
            sets[current] = []
        elif line.startswith("+") and current:
            sets[current].append(line[1:].strip().rstrip("_").lower())
        elif not line:
            current = None
    return sets


def _add_pattern(line: str, verbs: list[str], sets: dict, objects: dict) -> None:
    m = re.match(r"^-\s+\*\s+(\{[^}]+\}|&?[A-Z][A-Z'-]*)\s*\[([0-9:]+)\]", line)
    if not m:
        return
    word, code = m.group(1), m.group(2).split(":")[0]
    if word.startswith("{"):
        words = [word.strip("{}").split()[-1].lower()]
    elif word.startswith("&"):
        words = [w for w in sets.get(word.rstrip("_"), []) if " " not in w and "_" not in w][:8]
    else:
        words = [word.lower()]
    for verb in verbs:
        for w in words:
            objects.setdefault(verb, {}).setdefault(w, code)


def _prune(verbs: dict[str, str], objects: dict) -> dict:
    """Keep only object patterns that change the verb's code (the rest add nothing)."""
    out = {}
    for verb, objs in objects.items():
        kept = {w: c for w, c in objs.items() if c != verbs.get(verb) and w.isalpha()}
        if kept:
            out[verb] = kept
    return out


def compile_dictionaries(data: Path, out: Path) -> dict[str, int]:
    """Write actors.json and verbs.json under ``out``; return entry counts."""
    phoenix = data / "dictionaries" / "phoenix"
    actors: dict[str, str] = {}
    for name in ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt",
                 "Phoenix.Countries.actors.txt"):
        for key, code in parse_actor_file(phoenix / name).items():
            actors.setdefault(key, code)
    agents = parse_agents(phoenix / "Phoenix.agents.txt")
    verbs = parse_verbs(phoenix / "CAMEO.2.0.txt")
    out.mkdir(parents=True, exist_ok=True)
    _dump(out / "actors.json", {"actors": actors, "agents": agents})
    _dump(out / "verbs.json", verbs)
    return {"actors": len(actors), "agents": len(agents), "verbs": len(verbs["verbs"]),
            "verb_objects": sum(len(v) for v in verbs["objects"].values())}


def _dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n",
                    encoding="utf-8")


def train(args) -> int:
    """Entry point of ``newsgraph train events``: rebuild the compiled dictionaries."""
    data = Path(args.data) if getattr(args, "data", None) else DEFAULT_DATA
    out = Path(args.out) if getattr(args, "out", None) else Path(__file__).resolve().parents[1] / "lexicons" / "events"
    if not (data / "dictionaries" / "phoenix").is_dir():
        log.error("no Phoenix dictionaries under %s; pass --data PATH/TO/shared/data/events", data)
        return 2
    counts = compile_dictionaries(data, out)
    log.info("wrote %s: %s", out, counts)
    return 0
