"""newsgraph: who said what, who did what to whom, and how it was said — cited to the character.

    >>> import newsgraph
    >>> record = newsgraph.analyze("“We will not negotiate,” the minister said on Monday.")
    >>> record.quotes[0].type
    'direct'
"""
from .errors import (EmptyInput, ExtractorError, InputError, NewsgraphError, StoreError, TooLarge,
                     UnsupportedLanguage)
from .pipeline import analyze, analyze_many
from .record import Analysis, Entity, Event, Failure, Location, Quote, Sentence, Technique
from .settings import Settings

__version__ = "0.1.0"


def __getattr__(name):  # the store pulls in SQLite code; import it only when asked for
    if name == "Store":
        from .store import Store
        return Store
    raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")


__all__ = ["analyze", "analyze_many", "Store", "Settings", "Analysis", "Entity", "Quote", "Event",
           "Location", "Technique", "Sentence", "Failure", "NewsgraphError", "InputError",
           "EmptyInput", "TooLarge", "UnsupportedLanguage", "ExtractorError", "StoreError"]
