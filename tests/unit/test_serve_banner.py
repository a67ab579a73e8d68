"""`mkdocs serve`'s banner of the site's problems (serve_cache.Banners), without MkDocs: a
page written before the build's last problem was known gets the whole banner at the
build's end, in place of the one it was written with (one banner a page). (The whole
session with a page worker, against one without: tests/sitebuild/test_workers_site.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planbook.diagnostics import Diagnostic, Severity
from planbook.serve_cache import Banners

PAGE = "<html><head></head><body class='x'><main>{body}</main></body></html>"


@dataclass
class _File:
    """What Banners reads of an MkDocs file."""

    src_uri: str
    abs_dest_path: str


def _problem(n: int, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(f"docs/p{n}.md", n, None, "plan/x", severity, f"<b>problem {n}</b>")


def _banner(file: _File, problems: list[Diagnostic]) -> str:
    """A stand-in for the plugin's banner: what it shows depends on the problems."""
    shown = [d for d in problems if d.severity is not Severity.INFO]
    if not shown:
        return ""
    items = "".join(f"<li>{d.file}</li>" for d in shown)
    return f'<div class="pb-serve-banner" data-page="{file.src_uri}"><ul>{items}</ul></div>'


def _write(banners: Banners, tmp_path: Path, uri: str, problems: list[Diagnostic]) -> Path:
    """A page as MkDocs writes it after Planbook's on_post_page."""
    path = tmp_path / uri
    file = _File(uri, str(path))
    path.write_text(banners.on_page(PAGE.format(body=uri), file, problems, _banner), "utf-8")
    return path


def test_pages_written_early_get_every_problem_at_the_end(tmp_path: Path) -> None:
    banners = Banners()
    problems: list[Diagnostic] = []
    clean = _write(banners, tmp_path, "a.html", problems)  # before any problem
    problems.append(_problem(1))
    one = _write(banners, tmp_path, "b.html", problems)  # before the second
    problems.append(_problem(2))
    full = _write(banners, tmp_path, "c.html", problems)
    written = full.read_text("utf-8")
    banners.again(problems, _banner)
    assert full.read_text("utf-8") == written  # it had them all: not written again
    for path in (clean, one, full):
        html = path.read_text("utf-8")
        assert html.count("pb-serve-banner") == 1, path.name
        assert "docs/p1.md" in html and "docs/p2.md" in html
        assert html.startswith(
            f'<html><head></head><body class=\'x\'><div class="pb-serve-banner" data-page="{path.name}">'
        )
        assert html.endswith(f"<main>{path.name}</main></body></html>")
    assert banners.written == {}  # the next build starts afresh


def test_no_problems_no_banner_and_nothing_written_again(tmp_path: Path) -> None:
    banners = Banners()
    path = _write(banners, tmp_path, "a.html", [])
    path.write_text("changed by someone else", "utf-8")
    banners.again([], _banner)
    assert path.read_text("utf-8") == "changed by someone else"
    notes = [_problem(1, Severity.INFO)]  # notes are not problems a banner shows
    path = _write(banners, tmp_path, "b.html", [])
    before = path.read_text("utf-8")
    banners.again(notes, _banner)
    assert path.read_text("utf-8") == before


def test_a_page_that_was_not_written_is_left_alone(tmp_path: Path) -> None:
    banners = Banners()
    path = _write(banners, tmp_path, "a.html", [])
    path.unlink()  # another plugin's doing
    banners.again([_problem(1)], _banner)
    assert not path.exists()


def test_a_banner_changed_after_planbook_is_topped_by_the_whole_one(tmp_path: Path) -> None:
    """Another plugin rewrote the banner after Planbook (a minifier): the old one cannot be
    found, so the whole banner goes above it; the page never shows only the old one."""
    banners = Banners()
    problems = [_problem(1)]
    path = _write(banners, tmp_path, "a.html", problems)
    path.write_text(path.read_text("utf-8").replace("<ul>", "<ul >"), "utf-8")
    problems.append(_problem(2))
    banners.again(problems, _banner)
    html = path.read_text("utf-8")
    assert html.index("docs/p2.md") < html.index("<ul >")  # the whole one first
