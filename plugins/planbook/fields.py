"""Field types the front-matter models share (the plan's, content's, analyses' and the
review's): one definition of an id and of a scalar read as text."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

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
