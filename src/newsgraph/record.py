"""The analysis record: the one object every path produces (``shared/spec/analysis.md``).

Small slotted dataclasses mirror the spec field by field; ``to_dict``/``from_dict``
are the only (de)serialisers. Fields beyond the spec are additions, never renames.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

Span = tuple[int, int]


def _span(value: Any) -> Span | None:
    if value is None:
        return None
    start, end = value
    return (int(start), int(end))


def _spans(values: Any) -> list[Span]:
    return [(int(s), int(e)) for s, e in values or []]


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    mentions: list[Span] = field(default_factory=list)
    description: str | None = None
    code: str | None = None
    aliases: list[str] = field(default_factory=list)  # added: surface forms other than `name`

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "type": self.type,
                "mentions": [list(m) for m in self.mentions], "description": self.description,
                "code": self.code, "aliases": list(self.aliases)}

    @classmethod
    def from_dict(cls, d: dict) -> "Entity":
        return cls(id=d["id"], name=d["name"], type=d["type"], mentions=_spans(d.get("mentions")),
                   description=d.get("description"), code=d.get("code"),
                   aliases=list(d.get("aliases") or []))


@dataclass(slots=True)
class Quote:
    id: str
    span: Span
    type: str  # "direct" | "indirect" | "mixed"
    speaker: str | None = None
    speaker_span: Span | None = None
    cue: Span | None = None
    speaker_name: str | None = None  # added: canonical name of the speaker entity, for readers
    score: float | None = None       # added: model confidence where a model decided

    def to_dict(self) -> dict:
        return {"id": self.id, "span": list(self.span), "type": self.type, "speaker": self.speaker,
                "speaker_span": list(self.speaker_span) if self.speaker_span else None,
                "cue": list(self.cue) if self.cue else None, "speaker_name": self.speaker_name,
                "score": self.score}

    @classmethod
    def from_dict(cls, d: dict) -> "Quote":
        return cls(id=d["id"], span=_span(d["span"]), type=d["type"], speaker=d.get("speaker"),
                   speaker_span=_span(d.get("speaker_span")), cue=_span(d.get("cue")),
                   speaker_name=d.get("speaker_name"), score=d.get("score"))


@dataclass(slots=True)
class Location:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    # added: where an event's place comes from. "stated": named with the event in its own
    # phrase or sentence; "sentence": named with another event of the same sentence; "carried":
    # the last place the story named before the event; "story": the story's focus place
    # (dateline, first city). The last two are inferences, not what the text says of the event.
    basis: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon,
                "basis": self.basis}

    @classmethod
    def from_dict(cls, d: dict | None) -> "Location | None":
        if d is None:
            return None
        return cls(name=d["name"], country=d.get("country"), lat=d.get("lat"), lon=d.get("lon"),
                   basis=d.get("basis"))


@dataclass(slots=True)
class Event:
    id: str
    type: str
    trigger: Span
    sentence: Span
    mode: str | None = None
    source: str | None = None
    target: str | None = None
    date: str | None = None
    location: Location | None = None
    killed: int | None = None
    wounded: int | None = None
    cameo: str | None = None
    negated: bool = False
    hypothetical: bool = False
    date_precision: str | None = None  # added: "day" | "week" | "month" | "year"
    killed_hedge: str | None = None    # added: "at least", "dozens", ... when the toll is not exact
    wounded_hedge: str | None = None
    score: float | None = None
    main: bool = False                 # added: the story's main event (events.salience)
    background: bool = False           # added: an earlier event the story recalls (events.salience)
    same_as: str | None = None         # added: id of the earlier event this one re-reports (events.salience)

    def to_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "mode": self.mode, "source": self.source,
                "target": self.target, "trigger": list(self.trigger), "sentence": list(self.sentence),
                "date": self.date, "location": self.location.to_dict() if self.location else None,
                "killed": self.killed, "wounded": self.wounded, "cameo": self.cameo,
                "negated": self.negated, "hypothetical": self.hypothetical,
                "date_precision": self.date_precision, "killed_hedge": self.killed_hedge,
                "wounded_hedge": self.wounded_hedge, "score": self.score, "main": self.main,
                "background": self.background, "same_as": self.same_as}

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        return cls(id=d["id"], type=d["type"], trigger=_span(d["trigger"]), sentence=_span(d["sentence"]),
                   mode=d.get("mode"), source=d.get("source"), target=d.get("target"), date=d.get("date"),
                   location=Location.from_dict(d.get("location")), killed=d.get("killed"),
                   wounded=d.get("wounded"), cameo=d.get("cameo"), negated=bool(d.get("negated")),
                   hypothetical=bool(d.get("hypothetical")), date_precision=d.get("date_precision"),
                   killed_hedge=d.get("killed_hedge"), wounded_hedge=d.get("wounded_hedge"),
                   score=d.get("score"), main=bool(d.get("main")),
                   background=bool(d.get("background")), same_as=d.get("same_as"))


@dataclass(slots=True)
class Technique:
    technique: str
    span: Span
    score: float
    speaker: str | None = None

    def to_dict(self) -> dict:
        return {"technique": self.technique, "span": list(self.span), "score": self.score,
                "speaker": self.speaker}

    @classmethod
    def from_dict(cls, d: dict) -> "Technique":
        return cls(technique=d["technique"], span=_span(d["span"]), score=float(d["score"]),
                   speaker=d.get("speaker"))


@dataclass(slots=True)
class Sentence:
    """Added: a sentence of `text` and the techniques used in it (empty = none)."""
    span: Span
    techniques: list[str] = field(default_factory=list)
    score: float | None = None  # added: calibrated chance that the sentence uses a technique

    def to_dict(self) -> dict:
        return {"span": list(self.span), "techniques": list(self.techniques), "score": self.score}

    @classmethod
    def from_dict(cls, d: dict) -> "Sentence":
        return cls(span=_span(d["span"]), techniques=list(d.get("techniques") or []), score=d.get("score"))


@dataclass(slots=True)
class Analysis:
    id: str
    text: str
    language: str = "en"
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    techniques: list[Technique] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)          # added
    sentences: list[Sentence] = field(default_factory=list)   # added
    extractors: dict[str, str] = field(default_factory=dict)  # added: step -> versioned name

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "url": self.url, "source": self.source,
                "published": self.published, "language": self.language, "text": self.text,
                "entities": [e.to_dict() for e in self.entities],
                "quotes": [q.to_dict() for q in self.quotes],
                "events": [e.to_dict() for e in self.events],
                "techniques": [t.to_dict() for t in self.techniques],
                "warnings": list(self.warnings), "authors": list(self.authors),
                "sentences": [s.to_dict() for s in self.sentences],
                "extractors": dict(self.extractors)}

    @classmethod
    def from_dict(cls, d: dict) -> "Analysis":
        return cls(id=d["id"], text=d["text"], language=d.get("language", "en"), title=d.get("title"),
                   url=d.get("url"), source=d.get("source"), published=d.get("published"),
                   entities=[Entity.from_dict(x) for x in d.get("entities") or []],
                   quotes=[Quote.from_dict(x) for x in d.get("quotes") or []],
                   events=[Event.from_dict(x) for x in d.get("events") or []],
                   techniques=[Technique.from_dict(x) for x in d.get("techniques") or []],
                   warnings=list(d.get("warnings") or []), authors=list(d.get("authors") or []),
                   sentences=[Sentence.from_dict(x) for x in d.get("sentences") or []],
                   extractors=dict(d.get("extractors") or {}))

    def entity(self, entity_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)


@dataclass(slots=True)
class Failure:
    """One document of a batch that could not be analysed: its id and the reason."""
    id: str
    error: str    # the error class name, e.g. "EmptyInput"
    message: str
    where: str | None = None  # file, line or URL the document came from

    def to_dict(self) -> dict:
        return {"id": self.id, "failed": True, "error": self.error, "message": self.message,
                "where": self.where}


def iter_spans(analysis: Analysis):
    """Every (label, span) pair the record cites, for validation."""
    for e in analysis.entities:
        for m in e.mentions:
            yield f"entity {e.id} mention", m
    for q in analysis.quotes:
        yield f"quote {q.id} span", q.span
        if q.speaker_span:
            yield f"quote {q.id} speaker_span", q.speaker_span
        if q.cue:
            yield f"quote {q.id} cue", q.cue
    for ev in analysis.events:
        yield f"event {ev.id} trigger", ev.trigger
        yield f"event {ev.id} sentence", ev.sentence
    for t in analysis.techniques:
        yield f"technique {t.technique} span", t.span
    for s in analysis.sentences:
        yield "sentence span", s.span


def span_problems(analysis: Analysis) -> list[str]:
    """Spans that break the offset contract: 0 <= start < end <= len(text), slice not blank."""
    n, bad = len(analysis.text), []
    for label, (start, end) in iter_spans(analysis):
        if not (0 <= start < end <= n) or not analysis.text[start:end].strip():
            bad.append(f"{label} {start}:{end} is not a non-blank slice of a {n}-character text")
    return bad


RECORD_FIELDS = {cls.__name__: [f.name for f in fields(cls)]
                 for cls in (Analysis, Entity, Quote, Event, Location, Technique, Sentence)}
