"""Highlights on the article text: every cited span (entity mentions, quotes, event triggers,
technique spans) as non-overlapping segments, each with the kinds of span that cover it.

The page renders each segment's text escaped (autoescaping templates): article text is
untrusted input and never becomes markup.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Mark:
    start: int
    end: int
    kind: str      # entity | quote | event | technique
    label: str     # what the reader sees on hover
    ref: str       # anchor id: "e3", "q1", "v2", "t4"


@dataclass(slots=True)
class Segment:
    text: str
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # marks that start here (link targets)


def marks(doc: dict) -> list[Mark]:
    """Every span a record dict cites, labelled for a reader."""
    names = {e["id"]: e["name"] for e in doc.get("entities", [])}
    out = [Mark(s, e, "entity", f"{ent['name']} ({ent['type']})", ent["id"])
           for ent in doc.get("entities", []) for s, e in ent.get("mentions", [])]
    for q in doc.get("quotes", []):
        who = names.get(q.get("speaker")) or q.get("speaker_name") or "unknown speaker"
        out.append(Mark(q["span"][0], q["span"][1], "quote", f"{q['type']} quote: {who}", q["id"]))
    for ev in doc.get("events", []):
        flags = " (negated)" if ev.get("negated") else " (hypothetical)" if ev.get("hypothetical") else ""
        out.append(Mark(ev["trigger"][0], ev["trigger"][1], "event", f"event {ev['type']}{flags}", ev["id"]))
    for i, t in enumerate(doc.get("techniques", [])):
        out.append(Mark(t["span"][0], t["span"][1], "technique",
                        f"technique {t['technique']} ({t['score']:.2f})", f"t{i + 1}"))
    n = len(doc.get("text", ""))
    return [m for m in out if 0 <= m.start < m.end <= n]


def segments(doc: dict) -> list[Segment]:
    """The text cut at every mark boundary; each piece knows which marks cover it."""
    text, ms = doc.get("text", ""), marks(doc)
    cuts = sorted({0, len(text)} | {m.start for m in ms} | {m.end for m in ms})
    starts: dict[int, list[Mark]] = {}
    for m in ms:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    out, anchored = [], set()
    for a, b in zip(cuts, cuts[1:]):
        active = [m for m in active if m.end > a] + starts.get(a, [])
        seg = Segment(text[a:b])
        for m in active:
            if m.kind not in seg.kinds:
                seg.kinds.append(m.kind)
            seg.labels.append(m.label)
            seg.refs.append(m.ref)
        seg.anchors = [m.ref for m in starts.get(a, []) if m.ref not in anchored]
        anchored.update(seg.anchors)
        out.append(seg)
    return out
