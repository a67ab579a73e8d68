"""The weeks and months a plan's content is counted in (:class:`Window`: a week from the
plan's first weekday, or a calendar month), and a cadence target's verdict on one window
(met, short, over, open, future) as the cadence table's cells and rows hold it. What is
counted (the items, the table, the month calendar) is :mod:`.items`."""

from __future__ import annotations

import calendar as _calendar
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta

from .spec import Cadence


@dataclass(frozen=True)
class Window:
    """One week (starting on ``week_start``) or calendar month."""

    start: date
    end: date

    @property
    def key(self) -> str:
        return self.start.isoformat()


def week_of(day: date, week_start: int) -> Window:
    """The week containing ``day``; ``week_start`` 0 = Monday … 6 = Sunday."""
    start = day - timedelta(days=(day.weekday() - week_start) % 7)
    return Window(start, start + timedelta(days=6))


def month_of(day: date) -> Window:
    last = _calendar.monthrange(day.year, day.month)[1]
    return Window(day.replace(day=1), day.replace(day=last))


def windows(per: str, start: date, end: date, week_start: int) -> list[Window]:
    """The weeks or months that overlap ``start``..``end``, in order."""
    return list(windows_of(per, start, end, week_start))


@functools.lru_cache(maxsize=256)
def windows_of(per: str, start: date, end: date, week_start: int) -> tuple[Window, ...]:
    """:func:`windows`, once per arguments (plans share periods, cadences their windows)."""
    out: list[Window] = []
    w = week_of(start, week_start) if per == "week" else month_of(start)
    while w.start <= end:
        out.append(w)
        nxt = w.end + timedelta(days=1)
        w = week_of(nxt, week_start) if per == "week" else month_of(nxt)
    return tuple(out)


@dataclass
class CadenceCell:
    window: Window
    published: int
    planned: int  # planned, draft, review or scheduled (not yet out)
    status: str  # met, short, over, open (the window has not ended), future

    @property
    def count(self) -> int:
        return self.published


@dataclass
class CadenceRow:
    cadence: Cadence
    cells: list[CadenceCell] = field(default_factory=list)

    @property
    def closed(self) -> list[CadenceCell]:
        return [c for c in self.cells if c.status in ("met", "short", "over")]

    @property
    def met(self) -> int:
        return sum(c.status == "met" for c in self.closed)


def judge(cadence: Cadence, published: int, window: Window, today: date) -> str:
    if window.start > today:
        return "future"
    low, high = cadence.min, cadence.max
    if window.end >= today:
        return "over" if high is not None and published > high else "open"
    if published < low:
        return "short"
    if high is not None and published > high:
        return "over"
    return "met"


def add_months(first: date, n: int) -> date:
    y, m = divmod(first.month - 1 + n, 12)
    return date(first.year + y, m + 1, 1)
