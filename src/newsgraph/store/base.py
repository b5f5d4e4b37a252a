"""The ``Store`` interface: what every corpus database answers, whatever engine holds it.

``Store(target)`` opens the right backend for ``target``: a file path (or ``:memory:``, or a
``sqlite:///`` URL) gives the embedded SQLite store of ``store/sqlite.py``; a
``postgresql://`` URL gives the server store of ``store/postgres.py``. Backends subclass
``Store`` and implement its abstract methods; everything they return is plain JSON-ready data
(dicts, lists, str, int, float, None) so the API and the web pages serve it unchanged.

Conventions every backend keeps (the tests in ``tests/test_store.py`` check them):

* A document is keyed by ``text_hash(record.text)``: saving a record whose text is stored
  already adds a *sighting* (where else it was seen) instead of a second document.
* Public ids: documents by their record ``id`` (made unique on collision by a ``-`` and the
  first 8 hex digits of the text hash); corpus entities by an integer id, and wherever an
  entity is a filter, its id or its canonical name (case-insensitive) is accepted.
* Lists come back as a ``Page``: ``{"total", "limit", "offset", "items"}``; ``limit=None`` in
  ``Filters`` means every row (used by exports).
* Dates: ``published`` as given (ISO 8601); ``day`` (``YYYY-MM-DD``) and ``month``
  (``YYYY-MM``) are derived with ``day_of``/``month_of`` for filters and trends.
"""
from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, replace
from typing import Any, Iterable, Iterator

from ..record import Analysis, Failure

Page = dict  # {"total": int, "limit": int | None, "offset": int, "items": list[dict]}

EXPORT_KINDS = ("documents", "quotes", "events", "entities", "techniques", "failures")


def text_hash(text: str) -> str:
    """The key of a document: SHA-1 of its UTF-8 text, 40 hex digits."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


_DAY = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


def day_of(date: str | None) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or datetime (``YYYY-MM`` becomes the 1st); None otherwise."""
    m = _DAY.match(date or "")
    if not m or not (1 <= int(m.group(2)) <= 12):
        return None
    return f"{m.group(1)}-{m.group(2)}-{m.group(3) or '01'}"


def month_of(date: str | None) -> str | None:
    day = day_of(date)
    return day[:7] if day else None


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters every query accepts; each query reads the ones that apply to it."""
    q: str | None = None           # full-text query (FTS syntax; plain words are ANDed)
    source: str | None = None      # publication, exact
    since: str | None = None       # ISO date, inclusive
    until: str | None = None       # ISO date, inclusive
    entity: str | None = None      # corpus entity id or canonical name: documents mentioning it
    speaker: str | None = None     # corpus entity id or name: quotes (or documents with quotes) by it
    event_type: str | None = None  # PLOVER type, e.g. ASSAULT
    technique: str | None = None   # technique label
    about: str | None = None       # topic words a quote must contain (quotes, timeline)
    type: str | None = None        # entity type for entity lists (PERSON, ORG, ...)
    limit: int | None = 20
    offset: int = 0

    def with_(self, **changes: Any) -> "Filters":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class Sighting:
    """Where one copy of a document was seen: a feed, a file, a URL."""
    input_id: str | None = None
    source: str | None = None
    url: str | None = None
    where: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class Saved:
    """What ``Store.save`` did: the document's public id, whether it is new, its story."""
    doc_id: str
    created: bool
    story: str | None = None


PRONOUNS = frozenset("""i me my mine we us our ours you your yours he him his she her hers it its they
them their theirs this that these those who whom which one ones himself herself itself themselves
ourselves myself yourself""".split())


DETERMINERS = frozenset("the a an this that these those his her its their our my your".split())
SMALL_WORDS = frozenset("of and for the in on at to de al el bin ibn van von der".split())


def reads_as_name(surface: str) -> bool:
    """A mention that names rather than describes: after an optional leading determiner, every
    alphabetic word is capitalised (small words like "of" aside), and it is not a pronoun.
    "The Beacon", "ISIL", "Islamic State of Iraq and Syria" are names; "The group",
    "the extremists", "The 44th president" are descriptions."""
    words = surface.split()
    if not words or surface.lower() in PRONOUNS:
        return False
    if len(words) > 1 and words[0].lower() in DETERMINERS:
        words = words[1:]
    content = [w for w in words if w[:1].isalpha() and w.lower() not in SMALL_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)


def alias_forms(record: Analysis, entity) -> set[str]:
    """Names an entity goes by in one document: its canonical name, and each listed alias and
    mention that reads as a name (``reads_as_name``). Descriptions ("the militia") and pronouns
    are left out: an alias answers "who calls it what"."""
    forms = {entity.name}
    surfaces = list(entity.aliases) + [record.text[s:e] for s, e in entity.mentions]
    for surface in surfaces:
        surface = " ".join(surface.split())
        if reads_as_name(surface):
            forms.add(surface)
    return {f for f in forms if f and len(f) <= 200}


def sentence_around(record: Analysis, span) -> tuple[int, int]:
    """The sentence holding ``span``: from ``record.sentences`` when the pipeline gave them,
    else the text between the nearest sentence ends (". ", "? ", "! ", newline) around it."""
    start, end = span
    for s in record.sentences:
        if s.span[0] <= start < s.span[1]:
            return s.span[0], max(s.span[1], end)
    text = record.text
    left = max(text.rfind(sep, 0, start) for sep in (". ", "? ", "! ", "\n"))
    left = 0 if left < 0 else left + 1
    rights = [i for i in (text.find(sep, end) for sep in (". ", "? ", "! ", "\n")) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


class Store(ABC):
    """A corpus of analysis records. ``Store(target)`` opens the backend for ``target``."""

    def __new__(cls, target: str | None = None, *args: Any, **kwargs: Any):
        if cls is Store:
            cls = backend_for(target)
        return super().__new__(cls)

    # -- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abstractmethod
    def migrations(self) -> list[dict]:
        """The named migrations applied to this database: ``[{"name", "applied_at"}]``."""

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def save(self, record: Analysis, sighting: Sighting | None = None, replace: bool = False) -> Saved:
        """Store one record in one transaction. Same text stored already: add the sighting
        (and, with ``replace``, swap in this record's analysis, keeping id, sightings, story).
        ``sighting`` None: one made from the record (id, source, url). A failure recorded at
        ``sighting.where`` is cleared: that place now yielded a document."""

    @abstractmethod
    def add_sighting(self, hash_: str, sighting: Sighting) -> bool:
        """Record another sighting of the stored text ``hash_``; False when it was known."""

    @abstractmethod
    def lookup(self, hashes: Iterable[str]) -> dict[str, dict]:
        """For each stored hash: ``{"id", "extractors"}``. Missing hashes are absent."""

    @abstractmethod
    def save_failure(self, failure: Failure) -> None:
        """Keep a document that could not be analysed, keyed by where it came from."""

    @abstractmethod
    def clear_failure(self, where: str) -> None: ...

    @abstractmethod
    def stale(self, extractors: dict[str, str]) -> Iterator[str]:
        """Ids of documents whose record was made by other extractor versions than these."""

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def get(self, doc_id: str) -> Analysis | None:
        """The stored record, exactly as saved (with its public id)."""

    @abstractmethod
    def document(self, doc_id: str) -> dict | None:
        """The article page: the record's dict plus ``sightings``, ``story`` (near-duplicates)
        and ``entity_links`` (record entity id -> corpus entity id)."""

    @abstractmethod
    def search(self, filters: Filters) -> Page:
        """Documents matching ``q`` and the filters; items carry a ``snippet`` when ``q``."""

    @abstractmethod
    def quotes(self, filters: Filters) -> Page:
        """Quotes by ``speaker`` containing ``about``, oldest first, each with its citation
        (document id, title, url, published, span, sentence span and text)."""

    @abstractmethod
    def events(self, filters: Filters) -> Page: ...

    @abstractmethod
    def entities(self, filters: Filters) -> Page:
        """Corpus entities whose name starts with ``q``, of ``type``, most documents first."""

    @abstractmethod
    def entity(self, ref: str) -> dict | None:
        """The entity page: aliases (by source, first seen), quotes by it, events it was the
        source of ("did"), events it was the target of ("had done to it"), ``recent_documents``."""

    @abstractmethod
    def timeline(self, speaker: str, filters: Filters) -> dict:
        """Everything ``speaker`` said about ``filters.about``, in date order, cited, with
        ``months`` (quote counts per month) and ``techniques`` (counts, per month).
        ``mode`` is "speaker"; when ``speaker`` names a publication (a document ``source``) that
        no quote is attributed to, ``mode`` is "publication": its documents matching ``about``,
        each cited by the sentence holding the words, and the techniques of its own voice."""

    @abstractmethod
    def event_trends(self, filters: Filters) -> dict:
        """Events per type per month: ``{"months", "series": {type: [counts]}, "stories"}``."""

    @abstractmethod
    def network(self, filters: Filters) -> dict:
        """Who acts on whom: ``{"nodes": [{id, name, type}], "edges": [{source, target,
        count, types}]}``, the ``filters.limit`` heaviest edges."""

    @abstractmethod
    def failures(self, filters: Filters) -> Page: ...

    @abstractmethod
    def stats(self) -> dict:
        """Counts of documents, sightings, stories, entities, quotes, events, techniques, failures."""

    @abstractmethod
    def techniques(self, filters: Filters) -> Page: ...

    # -- exports (built on the queries; a backend may stream faster) --------------------------
    def export(self, kind: str, filters: Filters) -> Iterator[dict]:
        """Every row of a query as dicts: ``kind`` is one of ``EXPORT_KINDS``."""
        if kind not in EXPORT_KINDS:
            from ..errors import StoreError
            raise StoreError(f"cannot export '{kind}'; choose one of {', '.join(EXPORT_KINDS)}")
        if kind == "documents":
            for item in self.search(filters.with_(limit=None)).get("items", []):
                rec = self.get(item["id"])
                if rec is not None:
                    yield rec.to_dict()
            return
        yield from getattr(self, kind)(filters.with_(limit=None))["items"]


def backend_for(target: str | None) -> type[Store]:
    """The ``Store`` subclass for a path or URL."""
    target = str(target or "newsgraph.db")
    if target.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from .postgres import PostgresStore
        return PostgresStore
    if "://" in target and not target.startswith("sqlite://"):
        from ..errors import StoreError
        raise StoreError(f"no store for '{target.split('://')[0]}://' URLs; use a SQLite file path "
                         "or a postgresql:// URL")
    from .sqlite import SQLiteStore
    return SQLiteStore
