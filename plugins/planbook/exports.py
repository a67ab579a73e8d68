"""CSV downloads of the KPI, channel and budget tables, written at build time.

UTF-8 with a BOM, so Excel (also the Chinese editions) opens the file with the right
encoding; numbers are plain (no thousands separators, no currency signs), dates ISO.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from .project import PlanView

EXPORTS = ("kpi_table", "channel_table", "budget_table")


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return out.getvalue()


def _cell(v: object) -> object:
    if isinstance(v, float):
        return f"{v:.10g}"
    text = str(v)
    # A cell starting with = + - @ (or a tab or carriage return before one, which some
    # spreadsheets skip) is run as a formula: quote it (OWASP "CSV injection").
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def export_name(view: PlanView, section: str) -> str:
    suffix = {"kpi_table": "goals", "channel_table": "channels", "budget_table": "budget"}[section]
    return f"{view.plan.id}-{suffix}.csv"


def export_csv(view: PlanView, section: str) -> str | None:
    """The CSV text of a section's table, or None when the section has no table."""
    if section == "kpi_table":
        return _csv(
            [
                "goal",
                "statement",
                "kpi",
                "baseline",
                "target",
                "actual",
                "progress",
                "expected",
                "status",
                "forecast",
                "deadline",
                "owner",
                "as_of",
            ],
            (
                [
                    g.goal.id,
                    g.goal.statement,
                    g.kpi.id if g.kpi else g.goal.kpi,
                    g.goal.baseline,
                    g.goal.target,
                    g.actual,
                    g.progress,
                    g.expected,
                    g.status,
                    g.forecast,
                    g.goal.deadline.isoformat(),
                    g.goal.owner,
                    g.as_of.isoformat() if g.as_of else None,
                ]
                for g in view.goals
            ),
        )
    if section == "channel_table" and view.channels is not None:
        b = view.channels
        rows = [[r.key, *(r.values.get(k.id) for k in b.columns), r.share] for r in b.rows]
        if b.total is not None:
            rows.append(["total", *(b.total.values.get(k.id) for k in b.columns), b.total.share])
        return _csv([b.dimension, *(k.id for k in b.columns), "share_of_spend"], rows)
    if section == "budget_table" and view.budget is not None:
        bud = view.budget
        return _csv(
            [
                "item",
                "label",
                "share",
                "planned",
                "cap",
                "spent",
                "source",
                "used",
                "remaining",
                "elapsed",
                "over_cap",
                "over_pace",
                "roi",
                "roas",
                "cac",
            ],
            (
                [
                    r.item,
                    r.label,
                    r.share,
                    r.planned,
                    r.cap,
                    r.spent,
                    r.source,
                    r.used,
                    r.remaining,
                    bud.elapsed,
                    r.over_cap,
                    bud.over_pace(r),
                    r.returns.get("roi"),
                    r.returns.get("roas"),
                    r.returns.get("cac"),
                ]
                for r in bud.rows
            ),
        )
    return None
