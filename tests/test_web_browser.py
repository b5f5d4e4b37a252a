"""The web UI in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

A small corpus of short articles written for this test is analysed once by the real pipeline
and served by uvicorn on 127.0.0.1; the browser searches, opens an article, sees the
highlights, follows the speaker to the timeline and sees the chart drawn by plotly.js.
"""
from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

ARTICLES = [
    ("Harbor Talks Stall", "2016-02-01", "Coast Radio",
     "The Northern Liberation Front attacked a police station in Marlow on Monday, killing three officers. "
     "\u201cWe will never surrender the harbor,\u201d said Elena Varga, a spokeswoman for the group. Interior "
     "Minister Samuel Okafor said the government would not negotiate with the rebels."),
    ("Varga Offers Truce", "2016-04-12", "Harbor Post",
     "\u201cThe harbor can have peace if the army leaves,\u201d said Elena Varga on Tuesday. The army shelled "
     "two villages near Marlow, the regional health office said."),
    ("Ferry Service Resumes", "2016-06-03", "Coast Radio",
     "The ferry service to Marlow resumed on Friday, officials said. \u201cThe harbor is open again and "
     "trade will return,\u201d said Elena Varga. Police arrested two men near the pier."),
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def playwright_api():
    if not shutil.which("chromium") and not __import__("os").path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Python Playwright (pip install playwright)")
    return sync_api


@pytest.fixture(scope="module")
def server(playwright_api, tmp_path_factory, nlp):
    import uvicorn
    from test_corpus import usable_settings

    from newsgraph.api import create_app
    from newsgraph.corpus.ingest import _run
    from newsgraph.ingest import Article
    from newsgraph.store import Store

    db = str(tmp_path_factory.mktemp("web") / "web.db")
    arts = [Article(text=f"{title}\n\n{body}", title=title, published=day, source=src, where=f"test:{i}")
            for i, (title, day, src, body) in enumerate(ARTICLES)]
    with Store(db) as store:
        report = _run(arts, store, usable_settings(), False, None)
    assert report.new == len(ARTICLES)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(playwright_api, server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        pg = browser.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        browser.close()


def test_search_article_highlights_timeline_chart(page, server):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/")
    page.fill("input[name=q]", "harbor surrender")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("li.result")
    titles = page.locator("li.result a.title").all_inner_texts()
    assert titles == ["Harbor Talks Stall"]
    assert page.locator("li.result mark").first.inner_text().lower() in {"harbor", "surrender"}

    page.click("li.result a.title")
    page.wait_for_selector("#article-text")
    assert page.locator("h1").inner_text() == "Harbor Talks Stall"
    assert page.locator("#article-text .hl-entity").count() >= 3
    varga = page.locator("#article-text .hl-quote[title*='Elena Varga']")
    assert "".join(varga.all_inner_texts()) == "We will never surrender the harbor"
    assert page.locator("#article-text .hl-event").count() >= 1
    page.uncheck("input[data-toggle=quote]")
    assert "hide-quote" in page.evaluate("document.body.className")

    page.click("a.speaker:has-text('Elena Varga')")
    page.wait_for_selector("#chart[data-drawn=true]")
    assert page.locator("#chart .main-svg").count() >= 1
    assert page.locator("#chart .point, #chart rect").count() >= 1
    dates = page.locator("ol.timeline .date").all_inner_texts()
    assert dates == sorted(dates) and len(dates) == 3
    assert "said Elena Varga" in page.locator("ol.timeline blockquote").first.inner_text()
    assert not errors, errors


def test_event_trends_and_network_charts(page, server):
    page.goto(server + "/events")
    page.wait_for_selector("#chart[data-drawn=true]")
    assert page.locator("#chart .main-svg").count() >= 1
    page.goto(server + "/network")
    page.wait_for_selector("#chart[data-drawn=true]")
    assert page.locator("#chart .main-svg").count() >= 1
