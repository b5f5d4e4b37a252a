"""Where documents come from: files (.txt, .html, .jsonl, .csv), URLs, stdin.

Each reader yields ``Article`` or, for one bad row of a batch, a ``Failure`` — never raises
for a single bad document of a batch. A single-document source raises its ``InputError``.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Iterator

from ..errors import FetchError, InputError, UnsupportedFormat
from ..record import Failure
from .article import Article, text_id
from .decode import decode
from .html import from_html

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
BATCH_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
FIELDS = ("id", "text", "html", "title", "url", "published", "source")


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def is_batch(target: str) -> bool:
    return Path(target).suffix.lower() in BATCH_SUFFIXES


def read(target: str, timeout: float = 20.0) -> Iterator[Article | Failure]:
    """Every document named by ``target``: a path, a URL, or '-' for stdin."""
    if target == "-":
        yield from _from_bytes(sys.stdin.buffer.read(), "stdin", sniff=True)
    elif is_url(target):
        yield fetch(target, timeout)
    else:
        yield from read_path(Path(target))


def read_path(path: Path) -> Iterator[Article | Failure]:
    if not path.exists():
        raise InputError(f"{path} does not exist; check the path")
    if path.is_dir():
        raise UnsupportedFormat(f"the folder {path} with 'analyze' (use 'newsgraph ingest' for folders)")
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        yield from read_jsonl(path.read_bytes(), str(path))
    elif suffix == ".csv":
        yield from read_csv(path.read_bytes(), str(path))
    elif suffix in HTML_SUFFIXES:
        yield from_html(decode(path.read_bytes(), str(path)), where=str(path))
    elif suffix in TEXT_SUFFIXES:
        text = decode(path.read_bytes(), str(path))
        yield Article(text=text, where=str(path), title=headline(text))
    else:
        yield from _from_bytes(path.read_bytes(), str(path), sniff=True)


def _from_bytes(data: bytes, where: str, sniff: bool) -> Iterator[Article]:
    text = decode(data, where)
    if sniff and looks_like_html(text):
        yield from_html(text, where=where)
    else:
        yield Article(text=text, where=where)


def headline(text: str) -> str | None:
    """The first line of a plain-text article when it stands alone as a headline."""
    first, sep, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    if sep and first and len(first) <= 200 and rest.startswith(("\n", "\r\n")) and first[-1] not in ".,;:":
        return first
    return None


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text[:20000])


def row_to_article(row: dict, where: str) -> Article:
    """One batch row (``id, text|html, title, url, published, source``) to an Article."""
    if not isinstance(row, dict):
        raise InputError(f"{where} is not an object with a 'text' or 'html' field")
    meta = {k: (str(row[k]) if row.get(k) not in (None, "") else None)
            for k in ("id", "title", "url", "published", "source")}
    text, html = row.get("text"), row.get("html")
    if isinstance(text, str) and text.strip():
        return Article(text=text, where=where, **meta)
    if isinstance(html, str) and html.strip():
        return from_html(html, url=meta.pop("url"), where=where, **meta)
    from ..errors import EmptyInput
    raise EmptyInput(f"{where} (no 'text' or 'html' field with content)")


def _failure(row_id: str | None, exc: Exception, where: str) -> Failure:
    return Failure(id=row_id or where, error=type(exc).__name__, message=str(exc), where=where)


def read_jsonl(data: bytes, name: str) -> Iterator[Article | Failure]:
    for n, line in enumerate(decode(data, name).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        row = None
        try:
            row = json.loads(line)
            yield row_to_article(row, where)
        except json.JSONDecodeError as exc:
            yield Failure(id=where, error="InputError",
                          message=f"{where} is not valid JSON ({exc.msg} at column {exc.colno}); "
                                  "each line must be one JSON object", where=where)
        except InputError as exc:
            yield _failure(row.get("id") if isinstance(row, dict) else None, exc, where)


def read_csv(data: bytes, name: str) -> Iterator[Article | Failure]:
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(io.StringIO(decode(data, name), newline=""))
    if not reader.fieldnames or not {"text", "html"} & set(reader.fieldnames):
        raise InputError(f"{name} has no 'text' or 'html' column; expected columns: {', '.join(FIELDS)}")
    for n, row in enumerate(reader, 2):
        where = f"{name}:{n}"
        try:
            yield row_to_article(row, where)
        except InputError as exc:
            yield _failure(row.get("id"), exc, where)


def fetch(url: str, timeout: float = 20.0) -> Article:
    """Fetch a page and extract its article; raise ``FetchError`` on network or HTTP errors."""
    import httpx

    try:
        resp = httpx.get(url, timeout=timeout, follow_redirects=True,
                         headers={"User-Agent": "newsgraph (+https://example.org/newsgraph)"})
        resp.raise_for_status()
    except httpx.TimeoutException:
        raise FetchError(url, f"no answer within {timeout:g} s") from None
    except httpx.HTTPStatusError as exc:
        raise FetchError(url, f"HTTP {exc.response.status_code}") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, str(exc) or type(exc).__name__) from None
    text = decode(resp.content, url)
    kind = resp.headers.get("content-type", "")
    if "html" in kind or looks_like_html(text):
        return from_html(text, url=url, where=url)
    return Article(text=text, url=url, where=url)


__all__ = ["read", "read_path", "read_jsonl", "read_csv", "fetch", "row_to_article", "text_id",
           "is_url", "is_batch"]
