"""What ``newsgraph ingest`` reads, beyond ``newsgraph.ingest.read``: folders (recursive),
``.gz`` files, RSS/Atom feeds (files or URLs), and lists of URLs.

Like the readers of ``newsgraph.ingest``, each yields ``Article`` per document and a
``Failure`` per document that cannot be read — one bad file or feed item never stops a batch.
"""
from __future__ import annotations

import email.utils
import gzip
import json
import logging
from pathlib import Path, PurePath
from typing import Iterable, Iterator

from ..errors import InputError, NewsgraphError
from ..ingest import Article, decode, fetch, from_html, is_url, read, read_csv, row_to_article
from ..ingest.sources import headline, looks_like_html
from ..record import Failure

log = logging.getLogger(__name__)

DOCUMENT_SUFFIXES = {"", ".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".csv",
                     ".xml", ".rss", ".atom", ".urls", ".gz", ".pdf"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
# Column names other exports use for the record's fields (e.g. the AllSides corpus: ID, date).
ROW_ALIASES = {"ID": "id", "date": "published", "published_at": "published", "pubDate": "published",
               "link": "url", "content": "text", "body": "text", "headline": "title"}
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
MIN_FEED_TEXT = 400  # characters of item content below which the item is a summary: fetch the link


def iter_documents(targets: Iterable[str], timeout: float = 20.0) -> Iterator[Article | Failure]:
    """Every document under ``targets`` (paths, folders, URLs, feeds, '-'), in a stable order."""
    for target in targets:
        try:
            if is_url(target):
                yield from read_url(target, timeout)
            elif target != "-" and Path(target).is_dir():
                yield from read_folder(Path(target), timeout)
            elif target != "-":
                yield from read_file(Path(target), timeout)
            else:
                yield from read(target, timeout)
        except NewsgraphError as exc:
            yield Failure(id=target, error=exc.code, message=str(exc), where=target)


def read_folder(folder: Path, timeout: float) -> Iterator[Article | Failure]:
    """Files under ``folder`` whose suffix names a document kind, sorted; hidden ones skipped."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            log.info("skipping %s: not a document kind ingest reads", path)
            continue
        try:
            yield from read_file(path, timeout)
        except NewsgraphError as exc:
            yield Failure(id=str(path), error=exc.code, message=str(exc), where=str(path))


def read_file(path: Path, timeout: float) -> Iterator[Article | Failure]:
    if not path.exists():
        raise InputError(f"{path} does not exist; check the path")
    suffix = path.suffix.lower()
    if suffix == ".gz":
        with gzip.open(path, "rb") as fh:
            yield from read_bytes(fh, PurePath(str(path)[:-3]), str(path), timeout)
    elif suffix in {".jsonl", ".ndjson"}:
        with open(path, "rb") as fh:
            yield from read_jsonl_lines(fh, str(path))
    elif suffix in FEED_SUFFIXES or suffix == ".urls":
        yield from read_bytes(open(path, "rb"), path, str(path), timeout)
    elif suffix in {".txt", ""} and _is_url_list(path.read_bytes()):
        yield from read_url_list(path.read_bytes(), str(path), timeout)
    else:
        yield from read(str(path), timeout)


def read_bytes(stream, name: PurePath, where: str, timeout: float) -> Iterator[Article | Failure]:
    """A decompressed or opened stream, dispatched on the suffix of ``name``."""
    suffix = name.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        yield from read_jsonl_lines(stream, where)
        return
    data = stream.read()
    if suffix == ".csv":
        yield from read_csv(data, where)
    elif suffix in FEED_SUFFIXES or _is_feed(data):
        yield from read_feed(data, where, timeout)
    elif suffix == ".urls" or _is_url_list(data):
        yield from read_url_list(data, where, timeout)
    else:
        text = decode(data, where)
        if looks_like_html(text):
            yield from_html(text, where=where)
        else:
            yield Article(text=text, where=where, title=headline(text))


def read_jsonl_lines(lines, name: str) -> Iterator[Article | Failure]:
    """JSON Lines, one record a line, with the column aliases of ``ROW_ALIASES``."""
    for n, raw in enumerate(lines, 1):
        line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise InputError(f"{where} is not a JSON object with a 'text' or 'html' field")
            yield row_article(row, where)
        except json.JSONDecodeError as exc:
            yield Failure(id=where, error="InputError", where=where,
                          message=f"{where} is not valid JSON ({exc.msg}); each line must be one JSON object")
        except InputError as exc:
            yield Failure(id=str(row.get("id") or row.get("ID") or where), error=exc.code,
                          message=str(exc), where=where)


def row_article(row: dict, where: str) -> Article:
    for alias, name in ROW_ALIASES.items():
        if alias in row and row.get(name) in (None, ""):
            row[name] = row[alias]
    article = row_to_article(row, where)
    authors = row.get("authors")
    if isinstance(authors, str):
        authors = [a.strip() for a in authors.split(",") if a.strip()]
    article.authors = [str(a) for a in authors or []]
    return article


def _is_url_list(data: bytes) -> bool:
    lines = [ln.strip() for ln in data[:200_000].decode("utf-8", "replace").splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    return bool(lines) and all(is_url(ln) and " " not in ln for ln in lines)


def read_url_list(data: bytes, where: str, timeout: float) -> Iterator[Article | Failure]:
    for n, line in enumerate(decode(data, where).splitlines(), 1):
        url = line.strip()
        if url and not url.startswith("#"):
            yield from read_url(url, timeout)


def read_url(url: str, timeout: float) -> Iterator[Article | Failure]:
    """A page, or a feed when the URL answers with RSS/Atom."""
    import httpx

    try:
        resp = httpx.get(url, timeout=timeout, follow_redirects=True,
                         headers={"User-Agent": "newsgraph (+https://example.org/newsgraph)"})
        resp.raise_for_status()
    except httpx.HTTPError:
        try:  # fetch() words the error the way every newsgraph reader does
            yield fetch(url, timeout)
        except NewsgraphError as exc:
            yield Failure(id=url, error=exc.code, message=str(exc), where=url)
        return
    if _is_feed(resp.content):
        yield from read_feed(resp.content, url, timeout)
        return
    text = decode(resp.content, url)
    if "html" in resp.headers.get("content-type", "") or looks_like_html(text):
        yield from_html(text, url=url, where=url)
    else:
        yield Article(text=text, url=url, where=url)


def _is_feed(data: bytes) -> bool:
    head = data[:2000].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head) \
        or head.startswith((b"<rss", b"<feed"))


def read_feed(data: bytes, where: str, timeout: float) -> Iterator[Article | Failure]:
    """RSS 2.0 / RSS 1.0 / Atom items. An item whose content is a whole article is read from
    the feed; an item with only a summary is fetched from its link."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{where} is not a readable RSS/Atom feed ({exc}); check the file") from None
    if root is None:
        raise InputError(f"{where} is not a readable RSS/Atom feed; check the file")
    if root.tag == f"{ATOM}feed":
        channel, items = _text(root.find(f"{ATOM}title")), list(root.iter(f"{ATOM}entry"))
    else:
        chan = next(root.iter("{*}channel"), None)
        channel = _text(chan.find("{*}title")) if chan is not None else None
        items = list(root.iter("{*}item"))
    for n, item in enumerate(items, 1):
        yield from _feed_item(item, channel, f"{where}#item{n}", timeout)


def _feed_item(item, channel: str | None, where: str, timeout: float) -> Iterator[Article | Failure]:
    meta = _item_meta(item)
    link = meta.pop("url")
    content = meta.pop("content")
    try:
        if content and len(content) >= MIN_FEED_TEXT:
            article = from_html(f"<html><body><article>{content}</article></body></html>", url=link,
                                where=where) if "<" in content else Article(text=content, url=link, where=where)
        elif link:
            article = fetch(link, timeout)
        else:
            raise InputError(f"{where} has neither article text nor a link to fetch it from")
    except NewsgraphError as exc:
        yield Failure(id=link or where, error=exc.code, message=str(exc), where=link or where)
        return
    article.title = article.title or meta["title"]
    article.published = article.published or meta["published"]
    article.source = channel or article.source  # the feed names its publication
    article.url = article.url or link
    yield article


def _item_meta(item) -> dict:
    def first(*paths):
        for p in paths:
            value = _text(item.find(p))
            if value:
                return value
        return None

    link = first("link", "{*}link")
    atom_link = next((el.get("href") for el in item.findall(f"{ATOM}link")
                      if el.get("rel") in (None, "alternate")), None)
    content = first(CONTENT, f"{ATOM}content", "description", "{*}description", f"{ATOM}summary")
    return {"title": first("title", "{*}title"), "url": atom_link or link,
            "published": _iso(first("pubDate", "{*}date", f"{ATOM}published", f"{ATOM}updated")),
            "content": content}


def _text(el) -> str | None:
    if el is None or el.text is None:
        return None
    return el.text.strip() or None


def _iso(value: str | None) -> str | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) to ISO 8601."""
    if not value:
        return None
    if value[:4].isdigit():
        return value
    try:
        return email.utils.parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError):
        return None
