"""CSV downloads of the KPI, channel and budget tables, written at build time.

Headers, statuses and dimension values read in the page's language (``value_labels``);
the first column, ``id``, keeps the code (goal id, channel, budget item) so that an
analyst's formulas and joins do not depend on the language. Numbers are plain (no
thousands separators, no currency signs, ratios as fractions), dates ISO.

UTF-8 with a BOM, so Excel (also the Chinese editions) opens the file with the right
encoding. Cells that a spreadsheet would run as a formula are quoted (see :func:`_cell`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence

from ..i18n import Labels
from ..metrics.evaluation import PlanView

EXPORTS = ("kpi_table", "channel_table", "budget_table")

# The machine column: the same header in every language.
ID = "id"

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
# Characters a spreadsheet takes as the start of a formula (OWASP "CSV injection"), and
# the whitespace some of them skip before one.
_FORMULA = ("=", "+", "-", "@")
_SKIPPED = ("\t", "\r", "\n", " ", "\u3000")


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    writer.writerows(_cells(row) for row in rows)
    return out.getvalue()


# A first character after which a text cell may need the apostrophe (see _cell).
_CHECK = frozenset(_FORMULA + _SKIPPED)


def _cells(row: Sequence[object]) -> list[object]:
    """``[_cell(v) for v in row]`` (None as ""), with plain text and floats, most of
    a table, answered without a call (3,000 tables of a 1,000-plan site)."""
    out: list[object] = []
    for v in row:
        kind = type(v)
        if v is None:
            out.append("")
        elif kind is str:
            out.append(v if not v or v[0] not in _CHECK else _cell(v))  # type: ignore[index]
        elif kind is float:
            out.append(_number(v))  # type: ignore[arg-type]
        else:
            out.append(_cell(v))
    return out


def _number(v: float) -> str:
    """A float as a spreadsheet reads it back: a whole number in full (12345678902, not
    1.23456789e+10), others to 15 significant digits (what a double holds exactly: the
    sums' last-bit noise, 0.30000000000000004, is not shown); non-finite ones empty."""
    if not math.isfinite(v):
        return ""
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return f"{v:.15g}"


def _cell(v: object) -> object:
    """A cell's text. Numbers as written (non-finite ones empty); text that starts with
    ``=``, ``+``, ``-`` or ``@`` (also after tabs, line breaks or spaces, which some
    spreadsheets skip) gets a leading apostrophe, so Excel shows it instead of running it.
    Quotes and line breaks inside a cell are the csv module's quoting (Excel reads both)."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return _number(v)
    if isinstance(v, int):
        return str(v)
    text = str(v)
    start = text.lstrip("".join(_SKIPPED))[:1]
    if start in _FORMULA and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def export_name(view: PlanView, section: str) -> str:
    suffix = {"kpi_table": "goals", "channel_table": "channels", "budget_table": "budget"}[section]
    return f"{view.plan.id}-{suffix}.csv"


def _dimension(t: Labels, dim: str) -> str:
    name = t(f"dim.{dim}")
    return name[:1].upper() + name[1:]


def export_csv(view: PlanView, section: str, language: str = "zh") -> str | None:
    """The CSV text of a section's table in ``language`` (the page's), or None when the
    section has no table."""
    t = Labels(language)
    lang = t.language
    names = view.value_labels
    yes, no = t("export.yes"), t("export.no")
    if section == "kpi_table":
        return _csv(
            [
                ID,
                t("goal"),
                t("kpi"),
                t("baseline"),
                t("target"),
                t("actual"),
                t("progress"),
                t("expected"),
                t("status"),
                t("forecast"),
                t("deadline"),
                t("owner"),
                t("as_of"),
            ],
            (
                [
                    g.goal.id,
                    g.goal.statement,
                    g.kpi.label(lang) if g.kpi else g.goal.kpi,
                    g.goal.baseline,
                    g.goal.target,
                    g.actual,
                    g.progress,
                    g.expected,
                    t(f"status.{g.status}"),
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
        rows: list[list[object]] = [
            [r.key, names.get(r.key, r.key), *(r.values.get(k.id) for k in b.columns), r.share]
            for r in b.rows
        ]
        if b.total is not None:
            values = (b.total.values.get(k.id) for k in b.columns)
            rows.append(["total", t("total"), *values, b.total.share])
        header = [ID, _dimension(t, b.dimension), *(k.label(lang) for k in b.columns)]
        return _csv([*header, t("share_of_spend")], rows)
    if section == "budget_table" and view.budget is not None:
        bud = view.budget
        source = {
            "data": t("export.source.data"),
            "manual": t("budget.manual"),
            None: t("budget.no_data"),
        }
        return _csv(
            [
                ID,
                t("budget.item"),
                t("budget.share"),
                t("budget.planned"),
                t("budget.cap"),
                t("budget.spent"),
                t("export.source"),
                t("budget.used"),
                t("budget.remaining"),
                t("budget.elapsed"),
                t("budget.over_cap"),
                t("budget.over_pace"),
                "ROI",
                "ROAS",
                "CAC",
            ],
            (
                [
                    r.item,
                    names.get(r.item, r.item) if r.label == r.item else r.label,
                    r.share,
                    r.planned,
                    r.cap,
                    r.spent,
                    source.get(r.source, r.source),
                    r.used,
                    r.remaining,
                    bud.elapsed,
                    yes if r.over_cap else no,
                    yes if bud.over_pace(r) else no,
                    r.returns.get("roi"),
                    r.returns.get("roas"),
                    r.returns.get("cac"),
                ]
                for r in bud.rows
            ),
        )
    return None
