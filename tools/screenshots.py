"""Serve the built site/ on localhost; save screenshots and printed PDFs to .artifacts/.

Usage: python tools/screenshots.py [--pdf] [--width 1280,390] [PAGE ...]
(pages relative to site/, e.g. plans/x/). Every page is taken at each width in the light
(default) and dark (slate) palette; ``--pdf`` also prints each page to A4 portrait and
landscape PDFs the way Chromium's "Save as PDF" does.
Needs Debian's chromium at /usr/bin/chromium (see `make browser-deps`).
"""

from __future__ import annotations

import argparse
import functools
import http.server
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
DRAWN = (
    "document.querySelectorAll('script[data-pb-chart]').length === "
    "document.querySelectorAll('.pb-chart[data-pb-rendered=\"true\"]').length"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(pages: list[str], widths: list[int], pdf: bool) -> None:
    handler = functools.partial(_Quiet, directory=str(ROOT / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = ROOT / ".artifacts"
    out.mkdir(exist_ok=True)
    base = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in widths:
            for scheme in ("default", "slate"):
                page = browser.new_page(viewport={"width": width, "height": 900})
                for uri in pages:
                    page.goto(base + uri)
                    page.wait_for_function(DRAWN, timeout=20_000)
                    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
                    page.wait_for_timeout(400)
                    name = uri.strip("/").replace("/", "_") or "index"
                    path = out / f"{name}-{width}-{scheme}.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(path)
                page.close()
        if pdf:
            page = browser.new_page()
            for uri in pages:
                page.goto(base + uri)
                page.wait_for_function(DRAWN, timeout=20_000)
                name = uri.strip("/").replace("/", "_") or "index"
                for landscape in (False, True):
                    path = out / f"{name}-{'landscape' if landscape else 'portrait'}.pdf"
                    page.pdf(path=str(path), format="A4", landscape=landscape)
                    print(path)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=["plans/spring-launch-2027/"])
    parser.add_argument("--width", default="1280,390", help="viewport widths, comma-separated")
    parser.add_argument("--pdf", action="store_true", help="also print A4 PDFs")
    ns = parser.parse_args()
    main(ns.pages, [int(w) for w in ns.width.split(",")], ns.pdf)
