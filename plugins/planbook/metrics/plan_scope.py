"""What a plan reads of its sources: the dimensions and days it needs
(:func:`plan_needs`, :func:`shortcode_dims`), and the rows dated outside its period,
which are reported and never counted (:func:`outside_period`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..data import Source
from ..diagnostics import Diagnostic, Severity
from ..frontmatter import Locations, format_path
from ..messages import Lines, msg
from ..model import READABLE_DAYS, Plan
from ..sources.table import Table
from ..sources.warehouse import Needs

__all__ = ["HISTORY_DAYS", "outside_period", "overflowing_sums", "plan_needs", "shortcode_dims"]

# Rows dated this long before a plan's period are history (forecasts, comparisons);
# earlier ones, like any row dated after the period, are typos or another plan's data.
HISTORY_DAYS = 3 * 366


def outside_period(
    sources: Sequence[Source],
    plan: Plan,
    *,
    file: str,
    memo: dict[tuple, list[np.ndarray]] | None = None,
    rows: Callable[[Table], pd.DataFrame] | None = None,
) -> list[Diagnostic]:
    """Rows dated after the plan's period, or long before it, per file: reported here,
    never used for the as-of date or the plan's figures. ``memo`` keeps the rows found
    per file content and period, with the first day of each (plans that share a file
    and a period scan it once); ``rows`` gives a table's rows (``DataStore.rows``: a
    table may have let go of them), default its frame."""
    out: list[Diagnostic] = []
    end = np.datetime64(plan.period.end, "D")
    early = np.datetime64(plan.period.start, "D") - np.timedelta64(HISTORY_DAYS, "D")
    # The bounds are compared with nanosecond dates: one past the days those hold would
    # wrap around (a period from 1680 took its 1677 history bound for 2261). No row is
    # dated before the first readable day or after the last.
    first, last = (np.datetime64(d, "D") for d in READABLE_DAYS)
    early = max(early, first)
    after = end + np.timedelta64(1, "D")
    for src in sources:
        table = src.table
        key = (table.path, table.digest, end, early)
        found = memo.get(key) if memo is not None else None
        if found is None:
            frame = rows(table) if rows is not None else table.frame
            days = frame["date"].to_numpy() if not frame.empty else np.array([], "M8[D]")
            # On the day grain, without a day-rounded copy of a million dates.
            found = [
                np.flatnonzero(days >= after) if after <= last else np.array([], np.intp),
                np.flatnonzero(days < early),
            ]
            found.append(np.array([days[f[0]] if len(f) else None for f in found], dtype="M8[D]"))
            del frame, days
            if memo is not None:
                memo[key] = found
        for rows_of, first_day, where in zip(
            found[:2],
            found[2],
            ("after the plan's period ends", "long before the plan's period"),
            strict=True,
        ):
            if not len(rows_of):
                continue
            lines = table.lines(rows_of[:5])
            day = first_day
            first = str(day)
            far = abs((day - (end if where.startswith("after") else early)).astype(int)) > 366
            out.append(
                Diagnostic(
                    table.path,
                    lines[0],
                    "date",
                    "data/outside-period",
                    Severity.WARNING if far else Severity.INFO,
                    msg(
                        "data/outside-period",
                        n=len(rows_of),
                        where=msg(
                            "data/outside-period."
                            + ("after" if where.startswith("after") else "before")
                        ),
                        start=plan.period.start,
                        end=plan.period.end,
                        plan=plan.id,
                        lines=Lines(tuple(int(x) for x in lines), len(rows_of)),
                        first=first,
                    ),
                    extra=(("rows", str(len(rows_of))),),
                )
            )
    return out


def plan_needs(plan: Plan, channel_dimension: str = "channel") -> Needs:
    """What a plan reads from a database or Parquet source: the dimensions its goals,
    channel table, budget and sources name, and its period with the history before it."""
    dims = [channel_dimension]
    if plan.budget is not None:
        dims.append(plan.budget.by)
    dims.extend(plan.channel_filter)
    for goal in plan.goals:
        dims.extend(goal.filter)
    for source in plan.metrics:
        dims.extend(getattr(source, "dimensions", None) or ())
    # a period in year 1 has no history before it (date.min, not an OverflowError)
    start = plan.period.start - min(timedelta(days=HISTORY_DAYS), plan.period.start - date.min)
    return Needs(tuple(dict.fromkeys(dims)), start, plan.period.end)


_BY = re.compile(r"""\bby\s*=\s*(?:"([^"\n]+)"|'([^'\n]+)')""")


def shortcode_dims(text: str) -> tuple[str, ...]:
    """Dimensions named by ``by=`` inside ``{{ … }}`` on a page (``kpi_trend("ctr",
    by="channel")``, ``funnel_chart(by="campaign")``). A cheap scan, not the shortcode
    parser: a name in a code block only makes the cube a little wider."""
    if "by" not in text or "{{" not in text:
        return ()
    found: list[str] = []
    for call in re.findall(r"\{\{(.*?)\}\}", text, flags=re.S):
        found.extend(a or b for a, b in _BY.findall(call))
    return tuple(dict.fromkeys(found))


def overflowing_sums(
    sources: Sequence[Source],
    *,
    file: str,
    locations: Locations,
    memo: dict[tuple, list[np.ndarray]] | None = None,
    rows: Callable[[Table], pd.DataFrame] | None = None,
) -> list[Diagnostic]:
    """Measures whose sums go past the largest float (about 1.8e308), every cell of them
    finite: each sum over them would be infinite, which the plan shows as "no data".
    Said per file, at the line where its running total of the magnitudes first goes
    past it, and per plan when the files do it only together. When the magnitudes add
    up to a finite number, so does every sum the cube, the KPIs and the charts make of
    them. ``memo`` keeps each file's totals per content (a plan's pages share files)."""
    out: list[Diagnostic] = []
    combined: dict[str, float] = {}
    files: dict[str, list[str]] = {}
    for src in sources:
        table = src.table
        measures = [
            m for m in table.measures if m not in src.withheld and m not in table.non_additive
        ]
        key = (table.path, table.digest, "sums")
        found = memo.get(key) if memo is not None else None
        if found is None:
            found = _magnitudes(rows(table) if rows is not None else table.frame, table.measures)
            if memo is not None:
                memo[key] = found
        totals, first = found
        for m in measures:
            i = table.measures.index(m)
            if first[i] >= 0:
                line = table.lines(first[i : i + 1])[0]
                out.append(
                    Diagnostic(
                        table.path,
                        line,
                        m,
                        "data/sum-overflow",
                        Severity.ERROR,
                        msg("data/sum-overflow", column=m),
                    )
                )
                continue
            with np.errstate(over="ignore"):
                combined[m] = combined.get(m, 0.0) + float(totals[i])
            files.setdefault(m, []).append(table.path)
    for m, total in combined.items():
        if not np.isfinite(total):
            path = ("plan", "metrics")
            out.append(
                Diagnostic(
                    file,
                    locations.line(path),
                    format_path(path),
                    "data/sum-overflow",
                    Severity.ERROR,
                    msg("data/sum-overflow.files", column=m, files=files[m]),
                )
            )
    return out


# A bound of a column's magnitudes below which its sums are finite whatever the files
# add (the largest float is about 1.8e308).
_SAFE_BOUND = 1e300


def _magnitudes(frame: pd.DataFrame, measures: Sequence[str]) -> list[np.ndarray]:
    """Per measure: the sum of its magnitudes (or a bound of it far below the largest
    float), and the first row where their running sum is no longer finite (-1: none).
    The bound is the largest magnitude times the rows: two reductions, no copy of the
    column (a copy of each of five million rows was 0.25 s of a 5M-row build, issue 12);
    only a column it does not clear is summed."""
    totals = np.zeros(len(measures))
    first = np.full(len(measures), -1, dtype=np.int64)
    with np.errstate(over="ignore", invalid="ignore"):
        for i, m in enumerate(measures):
            if m not in frame.columns:
                continue
            column = frame[m]
            raw = column.to_numpy() if column.dtype == np.float64 else None
            if raw is not None and len(raw):
                hi, lo = np.fmax.reduce(raw), np.fmin.reduce(raw)  # NaN left out
                bound = max(abs(float(hi)), abs(float(lo))) * len(raw)
                if np.isnan(hi) or bound < _SAFE_BOUND:
                    totals[i] = 0.0 if np.isnan(hi) else bound
                    continue
            values = np.abs(column.to_numpy(dtype="float64", na_value=np.nan))
            totals[i] = np.nansum(values)
            if not np.isfinite(totals[i]):
                bad = np.flatnonzero(~np.isfinite(np.nancumsum(values)))
                first[i] = bad[0] if len(bad) else 0
    return [totals, first]
