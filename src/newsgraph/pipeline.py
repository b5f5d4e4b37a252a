"""analyze() and analyze_many(): input checks, one parse, extractors in declared order.

An extractor that fails on one document becomes an entry in ``warnings`` (the rest of the
record stands); an input that cannot be analysed raises a typed ``InputError`` from
``analyze`` and becomes a ``Failure`` record in ``analyze_many``.
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
from itertools import islice
from typing import Iterable, Iterator

from .errors import EmptyInput, ExtractorError, InputError, NewsgraphError, TooLarge, UnsupportedLanguage
from .ingest import Article, detect_language, row_to_article
from .nlp import load, parse
from .record import Analysis, Failure
from .settings import Settings
from .steps import Step

log = logging.getLogger(__name__)

# Step name -> module exposing STEP. Order here is the default run order.
STEP_MODULES = {
    "entities": "newsgraph.entities",
    "quotes": "newsgraph.quotes",
    "events": "newsgraph.events",
    "techniques": "newsgraph.techniques",
}


def steps_for(settings: Settings) -> list[Step]:
    """The steps to run for ``settings.extractors``, with what they require, in dependency order."""
    wanted, ordered = list(settings.extractors), []

    def add(name: str, chain: tuple[str, ...] = ()):
        if name in chain:
            raise ExtractorError(f"extractor dependency cycle: {' -> '.join(chain + (name,))}")
        if any(s.name == name for s in ordered):
            return
        if name not in STEP_MODULES:
            raise ExtractorError(f"unknown extractor '{name}'; known: {', '.join(STEP_MODULES)}")
        step = importlib.import_module(STEP_MODULES[name]).STEP
        for req in step.requires:
            add(req, chain + (name,))
        ordered.append(step)

    for name in wanted:
        add(name)
    return ordered


def to_article(item, where: str = "input") -> Article:
    """Accept a text, an ``Article``, or a dict row (``id, text|html, title, url, published, source``)."""
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(text=item, where=where)
    if isinstance(item, dict):
        return row_to_article(item, where)
    raise InputError(f"{where} is a {type(item).__name__}; pass a str, a dict with 'text' or 'html', "
                     "or a newsgraph.ingest.Article")


def check(article: Article, settings: Settings) -> str:
    """Refuse what cannot be analysed; return the language code. Warnings go on the article."""
    where = article.where or f"document {article.id}"
    if not article.text or not article.text.strip():
        raise EmptyInput(where)
    if len(article.text) > settings.max_chars:
        raise TooLarge(len(article.text), settings.max_chars, where)
    language = detect_language(article.text)
    if language not in ("en", "und"):
        if settings.language_policy == "refuse":
            raise UnsupportedLanguage(language, where)
        article.warnings.append(f"language looks like '{language}', not English: "
                                "entities, quotes and techniques may be unreliable")
    return "en" if language == "und" else language


def _new_record(article: Article, language: str) -> Analysis:
    return Analysis(id=article.id, text=article.text, language=language, title=article.title,
                    url=article.url, source=article.source, published=article.published,
                    authors=list(article.authors), warnings=list(article.warnings))


def run_steps(doc, record: Analysis, steps: list[Step], settings: Settings) -> Analysis:
    for step in steps:
        try:
            step.run(doc, record, settings)
            record.extractors[step.name] = step.version
        except Exception as exc:  # one extractor failing on one document must not lose the rest
            log.warning("extractor %s failed on %s: %s", step.version, record.id, exc)
            log.debug("traceback of the failure", exc_info=True)
            record.warnings.append(f"{step.version} failed on this document ({type(exc).__name__}: "
                                   f"{exc}); its fields are empty")
    return record


def analyze(item, settings: Settings | None = None) -> Analysis:
    """Analyse one document (a text, a dict row, or an ``Article``) into the spec record.

    Raises an ``InputError`` subclass for input that cannot be analysed.
    """
    settings = settings or Settings.load()
    article = to_article(item)
    language = check(article, settings)
    steps = steps_for(settings)
    return run_steps(parse(article.text, settings), _new_record(article, language), steps, settings)


def analyze_many(items: Iterable, workers: int = 1, settings: Settings | None = None
                 ) -> Iterator[Analysis | Failure]:
    """Analyse documents in input order. Yields an ``Analysis`` per good document and a
    ``Failure`` (id, error, message) per bad one; a bad document never stops the batch."""
    settings = settings or Settings.load()
    workers = max(1, int(workers or settings.workers))
    chunks = _chunks(items, settings.batch_size)
    if workers == 1:
        for chunk in chunks:
            yield from _analyze_chunk(chunk, settings)
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        for results in pool.imap(_worker_chunk, chunks):
            yield from results


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(enumerate(items))
    while chunk := list(islice(it, size)):
        yield chunk


def _analyze_chunk(chunk: list, settings: Settings) -> list[Analysis | Failure]:
    steps = steps_for(settings)
    out: list[Analysis | Failure | None] = [None] * len(chunk)
    ready: list[tuple[int, Article, str]] = []
    for i, (n, item) in enumerate(chunk):
        if isinstance(item, Failure):
            out[i] = item
            continue
        where = getattr(item, "where", None) or f"item {n + 1}"
        try:
            article = to_article(item, where)
            ready.append((i, article, check(article, settings)))
        except NewsgraphError as exc:
            ident = item.get("id") if isinstance(item, dict) else getattr(item, "id", None)
            out[i] = Failure(id=str(ident or where), error=exc.code, message=str(exc), where=where)
    docs = load(settings).pipe((a.text for _, a, _ in ready), batch_size=settings.batch_size)
    for (i, article, language), doc in zip(ready, docs):
        out[i] = run_steps(doc, _new_record(article, language), steps, settings)
    return out


_WORKER_SETTINGS: Settings | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER_SETTINGS  # per-process state of a pool worker, set once by the pool
    _WORKER_SETTINGS = settings
    load(settings)
    steps_for(settings)


def _worker_chunk(chunk: list) -> list:
    return _analyze_chunk(chunk, _WORKER_SETTINGS)
