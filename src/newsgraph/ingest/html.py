"""HTML to an Article: trafilatura's main-text extraction with its metadata."""
from __future__ import annotations

from ..errors import EmptyInput
from .article import Article


def from_html(html: str, url: str | None = None, where: str = "input", **meta) -> Article:
    """Main text, title, author, date and site of a web page. Malformed HTML is tolerated;
    a page with no extractable text raises ``EmptyInput``."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                            include_tables=False)
    doc = extracted.as_dict() if extracted is not None else {}
    text = (doc or {}).get("text") or ""
    if not text.strip():
        # Pages too small for trafilatura's heuristics (a fragment, a bare <p>): fall back to
        # the page's visible text, so short but valid input is not lost.
        text = _visible_text(html)
    if not text.strip():
        raise EmptyInput(f"{where} (no main text found in the HTML)")
    doc = doc or {}
    authors = [a.strip() for a in (doc.get("author") or "").split(";") if a.strip()]
    return Article(text=text, title=meta.get("title") or doc.get("title"), url=url or doc.get("url"),
                   source=meta.get("source") or doc.get("sitename") or doc.get("hostname"),
                   published=meta.get("published") or doc.get("date"), authors=authors,
                   id=meta.get("id"), where=where)


def _visible_text(html: str) -> str:
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # lxml raises several unrelated types on garbage; treat all as "no text"
        return ""
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    blocks = [" ".join(el.text_content().split()) for el in tree.xpath("//p|//h1|//h2|//h3|//li")]
    text = "\n\n".join(b for b in blocks if b)
    return text or " ".join(tree.text_content().split())
