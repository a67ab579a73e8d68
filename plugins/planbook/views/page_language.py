"""The language a page names for itself (its plan's, its persona's, its copy's review
market), and the ``<html lang>`` of its finished HTML set to it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Page


def page_language(src: Page) -> str | None:
    """The language a page names for itself: its plan's, its persona's or its copy's
    (``review: {market: en}``); None where it names none (the site's language)."""
    if src.plan is not None:
        return src.plan.language
    if src.persona is not None and src.persona.language is not None:
        return src.persona.language
    return copy_language(src)


_HTML_LANG = re.compile(r'(<html\b[^>]*?\blang=)("[^"]*"|\'[^\']*\'|[^\s>]+)', re.IGNORECASE)
_HTML_OPEN = re.compile(r"<html\b", re.IGNORECASE)


def with_html_lang(html: str, language: str) -> str:
    """``html`` with its ``<html lang>`` set to ``language`` (added when it has none)."""
    found = _HTML_LANG.search(html, 0, 4096)
    if found is not None:
        return f'{html[: found.start(2)]}"{language}"{html[found.end(2) :]}'
    opened = _HTML_OPEN.search(html, 0, 4096)
    if opened is None:
        return html
    return f'{html[: opened.end()]} lang="{language}"{html[opened.end() :]}'


def copy_language(src: Page) -> str | None:
    """The language of a page without a plan: English copy (``review: {market: en}``) is
    read in English on a Chinese site, and the reverse (its review box, its labels)."""
    spec = src.front.data.get("review")
    market = spec.get("market") if isinstance(spec, dict) else None
    return {"en": "en", "cn": "zh"}.get(market) if isinstance(market, str) else None
