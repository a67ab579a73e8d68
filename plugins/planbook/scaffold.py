"""New pages from the templates in ``templates/scaffold/``: a plan, a persona, a copy page.

Plain Python: the CLI (``planbook new``) passes the kind, the slug, the folder and
today's date; nothing here reads the clock or the working directory. Templates are
Markdown with ``@@NAME@@`` placeholders (not jinja2: the pages themselves contain
``{{ shortcodes() }}``), looked up in a site's own folder first, then the shipped one.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, timedelta
from pathlib import Path

from .views.render_env import shipped_templates

KINDS: dict[str, str] = {"plan": "plans", "persona": "personas", "copy": "copy"}
"""Kind of page -> the folder under ``docs_dir`` it goes to by default."""

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")  # whole name: always `fullmatch`
_PLACEHOLDER = re.compile(r"@@([A-Z0-9_]+)@@")


class ScaffoldError(Exception):
    """A page that cannot be scaffolded."""


class BadSlug(ScaffoldError):
    """The name is not a slug."""


class PageExists(ScaffoldError):
    """The page exists already (``--force`` overwrites it)."""


def check_slug(name: str) -> str:
    """``name`` if it is a slug (lower-case letters, digits, ``-``, ``_``), else :class:`BadSlug`."""
    if not SLUG.fullmatch(name) or len(name) > 80:
        raise BadSlug(
            f"{name!r} is not a valid name: use lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit (at most 80 characters), e.g. 'autumn-launch-2027'"
        )
    return name


def default_title(name: str) -> str:
    """``autumn-launch-2027`` -> ``Autumn Launch 2027``."""
    return " ".join(w.capitalize() for w in re.split(r"[-_]+", name) if w)


def _month_start(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def plan_period(today: date) -> tuple[date, date]:
    """Six months from the first day of next month."""
    start = _month_start(today, 1)
    return start, _month_start(start, 6) - timedelta(days=1)


def template_path(kind: str, custom_dir: Path | None = None, language: str = "zh") -> Path:
    """The template for ``kind``, first found of: the site's
    ``<custom_dir>/scaffold/<language>/<kind>.md`` and ``<custom_dir>/scaffold/<kind>.md``,
    then the shipped one for the language (English, or Chinese with English comments)."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind of page '{kind}'; one of {', '.join(KINDS)}")
    if custom_dir is not None:
        for own in (
            custom_dir / "scaffold" / language / f"{kind}.md",
            custom_dir / "scaffold" / f"{kind}.md",
        ):
            if own.is_file():
                return own
    shipped = shipped_templates() / "scaffold"
    return shipped / "en" / f"{kind}.md" if language == "en" else shipped / f"{kind}.md"


def values(name: str, title: str, today: date) -> dict[str, str]:
    """Placeholder values: ``ID``, ``TITLE`` (YAML-safe in front matter), dates of the period."""
    start, end = plan_period(today)
    p1_end = _month_start(start, 1) - timedelta(days=1)
    p3_start = _month_start(start, 3)
    return {
        "ID": name,
        "TITLE": title,
        "START": start.isoformat(),
        "END": end.isoformat(),
        "PHASE1_END": p1_end.isoformat(),
        "PHASE2_START": (p1_end + timedelta(days=1)).isoformat(),
        "PHASE2_END": (p3_start - timedelta(days=1)).isoformat(),
        "PHASE3_START": p3_start.isoformat(),
    }


def render(template: str, vals: dict[str, str]) -> str:
    """Fill ``@@NAME@@`` placeholders; inside the front matter, text is quoted for YAML."""
    front, body = _split(template)

    def fill(text: str, quote: bool) -> str:
        def one(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in vals:
                raise ScaffoldError(f"template placeholder @@{key}@@ has no value")
            value = vals[key]
            if quote and key == "TITLE":
                return json.dumps(value, ensure_ascii=False)
            if not quote and key in _TEXT:
                return _markdown_text(value)
            return value

        return _PLACEHOLDER.sub(one, text)

    return fill(front, True) + fill(body, False)


# Placeholders holding what a person typed (a title, the site's name): in the Markdown
# body they are one line of text, never markup or a shortcode (outside hostile test,
# finding 15: `--title '<img onerror=…>'` ran on the built page, and a newline in it
# wrote front-matter lines into the page).
_TEXT = frozenset({"TITLE", "SITE_TITLE"})


def _markdown_text(value: str) -> str:
    """``value`` as text in a Markdown line: whitespace folded to single spaces, ``&``,
    ``<``, ``>`` and braces (Jinja, shortcodes) as character references."""
    text = html.escape(" ".join(value.split()), quote=False)
    return text.replace("{", "&#123;").replace("}", "&#125;")


def _split(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[: end + 5], text[end + 5 :]
    return "", text


def scaffold(
    kind: str,
    name: str,
    folder: Path,
    *,
    today: date,
    title: str | None = None,
    force: bool = False,
    custom_dir: Path | None = None,
    language: str = "zh",
) -> Path:
    """Write the page from the ``kind`` template; returns its path.

    A plan gets a folder of its own, ``folder/<name>/index.md``: its generated reports
    then sit under it in the navigation, and the section carries the plan's title.
    Other pages are ``folder/<name>.md``.
    """
    check_slug(name)
    path = folder / name / "index.md" if kind == "plan" else folder / f"{name}.md"
    if path.exists() and not force:
        raise PageExists(f"{path} already exists (use --force to overwrite it)")
    if path.is_dir():
        raise ScaffoldError(f"{path} is a folder")
    title = (title or "").strip() or default_title(name)
    text = render(
        template_path(kind, custom_dir, language).read_text(encoding="utf-8"),
        values(name, title, today),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
