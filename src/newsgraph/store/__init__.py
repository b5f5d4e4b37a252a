"""Corpus stores: ``Store(path_or_url)`` opens SQLite for a path, PostgreSQL for a URL."""
from .base import EXPORT_KINDS, Filters, Saved, Sighting, Store, backend_for, day_of, month_of, text_hash

__all__ = ["Store", "Filters", "Sighting", "Saved", "EXPORT_KINDS", "backend_for", "text_hash",
           "day_of", "month_of"]
