"""Report periods: calendar weeks, months and quarters, their keys (``2026-W43``,
``2026-10``, ``2026-Q4``), the periods of a plan that are over, and the report pages a
plan gets (one per closed period). What a report shows is :mod:`.reports`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..messages import msg

if TYPE_CHECKING:
    from .evaluation import PlanView

EVERY = ("week", "month", "quarter")


@dataclass(frozen=True)
class Period:
    every: str
    key: str  # 2026-10, 2026-W43, 2026-Q4
    start: date
    end: date
    # a week's first day, 0 (Monday, ISO) … 6 (Sunday); a Sunday week is keyed by the
    # ISO week of the Monday inside it (2026-W43: Sunday 10-18 to Saturday 10-24)
    week_start: int = 0

    def label(self, language: str) -> str:
        if self.every == "month":
            y, m = self.key.split("-")
            return f"{y}年{int(m)}月" if language == "zh" else f"{date(int(y), int(m), 1):%B %Y}"
        if self.every == "quarter":
            y, q = self.key.split("-Q")
            return f"{y}年第{q}季度" if language == "zh" else f"Q{q} {y}"
        y, w = self.key.split("-W")
        span = f"{self.start:%m-%d} – {self.end:%m-%d}"
        return (
            f"{y}年第{int(w)}周（{span}）" if language == "zh" else f"Week {int(w)}, {y} ({span})"
        )

    def previous(self) -> Period:
        return period_containing(self.start - timedelta(days=1), self.every, self.week_start)


_KEY = {
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
}


def period_containing(day: date, every: str, week_start: int = 0) -> Period:
    """The calendar period (week, month, quarter) that contains ``day``; a week starts on
    ``week_start`` (0 = Monday, ISO weeks; 6 = Sunday) and is keyed by the ISO week of
    its Monday.

    Raises OverflowError for a period that reaches past the calendar (years 1 and 9999)."""
    if every == "week":
        start = day - timedelta(days=(day.weekday() - week_start) % 7)
        y, w, _ = (start + timedelta(days=-week_start % 7)).isocalendar()
        return Period(every, f"{y:04d}-W{w:02d}", start, start + timedelta(days=6), week_start)
    if every == "month":
        start = day.replace(day=1)
        nxt = (start + timedelta(days=32)).replace(day=1)
        return Period(every, f"{day.year:04d}-{day.month:02d}", start, nxt - timedelta(days=1))
    if every == "quarter":
        q = (day.month - 1) // 3
        start = date(day.year, q * 3 + 1, 1)
        nxt = date(day.year + (q == 3), (q * 3 + 3) % 12 + 1, 1)
        return Period(every, f"{day.year:04d}-Q{q + 1}", start, nxt - timedelta(days=1))
    raise ValueError(msg("report.every", got=every))


_EXAMPLE = {"month": "2026-10", "quarter": "2026-Q4", "week": "2026-W43"}


def parse_period(key: str, every: str | None = None, week_start: int = 0) -> Period:
    """``2026-10`` / ``2026-Q4`` / ``2026-W43`` -> Period, or ValueError with what was
    expected. A week starts on ``week_start`` (its key names the ISO week of its Monday)."""

    key = str(key)
    for kind, rx in _KEY.items():
        m = rx.match(key)
        if not m:
            continue
        if every not in (None, kind):
            raise ValueError(
                msg(
                    "report.kind",
                    every=msg(f"period.{every}"),
                    example=_EXAMPLE[every],
                    key=key[:59] + "…" if len(key) > 60 else key,
                    kind=msg(f"period.{kind}"),
                )
            )
        y, n = int(m.group(1)), int(m.group(2))
        try:
            if kind == "month":
                if not 1 <= n <= 12:
                    break
                found = period_containing(date(y, n, 1), kind)
            elif kind == "quarter":
                found = period_containing(date(y, 3 * n - 2, 1), kind)
            else:
                try:
                    monday = date.fromisocalendar(y, n, 1)
                except ValueError:
                    weeks = date(y, 12, 28).isocalendar()[1] if 1 <= y <= 9999 else 52
                    raise ValueError(
                        msg(
                            "report.iso-week",
                            key=key[:59] + "…" if len(key) > 60 else key,
                            year=y,
                            weeks=weeks,
                        )
                    ) from None
                found = period_containing(monday, kind, week_start)
            found.previous()  # a report compares with the period before
            period_containing(found.end + timedelta(days=1), kind, week_start)
        except (OverflowError, ValueError) as e:
            if isinstance(e, ValueError) and "ISO week" in str(e):
                raise
            raise ValueError(
                msg("report.calendar", key=key[:59] + "…" if len(key) > 60 else key)
            ) from None
        return found
    raise ValueError(msg("report.period", key=key[:59] + "…" if len(key) > 60 else key))


# Generated report pages per plan. A weekly plan over three years is 156 pages; a plan
# whose period starts decades ago would otherwise write thousands (137 s for 1,923).
MAX_REPORT_PAGES = 160


def closed_periods(
    start: date,
    end: date,
    as_of: date | None,
    every: str,
    limit: int | None = None,
    week_start: int = 0,
) -> list[Period]:
    """Calendar periods that overlap ``start``..``end`` and are over by ``as_of`` (weeks
    starting on ``week_start``).

    The period still running at the as-of date is not reported: its numbers are partial.
    With ``limit``, stops once more than ``limit`` periods are found.
    """
    if as_of is None:
        return []
    out: list[Period] = []
    try:
        current = period_containing(start, every, week_start)
        while current.start <= end and current.end <= as_of:
            out.append(current)
            if limit is not None and len(out) > limit:
                break
            current = period_containing(current.end + timedelta(days=1), every, week_start)
    except OverflowError:  # the period at the end of the calendar (9999) is never closed
        pass
    return out


def report_pages_problem(view: PlanView) -> str | None:
    """Why a plan gets no report pages although it asks for them (too many), or None."""
    spec = view.plan.reports
    if spec is None:
        return None
    plan = view.plan
    n = len(
        closed_periods(
            plan.period.start,
            plan.period.end,
            view.as_of,
            spec.every,
            week_start=plan.first_weekday,
        )
    )
    if n <= MAX_REPORT_PAGES:
        return None
    return msg(
        "plan/too-many-reports",
        every=msg(f"period.{spec.every}"),
        start=plan.period.start,
        end=min(plan.period.end, view.as_of or plan.period.end),
        n=n,
        most=MAX_REPORT_PAGES,
    )


def report_pages(view: PlanView) -> list[tuple[str, Period]]:
    """(src_uri, period) of the generated report pages of a plan, newest first."""
    spec = view.plan.reports
    if spec is None:
        return []
    plan = view.plan
    base = view.page.src_uri.rsplit(".", 1)[0]
    if base.endswith("/index") or base == "index":
        base = base[: -len("index")].rstrip("/") or plan.id
    periods = closed_periods(
        plan.period.start,
        plan.period.end,
        view.as_of,
        spec.every,
        limit=MAX_REPORT_PAGES,
        week_start=plan.first_weekday,
    )
    if len(periods) > MAX_REPORT_PAGES:
        return []  # report_pages_problem says why
    return [(f"{base}/reports/{p.key}.md", p) for p in reversed(periods)]


def report_page_source(view: PlanView, period: Period, language: str) -> str:
    """Markdown of a generated report page: a title and the report shortcode.

    The plan's title is text: escaped, it cannot inject Markdown, HTML or a shortcode."""
    import json

    from ..mdtext import escape

    name = view.plan.title or view.page.title or view.plan.id
    short = period.label(language)  # the navigation entry; the page heading names the plan
    title = f"{escape(name)} · {escape(short)}"
    return (
        f"---\ntitle: {json.dumps(short, ensure_ascii=False)}\n---\n\n# {title}\n\n"
        f'{{{{ report(plan="{view.plan.id}", period="{period.key}") }}}}\n'
    )
