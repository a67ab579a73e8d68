"""Which decimal mark a file's numbers use, where nothing says (no ``decimal:`` on the
source): the numbers tell it, in a file separated by ``;``, a tab or ``|`` (read as text,
:meth:`.files.Parser._point_sure`), and in the measures of a comma-separated file that
came as text (quoted ``"12,50"``: :func:`.reader.without_commas`); or they do not, and the
file is refused with what to set."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..messages import Message, msg
from .row_values import grouped_only
from .values import decimal_styles, is_numeric

if TYPE_CHECKING:
    from .headers import Column

__all__ = ["decimal_mark"]


def decimal_mark(
    frame: pd.DataFrame,
    measure_cols: list[Column],
    measure_text: Callable[[Column], Any],
    delimiter: str,
    n: int,
) -> tuple[str | None, Message | None]:
    """``(the decimal mark, None)`` (``None``: a point, the default), or ``(None, why the
    file is refused)`` when its numbers use both marks or cannot tell."""
    styles = set()
    typed = []
    comma: tuple[Column, str] | None = None  # the first column with a decimal comma, a value
    point: tuple[Column, str] | None = None  # ... with a decimal point
    texts: list[tuple[Column, list[str]]] = []
    for c in measure_cols:
        s = frame[f"c{c.index}"]
        if is_numeric(s.dtype):
            typed.append((c, s))
        elif n:
            texts.append((c, measure_text(c).uniques))
    for (c, uniques), st in zip(texts, _styles([u for _c, u in texts]), strict=True):
        if st:
            styles.add(st)
        if st in (",", ".") and (comma if st == "," else point) is None:
            example = next((u for u in uniques if st in u), "")
            if st == ",":
                comma = (c, example)
            else:
                point = (c, example)
    # A number column typed by the reader had `.` decimals if any value has a
    # fraction: it matters beside a `,` column (both marks) or in a `;` file (the
    # ambiguity check), not otherwise (a look at every value: ~0.1 s at 5M rows).
    if "," in styles or (not styles and delimiter == ";"):
        for c, s in typed:
            vals = s.to_numpy(dtype=np.float64, na_value=np.nan)
            fraction = np.isfinite(vals) & (vals != np.round(vals))
            if np.any(fraction):
                styles.add(".")
                point = point or (c, repr(float(vals[np.flatnonzero(fraction)[0]])))
                break
    if "?" in styles or styles == {",", "."}:
        if "?" not in styles and comma is not None and point is not None:
            # German or French settings: "1.256,85" beside 54.040 (thousands, read as 54.04)
            return None, msg(
                "data/decimal.mixed-columns",
                comma=comma[0].header.strip(),
                example=comma[1],
                point=point[0].header.strip(),
                value=point[1],
            )
        return None, msg("data/decimal.mixed")
    if styles == {","}:
        return ",", None
    if not styles and delimiter == ";":
        example = grouped_only(frame, measure_cols, measure_text)
        if example is not None:
            mark = "," if "," in example else "."
            return None, msg("data/decimal.ambiguous", example=example, mark=mark)
    return None, None


# Distinct values looked at in one pass (:func:`_styles`): columns are taken together up
# to this many, a larger column alone, so a long file's peak stays one column's.
BATCH = 65_536


def _styles(columns: list[list[str]]) -> list[str | None]:
    """:func:`.values.decimal_styles` of each column's distinct values, small columns in
    one pass together: a file of thousands of columns pays the vectorised calls a few
    times, not once per column (5,000 columns took 12 s)."""
    out: list[str | None] = []
    batch: list[list[str]] = []
    size = 0
    for uniques in columns:
        if batch and size + len(uniques) > BATCH:
            out += decimal_styles(batch)
            batch, size = [], 0
        batch.append(uniques)
        size += len(uniques)
    if batch:
        out += decimal_styles(batch)
    return out
