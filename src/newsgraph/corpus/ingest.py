"""Ingest: sources -> analyze_many -> Store, each text analysed and stored once.

Resumable by construction: a document is looked up by its text hash *before* it is analysed
(stored: add a sighting and move on), and each analysed document is saved in its own
transaction. A process killed at any moment leaves whole documents or none; running the same
command again analyses only what is missing.
"""
from __future__ import annotations

import logging
import sys
from collections import deque
from dataclasses import asdict, dataclass
from typing import Callable, Iterable, Iterator

from ..ingest import Article
from ..pipeline import analyze_many, steps_for
from ..record import Analysis, Failure
from ..settings import Settings
from ..store import Sighting, Store, text_hash
from .sources import iter_documents

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    new: int = 0           # documents analysed and stored for the first time
    seen: int = 0          # documents whose text was stored already (skipped, sighting added)
    reanalyzed: int = 0    # stored documents analysed again by newer extractors
    failed: int = 0        # documents that could not be read or analysed (see `failures`)
    sightings: int = 0     # new sightings of stored texts (same text from another feed or file)

    def to_dict(self) -> dict:
        return asdict(self)


def current_extractors(settings: Settings) -> dict[str, str]:
    """step name -> versioned name of what this installation runs (``record.extractors``)."""
    return {step.name: step.version for step in steps_for(settings)}


def sighting_of(article: Article) -> Sighting:
    return Sighting(input_id=article.id, source=article.source, url=article.url, where=article.where,
                    published=article.published)


def ingest(targets: Iterable[str], store: Store, settings: Settings | None = None,
           reanalyze: bool = False, progress: Callable | None = None) -> IngestReport:
    """Read ``targets``, analyse what the store lacks (and, with ``reanalyze``, what older
    extractors made), save it. ``progress(report)`` is called after every document."""
    settings = settings or Settings()
    return _run(iter_documents(targets, settings.fetch_timeout), store, settings, reanalyze, progress)


def reanalyze_stored(store: Store, settings: Settings | None = None,
                     progress: Callable | None = None) -> IngestReport:
    """Analyse again every stored document made by other extractor versions than the current."""
    settings = settings or Settings()

    def stored() -> Iterator[Article]:
        for doc_id in list(store.stale(current_extractors(settings))):
            rec = store.get(doc_id)
            if rec is not None:
                yield Article(text=rec.text, id=rec.id, title=rec.title, url=rec.url, source=rec.source,
                              published=rec.published, authors=list(rec.authors), where=f"store:{rec.id}")
    return _run(stored(), store, settings, True, progress, keep_id=True)


def _run(items: Iterable, store: Store, settings: Settings, reanalyze: bool,
         progress: Callable | None, keep_id: bool = False) -> IngestReport:
    report = IngestReport()
    current = current_extractors(settings)
    pending: deque[tuple[Article, bool]] = deque()
    inflight: dict[str, list[Sighting]] = {}
    tick = progress or (lambda r: None)

    def to_analyze() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Failure):
                store.save_failure(item)
                report.failed += 1
                tick(report)
                continue
            h = text_hash(item.text)
            if h in inflight:  # a second copy while the first is being analysed
                inflight[h].append(sighting_of(item))
                continue
            known = store.lookup([h]).get(h)
            if known and not (reanalyze and known["extractors"] != current):
                report.sightings += store.add_sighting(h, sighting_of(item))
                report.seen += 1
                tick(report)
                continue
            inflight[h] = []
            pending.append((item, known is not None))
            yield item

    for result in analyze_many(to_analyze(), workers=settings.workers, settings=settings):
        article, replace = pending.popleft()
        h = text_hash(article.text)
        if isinstance(result, Failure):
            store.save_failure(result)
            report.failed += 1
        else:
            _save(store, result, article, replace, keep_id, report)
        for extra in inflight.pop(h, []):
            if not isinstance(result, Failure):
                report.sightings += store.add_sighting(h, extra)
            report.seen += 1
        tick(report)
    return report


def _save(store: Store, record: Analysis, article: Article, replace: bool, keep_id: bool,
          report: IngestReport) -> None:
    sighting = None if keep_id else sighting_of(article)
    saved = store.save(record, sighting, replace=replace)
    if saved.created:
        report.new += 1
    elif replace:
        report.reanalyzed += 1


def progress_bar(desc: str = "ingest"):
    """A tqdm bar on stderr fed by ``progress(report)``; returns (callback, close)."""
    from tqdm import tqdm

    bar = tqdm(unit="doc", desc=desc, file=sys.stderr, dynamic_ncols=True)

    def update(report: IngestReport) -> None:
        bar.update(1)
        bar.set_postfix(new=report.new, seen=report.seen, failed=report.failed, refresh=False)

    return update, bar.close
