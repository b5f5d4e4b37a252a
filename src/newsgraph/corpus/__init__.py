"""The corpus: ingest sources into a Store, once per text, resumably."""
