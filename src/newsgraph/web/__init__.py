"""Server-rendered pages over the same JSON the API returns.

Each page calls the ``Store`` method its API twin calls, renders the result with an
autoescaping Jinja2 template, and embeds the same dict as JSON (``tojson``) for the charts.
Charts and the network graph are drawn by plotly.js from the installed ``plotly`` package
(served at ``/static/vendor/plotly.min.js``; nothing comes from a CDN) and our ``app.js``.
"""
from __future__ import annotations

import time
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from ..api import filters, get_store
from ..store import Filters, Store
from .highlight import segments

PAGE_SIZE = 20


@lru_cache(maxsize=1)
def templates():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    folder = resources.files("newsgraph.web") / "templates"
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    from ..events.dates import display

    # an event row of ``Store.document`` -> its date as precisely as stated ("2019", "2021-03")
    env.filters["when"] = lambda ev: display(ev.get("date"), ev.get("date_precision"))
    return env


@lru_cache(maxsize=1)
def plotly_js() -> Path | None:
    """plotly.min.js as shipped inside the plotly package, or None when it is not installed."""
    try:
        path = resources.files("plotly") / "package_data" / "plotly.min.js"
    except ModuleNotFoundError:
        return None
    return Path(str(path)) if path.is_file() else None


STATS_TTL = 30.0  # seconds the search page's corpus counts are reused (they count whole tables)


def corpus_stats(app: FastAPI) -> dict:
    """``Store.stats()``, recomputed at most every ``STATS_TTL`` seconds per app."""
    cached = getattr(app.state, "stats_cache", None)
    now = time.monotonic()
    if cached is None or now - cached[0] > STATS_TTL:
        cached = (now, app.state.store.stats())
        app.state.stats_cache = cached
    return cached[1]


def render(name: str, request: Request, **context) -> HTMLResponse:
    context.setdefault("params", dict(request.query_params))
    context["stats"] = corpus_stats(request.app) if name == "search.html" else None
    return HTMLResponse(templates().get_template(name).render(request=request, **context))


def mount(app: FastAPI) -> None:
    app.mount("/static/app", StaticFiles(directory=str(resources.files("newsgraph.web") / "static")),
              name="static")

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def vendor_plotly():
        path = plotly_js()
        if path is None:
            raise HTTPException(404, "plotly is not installed; pip install newsgraph (it depends on plotly)")
        return FileResponse(path, media_type="text/javascript")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, f: Filters = Depends(filters), store: Store = Depends(get_store)):
        return render("search.html", request, page=store.search(f), filters=f)

    @app.get("/articles/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(doc_id: str, request: Request, store: Store = Depends(get_store)):
        doc = store.document(doc_id)
        if doc is None:
            raise HTTPException(404, f"no document '{doc_id}'")
        names = {e["id"]: e["name"] for e in doc["entities"]}
        return render("article.html", request, doc=doc, segments=segments(doc), names=names)

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, f: Filters = Depends(filters), store: Store = Depends(get_store)):
        return render("entities.html", request, page=store.entities(f), filters=f)

    @app.get("/entities/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(ref: str, request: Request, store: Store = Depends(get_store)):
        ent = store.entity(ref)
        if ent is None:
            raise HTTPException(404, f"no entity '{ref}'")
        return render("entity.html", request, entity=ent)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, speaker: str = "", f: Filters = Depends(filters),
                      store: Store = Depends(get_store)):
        data = store.timeline(speaker, f.with_(limit=max(f.limit or 0, 100))) if speaker else None
        return render("timeline.html", request, data=data, speaker=speaker, filters=f)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, f: Filters = Depends(filters), store: Store = Depends(get_store)):
        return render("events.html", request, trends=store.event_trends(f), page=store.events(f), filters=f)

    @app.get("/network", response_class=HTMLResponse, include_in_schema=False)
    def network_page(request: Request, f: Filters = Depends(filters), store: Store = Depends(get_store)):
        return render("network.html", request, graph=store.network(f.with_(limit=max(f.limit or 0, 60))),
                      filters=f)
