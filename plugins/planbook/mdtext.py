"""User text placed into Markdown that Planbook writes (generated pages, `planbook diff`).

Values from front matter are text, never Markdown or HTML: a plan title in a generated
page's heading or a goal's KPI in a pull-request comment must not open a link, an image,
a code span, a shortcode or a tag. These helpers make them literal in CommonMark and in
Python-Markdown alike.
"""

from __future__ import annotations

import html
import re

# Characters with a meaning in inline Markdown that both CommonMark and Python-Markdown
# accept backslash-escaped (Python-Markdown shows the backslash of any other).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")
_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Newlines and other runs of white space as one space (a value cannot start a block)."""
    return _SPACE.sub(" ", str(text)).strip()


def escape(text: str) -> str:
    """``text`` as literal inline Markdown: no markup, links, autolinks, HTML, shortcodes
    or line breaks survive, the reader sees the characters as written."""
    flat = one_line(text)
    # `<` and `&` as entities: no tag, no comment, no entity reference gets through.
    flat = html.escape(flat, quote=False)
    # `&` of the entities must stay unescaped; then Markdown punctuation is backslashed.
    return _SPECIAL.sub(r"\\\1", flat)


def code(text: str) -> str:
    """``text`` as an inline code span that it cannot break out of."""
    flat = one_line(text)
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"
