"""Serve the built site/ on localhost and save full-page screenshots to .artifacts/.

Usage: python tools/screenshots.py [PAGE ...]   (pages relative to site/, e.g. plans/x/)
Needs Debian's chromium at /usr/bin/chromium (see `make browser-deps`).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(pages: list[str]) -> None:
    handler = functools.partial(_Quiet, directory=str(ROOT / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = ROOT / ".artifacts"
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for scheme in ("default", "slate"):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for uri in pages:
                page.goto(f"http://127.0.0.1:{server.server_port}/{uri}")
                page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
                page.wait_for_timeout(300)
                name = uri.strip("/").replace("/", "_") or "index"
                page.screenshot(path=str(out / f"{name}-{scheme}.png"), full_page=True)
                print(out / f"{name}-{scheme}.png")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:] or ["plans/spring-launch-2027/"])
