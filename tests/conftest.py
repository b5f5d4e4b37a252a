"""Shared fixtures: one spaCy pipeline per session, the shared data folder, the seed article."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def settings():
    from newsgraph.settings import Settings
    return Settings()


@pytest.fixture(scope="session")
def nlp(settings):
    from newsgraph import nlp as nlp_mod
    return nlp_mod.load(settings)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"needs the shared benchmark data at {SHARED} (set NEWSGRAPH_SHARED); "
                    "it is not part of the repository")
    return SHARED


@pytest.fixture(scope="session")
def require_shared(shared_dir):
    return shared_dir


@pytest.fixture(scope="session")
def seed(shared_dir):
    """(text, expected) of the founding example article."""
    folder = shared_dir / "examples" / "seed"
    txt = next(folder.glob("*.txt"))
    return txt.read_text(encoding="utf-8"), json.loads((folder / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_text() -> str:
    return (ROOT / "examples" / "harbor_truce.txt").read_text(encoding="utf-8")


class PageServer:
    """A real HTTP server on 127.0.0.1 serving ``pages`` ({path: (content type, body bytes)});
    any other path answers 404. Used by the URL, feed and crawl tests."""

    def __init__(self):
        import http.server
        import threading

        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                kind, body = server.pages.get(self.path, ("text/plain", b""))
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.pages: dict[str, tuple[str, bytes]] = {}
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
