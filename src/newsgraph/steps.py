"""How an extractor plugs into the pipeline.

An extractor module keeps its science in pure functions with explicit inputs
(``extract_quotes(doc, entities) -> list[Quote]``) and exposes one ``STEP``: its versioned
name, the steps it needs before it, and a small ``run`` that calls the pure function with what
the record holds so far and stores the result on the record.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .record import Analysis
    from .settings import Settings


@dataclass(frozen=True, slots=True)
class Step:
    name: str                 # "quotes": the key in Settings.extractors
    version: str              # "quotes.crf.v1": stored with every record it made
    requires: tuple[str, ...]  # names of steps that must run first
    run: "Callable[[Doc, Analysis, Settings], None]"
