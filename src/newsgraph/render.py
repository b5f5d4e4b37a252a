"""Plain-text tables of a record, for people reading a terminal (``--format table``)."""
from __future__ import annotations

import shutil
import textwrap

from .events.dates import display
from .record import Analysis


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> str:
    def line(cells):
        return "  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule] + [line(r) for r in rows])


def _unresolved(text: str, span) -> str:
    """A speaker the quote names but no entity holds ("the regional health office"): its words, in
    parentheses; "(unknown)" when the quote names none."""
    return f"({' '.join(text[span[0]:span[1]].split())})" if span else "(unknown)"


def _place(loc) -> str:
    """A place as the table shows it: ``~`` marks one inferred from the story (``basis``
    carried/story) rather than named with the event."""
    if loc is None:
        return ""
    return ("~" if loc.basis in ("carried", "story") else "") + loc.name


def render_table(rec: Analysis, width: int | None = None) -> str:
    width = width or max(80, min(160, shutil.get_terminal_size((120, 20)).columns))
    names = {e.id: e.name for e in rec.entities}
    parts = [f"{rec.title or rec.id}" + (f"  ({rec.source})" if rec.source else "")
             + (f"  {rec.published}" if rec.published else "")]
    wide = width - 44
    if rec.quotes:
        rows = [[names.get(q.speaker, q.speaker_name or _unresolved(rec.text, q.speaker_span)), q.type,
                 rec.text[q.cue[0]:q.cue[1]] if q.cue else "", rec.text[q.span[0]:q.span[1]]]
                for q in rec.quotes]
        parts.append(f"\nWHO SAID WHAT ({len(rec.quotes)} quotes)\n"
                     + _table(["speaker", "type", "cue", "quote"], rows, [22, 8, 12, wide]))
    if rec.events:
        rows = [[ev.id + " " + ("*" if ev.main else "") + ev.type + (" (not)" if ev.negated else "")
                 + (" (if)" if ev.hypothetical else "") + (" (bg)" if ev.background else "")
                 + (f" (={ev.same_as})" if ev.same_as else ""),
                 names.get(ev.source, ""), names.get(ev.target, ""), display(ev.date, ev.date_precision),
                 _place(ev.location),
                 "/".join("" if v is None else str(v) for v in (ev.killed, ev.wounded)).strip("/"),
                 rec.text[ev.trigger[0]:ev.trigger[1]]] for ev in rec.events]
        parts.append(f"\nWHO DID WHAT TO WHOM ({len(rec.events)} events; * = the story's main event, "
                     "(bg) = an earlier event recalled, (=vN) = another report of event vN, ~place = inferred from the story, "
                     "not stated)\n"
                     + _table(["event", "source", "target", "date", "place", "killed/wnd", "trigger"],
                              rows, [20, 18, 18, 11, 12, 10, max(12, width - 99)]))
    if rec.techniques:
        rows = [[t.technique, f"{t.score:.2f}", names.get(t.speaker, "(article)"),
                 rec.text[t.span[0]:t.span[1]]] for t in rec.techniques]
        parts.append(f"\nHOW IT IS SAID ({len(rec.techniques)} technique spans)\n"
                     + _table(["technique", "score", "voice", "span"], rows, [26, 5, 18, wide - 7]))
    if rec.entities:
        rows = [[e.name, e.type, e.code or "", str(len(e.mentions)), e.description or "",
                 ", ".join(a for a in e.aliases if a != e.name)] for e in rec.entities]
        parts.append(f"\nENTITIES ({len(rec.entities)})\n"
                     + _table(["entity", "type", "code", "n", "description", "aliases"], rows,
                              [24, 11, 7, 3, 24, max(10, width - 79)]))
    for w in rec.warnings:
        parts.append(textwrap.fill(f"warning: {w}", width))
    return "\n".join(parts)
