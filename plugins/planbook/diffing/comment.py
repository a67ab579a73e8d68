"""Text of a pull-request comment that GitHub shows as written: a value never becomes
Markdown, HTML, a link, a mention, a reference or an emoji, and the comment fits."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["MAX_MARKDOWN", "MAX_VALUE", "capped", "md"]

_MD_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "~": "\\~",
        "<": "&lt;",
        ">": "&gt;",
        # `@team` in a value would notify the team from the bot's comment: a zero-width
        # space after `@` reads the same and mentions no one
        "@": "@&#8203;",
        "\n": " ",
        "\r": " ",
    }
)

# What GitHub turns into a link, a reference or an emoji in a comment's text: `://` and
# `www.` (autolinks; an e-mail's `@` is broken above), `#12` and `owner/repo#12`
# (cross-references), `:shipit:`. A zero-width space after the first character reads
# the same and links nothing (outside hostile test, finding 17).
_AUTOLINK = re.compile(r"(?i)(:(?=//)|w(?=ww\.)|#(?=\d)|:(?=[a-z0-9_+-]+:))")
MAX_VALUE = 300  # characters of one value written into the diff
MAX_MARKDOWN = 60_000  # characters of the whole comment (GitHub holds 65,536)


def md(text: Any) -> str:
    """User text made safe inside Markdown (tables, lists, emphasis, HTML, autolinks,
    references), cut to :data:`MAX_VALUE` characters."""
    text = str(text)
    if len(text) > MAX_VALUE:
        text = text[: MAX_VALUE - 1] + "…"
    return _AUTOLINK.sub(r"\1&#8203;", text).translate(_MD_SPECIAL).strip()


def capped(lines: list[str], note: Callable[[int], str]) -> str:
    """The comment, cut after the last line that fits in :data:`MAX_MARKDOWN` characters,
    with ``note(lines left out)`` (a longer comment is refused, and the pull request
    gets none)."""
    size = 0
    for i, line in enumerate(lines):
        size += len(line) + 1
        if size > MAX_MARKDOWN - 500:  # room for the note
            rest = sum(1 for x in lines[i:] if x)
            return "\n".join([*lines[:i], "", note(rest)]).rstrip("\n") + "\n"
    return "\n".join(lines).rstrip("\n") + "\n"
