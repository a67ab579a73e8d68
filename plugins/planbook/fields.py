"""Field types the front-matter models share (the plan's, content's, analyses' and the
review's): one definition of an id and of a scalar read as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import StringConstraints

from .diagnostics import Diagnostic, Severity
from .messages import msg

if TYPE_CHECKING:
    from .frontmatter import FrontMatter

__all__ = ["Slug", "scalar_text"]

# A lower-case id: a plan, goal, phase, persona, post series, analysis.
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", min_length=1, max_length=80)
]


def scalar_text(v: Any) -> Any:
    """YAML turns ``owner: 2026`` into an int; a name or label is text either way (a
    pydantic ``BeforeValidator``)."""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    return v


def meta_text(value: Any) -> str:
    """A page's ``title`` or ``description`` as one line of text, whatever YAML made of
    it: a list's items or a mapping's entries joined, a number or date as written
    (MkDocs and the theme print it into ``<title>``, the header, the navigation and a
    ``<meta>`` attribute; the caller escapes it)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(meta_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{meta_text(k)}: {meta_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def meta_problems(front: FrontMatter, file: str) -> list[Diagnostic]:
    """A page's ``title`` or ``description`` written as a list or mapping: shown as the
    text :func:`meta_text` makes of it, and said (a warning at its line)."""
    out = []
    for name in ("title", "description"):
        value = front.data.get(name)
        if isinstance(value, list | dict):
            kind = "list" if isinstance(value, list) else "mapping"
            said = msg(f"page/meta-not-text.{kind}", name=name, shown=meta_text(value))
            line = front.locations.line((name,))
            out.append(Diagnostic(file, line, name, "page/meta-not-text", Severity.WARNING, said))
    return out
