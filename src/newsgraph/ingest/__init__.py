"""Sources → Article(text, title, url, source, published): files, batches, URLs, stdin."""
from .article import Article, text_id
from .decode import decode
from .html import from_html
from .language import detect as detect_language
from .sources import fetch, is_batch, is_url, read, read_csv, read_jsonl, read_path, row_to_article

__all__ = ["Article", "text_id", "decode", "from_html", "detect_language", "fetch", "is_batch",
           "is_url", "read", "read_csv", "read_jsonl", "read_path", "row_to_article"]
