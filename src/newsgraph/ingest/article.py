"""The unit of input: one document's clean text and metadata, before analysis."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(slots=True)
class Article:
    text: str
    id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    where: str | None = None          # file:line or URL it came from, for error messages
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self):
        if not self.id:
            self.id = text_id(self.text)


def text_id(text: str) -> str:
    """A stable id for a text without one: the first 16 hex digits of its SHA-1."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
