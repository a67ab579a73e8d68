"""Content items of a plan and how they measure up against its cadence targets.

Items come from two places: copy pages with ``publish: {date, channel, status}`` in
their front matter, and post-list exports (公众号 / 微博 / 小红书 post lists: date,
channel, title, url, status) named in ``plan.content.posts`` and read through the
:class:`~planbook.data.DataStore` like any metric file. Everything here takes the
pages, the data and the day to judge at as arguments; nothing reads the clock.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from ...diagnostics import Diagnostic, Severity
from ...frontmatter import Locations, format_path
from ...messages import msg
from .spec import Cadence, ContentPlan, Publish
from .windows import CadenceCell, CadenceRow, Window, judge, month_of, week_of, windows_of

# The weeks and months live in windows.py; their names stay importable from here.
from .windows import add_months as add_months
from .windows import windows as windows

if TYPE_CHECKING:
    import pandas as pd

    from ...data import DataStore
    from ...model import Plan

# Status words of post-list exports -> the statuses of `publish:`.
STATUS_WORDS: dict[str, str] = {
    "published": "published",
    "publish": "published",
    "live": "published",
    "sent": "published",
    "已发布": "published",
    "已发表": "published",
    "发布成功": "published",
    "已群发": "published",
    "已发送": "published",
    "scheduled": "scheduled",
    "定时": "scheduled",
    "定时发布": "scheduled",
    "待发布": "scheduled",
    "draft": "draft",
    "草稿": "draft",
    "review": "review",
    "in review": "review",
    "审核中": "review",
    "待审核": "review",
    "planned": "planned",
    "计划": "planned",
    "待创作": "planned",
}
OPEN_STATUSES = frozenset({"draft", "review"})
MAX_MONTHS = 12


@dataclass(frozen=True)
class Item:
    """One planned or published piece of content."""

    day: date
    channel: str
    title: str
    status: str  # planned, draft, review, scheduled, published
    page: str | None = None  # src_uri of the copy page
    url: str | None = None  # the post's own address (post lists)
    file: str = ""  # where it is written (a page or a data file)
    line: int | None = None
    overdue: bool = False  # draft or review while its date has passed


_DAY_ORDER = operator.attrgetter("day", "channel", "title")  # a C-level sort key


class DayItems(tuple):
    """Items in ``(day, channel, title)`` order with their days beside them, so the
    cadence table and the calendar bisect to the weeks they show instead of reading
    every item of the plan. Build it with :func:`by_day`; it is immutable, so the
    order and the index cannot drift apart."""

    days: list[date]
    channels: dict[str, tuple[list[date], list[Item]]]

    def published_counts(self, channel: str) -> list[int]:
        """Per position in ``channel``'s items, how many before it are published (one more
        entry for all of them): counted once per channel."""
        counts: dict[str, list[int]] = self.__dict__.setdefault("_published", {})
        found = counts.get(channel)
        if found is None:
            _, listed = self.channels.get(channel, ((), ()))
            found = counts[channel] = [
                0,
                *itertools.accumulate(i.status == "published" for i in listed),
            ]
        return found


def by_day(items: Iterable[Item]) -> DayItems:
    """``items`` sorted by day, channel and title, indexed by day and by channel."""
    out = DayItems(sorted(items, key=_DAY_ORDER))
    out.days = [i.day for i in out]
    channels: dict[str, tuple[list[date], list[Item]]] = {}
    for item in out:
        days, listed = channels.setdefault(item.channel, ([], []))
        days.append(item.day)
        listed.append(item)
    out.channels = channels
    return out


def only_channels(items: DayItems, channels: Iterable[str]) -> DayItems:
    """The items of ``channels`` among ``items``, in the same order and indexed the same
    way (a calendar or cadence table with ``channels=`` bisects like an unfiltered one)."""
    wanted = set(channels)
    out = DayItems(i for i in items if i.channel in wanted)
    out.days = [i.day for i in out]
    out.channels = {ch: ix for ch, ix in items.channels.items() if ch in wanted}
    return out


def publish_of(
    front: dict[str, Any], *, file: str, locations: Locations
) -> tuple[Publish | None, list[Diagnostic]]:
    """A copy page's ``publish:`` mapping, validated (diagnostics name file and line)."""
    from ...validation import validate

    if "publish" not in front:
        return None, []
    publish, diags = validate(
        Publish, front["publish"], file=file, locations=locations, prefix=("publish",)
    )
    return publish, diags


def overdue_diagnostic(
    publish: Publish, *, file: str, locations: Locations, today: date
) -> Diagnostic | None:
    """An info note on a copy page still in draft or review after its publish date."""
    if publish.status not in OPEN_STATUSES or publish.date >= today:
        return None
    path = ("publish", "status")
    late = (today - publish.date).days
    return Diagnostic(
        file,
        locations.line(path),
        format_path(path),
        "content/overdue",
        Severity.INFO,
        msg(
            "content/overdue",
            date=publish.date,
            late=late,
            s="s" if late != 1 else "",
            today=today,
            status=publish.status,
        ),
    )


def page_items(
    pages: Iterable[tuple[str, str, Publish, str | None]], plan: Plan, today: date
) -> list[Item]:
    """Items of ``plan`` among copy pages ``(src_uri, file, publish, title)``: pages that
    name the plan, and pages that name none and fall in its period."""
    out = []
    for src_uri, file, publish, title in pages:
        if publish.plan is not None and publish.plan != plan.id:
            continue
        if publish.plan is None and not plan.period.start <= publish.date <= plan.period.end:
            continue
        out.append(
            Item(
                publish.date,
                publish.channel,
                publish.title or title or src_uri,
                publish.status,
                page=src_uri,
                file=file,
                overdue=publish.status in OPEN_STATUSES and publish.date < today,
            )
        )
    return out


def _texts(frame: pd.DataFrame, name: str) -> list[str] | None:
    """``frame[name]`` as text (``None``: no such column)."""
    if name not in frame.columns:
        return None
    return [str(v) for v in frame[name].to_numpy()]


@dataclass(frozen=True)
class _PostRow:
    """One row of a post list, read: what an :class:`Item` needs, plus its raw status
    when that is not a known status word (``None`` when it is)."""

    day: date
    channel: str
    title: str
    status: str
    url: str | None
    line: int
    unknown: str | None


@dataclass(frozen=True)
class _PostRows:
    """A post-list file read once (per content digest): its rows in file order, and
    their days to select a plan's period with."""

    path: str
    has_channel: bool
    days: np.ndarray  # datetime64[D], one per frame row
    rows: tuple[_PostRow, ...]


# Post lists read, by source key (path, content digest, constants, read options), and a
# plan's items of one of them, by source key, period and the day judged at. Every plan of
# a site usually shares the same post lists: each is read once, not once per plan; a file
# whose content changed has a new digest and is read again. Bounded: least recent out.
_ROWS: dict[tuple, _PostRows] = {}
_ITEMS: dict[tuple, tuple[tuple[Item, ...], tuple[Diagnostic, ...]]] = {}
_KEEP_ROWS = 16
_KEEP_ITEMS = 256
# The same items in day order (post_day_items), with the tuple they were sorted from.
_DAY_ITEMS: dict[tuple, tuple[tuple[Item, ...], DayItems]] = {}


def _remember(cache: dict[tuple, Any], key: tuple, value: Any, keep: int) -> Any:
    cache.pop(key, None)
    cache[key] = value  # most recent last
    while len(cache) > keep:
        del cache[next(iter(cache))]
    return value


def _post_rows(store: DataStore, src: Any) -> _PostRows:
    """The rows of one post-list source, read once per content digest."""
    key = src.key
    kept = _ROWS.get(key)
    if kept is not None:
        return _remember(_ROWS, key, kept, _KEEP_ROWS)
    frame = store.combine([src])
    table = src.table
    if frame.empty or "channel" not in frame.columns:
        # an empty file has no items; one without a channel column is an error per plan
        none = _PostRows(table.path, frame.empty, np.array([], dtype="datetime64[D]"), ())
        return _remember(_ROWS, key, none, _KEEP_ROWS)
    days = frame["date"].to_numpy().astype("datetime64[D]")
    lines = table.lines(np.arange(len(frame))) if len(frame) else []
    # Column values read once (not cell by cell).
    titles, urls, statuses, channels = (
        _texts(frame, name) for name in ("title", "url", "status", "channel")
    )
    channels = channels or []
    rows = []
    for k, (day, line) in enumerate(zip(days.tolist(), lines, strict=True)):
        raw = statuses[k].strip() if statuses is not None else ""
        status = STATUS_WORDS.get(raw.lower(), "published" if not raw else "")
        unknown = None
        if not status:
            unknown = raw
            status = "published"
        url = urls[k].strip() if urls is not None else ""
        title = titles[k].strip() if titles is not None else ""
        rows.append(
            _PostRow(
                day,
                channels[k],
                title or url or table.path,
                status,
                url if url.startswith(("https://", "http://")) else None,
                line,
                unknown,
            )
        )
    return _remember(_ROWS, key, _PostRows(table.path, True, days, tuple(rows)), _KEEP_ROWS)


def _period_items(
    store: DataStore, src: Any, start: date, end: date, today: date
) -> tuple[tuple[Item, ...], tuple[Diagnostic, ...]]:
    """The items of one post-list source in ``start``..``end`` (judged at ``today``) and
    its unknown-status warnings; computed once per source, period and day."""
    key = (src.key, start, end, today)
    kept = _ITEMS.get(key)
    if kept is not None:
        return _remember(_ITEMS, key, kept, _KEEP_ITEMS)
    read = _post_rows(store, src)
    keep = (read.days >= np.datetime64(start)) & (read.days <= np.datetime64(end))
    items: list[Item] = []
    unknown: dict[str, list[int]] = {}
    for k in np.flatnonzero(keep).tolist():
        row = read.rows[k]
        if row.unknown is not None:
            unknown.setdefault(row.unknown, []).append(row.line)
        items.append(
            Item(
                row.day,
                row.channel,
                row.title,
                row.status,
                url=row.url,
                file=read.path,
                line=row.line,
                overdue=row.status in OPEN_STATUSES and row.day < today,
            )
        )
    diags = []
    for raw, where in unknown.items():
        shown = ", ".join(str(x) for x in where[:5]) + (" …" if len(where) > 5 else "")
        diags.append(
            Diagnostic(
                read.path,
                where[0],
                "status",
                "content/unknown-status",
                Severity.WARNING,
                msg(
                    "content/unknown-status",
                    status=raw[:40],
                    s="s" if len(where) > 1 else "",
                    shown=shown,
                ),
            )
        )
    return _remember(_ITEMS, key, (tuple(items), tuple(diags)), _KEEP_ITEMS)


def post_items(
    store: DataStore, spec: ContentPlan, plan: Plan, *, file: str, locations: Locations, today: date
) -> tuple[list[Item], list[Diagnostic]]:
    """Items from the plan's post-list files (through the data layer), in its period, in
    file order.

    Each file is read once per content digest and its items once per period and day
    (plans that share a post list share the work); the plan's own diagnostics (where its
    ``posts:`` entries point) are made for every plan."""
    parts, diags = _post_parts(store, spec, plan, file=file, locations=locations, today=today)
    return [item for _, items in parts for item in items], diags


def post_day_items(
    store: DataStore, spec: ContentPlan, plan: Plan, *, file: str, locations: Locations, today: date
) -> tuple[DayItems, list[Diagnostic]]:
    """:func:`post_items` in day order (:func:`by_day`). A plan with one post list gets
    the ordered items every plan with that list, period and day shares: sorted and
    indexed once, not once per plan (issue 12)."""
    parts, diags = _post_parts(store, spec, plan, file=file, locations=locations, today=today)
    if len(parts) == 1:
        ((key, items),) = parts
        found = _DAY_ITEMS.get(key)
        if found is None or found[0] is not items:
            found = (items, by_day(items))
        return _remember(_DAY_ITEMS, key, found, _KEEP_ITEMS)[1], diags
    return by_day(item for _, items in parts for item in items), diags


def _post_parts(
    store: DataStore, spec: ContentPlan, plan: Plan, *, file: str, locations: Locations, today: date
) -> tuple[list[tuple[tuple, tuple[Item, ...]]], list[Diagnostic]]:
    """The items of each of the plan's post lists in its period, with their key in
    :data:`_ITEMS`, and the plan's diagnostics about the lists."""
    if not spec.posts:
        return [], []
    prefix = ("plan", "content", "posts")
    sources, diags = store.gather(spec.posts, file=file, locations=locations, prefix=prefix)
    parts: list[tuple[tuple, tuple[Item, ...]]] = []
    for i, src in enumerate(sources):
        if not _post_rows(store, src).has_channel:
            path = (*prefix, i)
            diags.append(
                Diagnostic(
                    file,
                    locations.line(path),
                    format_path(path),
                    "content/no-channel",
                    Severity.ERROR,
                    msg("content/no-channel", path=src.table.path),
                )
            )
            continue
        period = (plan.period.start, plan.period.end, today)
        found, warnings = _period_items(store, src, *period)
        parts.append(((src.key, *period), found))
        diags.extend(warnings)
    return parts, diags


# --------------------------------------------------------------------------- cadence


def cadence_rows(
    spec: ContentPlan,
    items: Sequence[Item],
    start: date,
    end: date,
    today: date,
    week_start: int = 0,
    channels: Sequence[str] | None = None,
    last: int | None = None,
) -> list[CadenceRow]:
    """Per cadence target, each week or month of ``start``..``end``: published items
    against ``min``–``max`` (met, short or over once the window has ended). With
    ``last``, only the windows ``[-last:]`` of each row (a table of recent weeks)."""
    targets = [c for c in spec.cadence if not channels or c.channel in channels]
    shown = {
        id(c): windows_of(c.per, start, end, week_start)[slice(-last if last else None, None)]
        for c in targets
    }
    if isinstance(items, DayItems):
        return _indexed_cadence_rows(items, targets, shown, today)
    # Only the items of the targets' channels inside the windows shown can count.
    spans = [(ws[0].start, ws[-1].end) for ws in shown.values() if ws]
    first = min((a for a, _ in spans), default=None)
    final = max((b for _, b in spans), default=None)
    wanted = {c.channel for c in targets}
    by_channel: dict[str, tuple[list[date], list[bool]]] = {}
    inside = [
        i
        for i in items
        if i.channel in wanted and first is not None and first <= i.day <= final  # type: ignore[operator]
    ]
    for item in sorted(inside, key=lambda i: i.day):
        days, out = by_channel.setdefault(item.channel, ([], []))
        days.append(item.day)
        out.append(item.status == "published" and item.day <= today)
    rows = []
    for cad in targets:
        days, out = by_channel.get(cad.channel, ([], []))
        done = [0, *itertools.accumulate(out)]  # published items before each position
        row = CadenceRow(cad)
        for w in shown[id(cad)]:
            lo, hi = bisect.bisect_left(days, w.start), bisect.bisect_right(days, w.end)
            published = done[hi] - done[lo]
            planned = (hi - lo) - published
            row.cells.append(CadenceCell(w, published, planned, judge(cad, published, w, today)))
        rows.append(row)
    return rows


def _indexed_cadence_rows(
    items: DayItems, targets: list[Cadence], shown: dict[int, tuple[Window, ...]], today: date
) -> list[CadenceRow]:
    """:func:`cadence_rows` on day-ordered items: per window, its items are a run of its
    channel's days (two bisections) and the published ones among them up to ``today`` a
    difference of the channel's running count of published items (kept on ``items``,
    which plans sharing a post list share), so no item is read per call."""
    rows = []
    for cad in targets:
        days, _ = items.channels.get(cad.channel, ((), ()))
        done = items.published_counts(cad.channel)
        upto = bisect.bisect_right(days, today)  # items after today are not out yet
        row = CadenceRow(cad)
        for w in shown[id(cad)]:
            lo, hi = bisect.bisect_left(days, w.start), bisect.bisect_right(days, w.end)
            published = done[max(min(hi, upto), lo)] - done[lo]
            planned = (hi - lo) - published
            row.cells.append(CadenceCell(w, published, planned, judge(cad, published, w, today)))
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- calendar


@dataclass
class Day:
    day: date
    in_month: bool
    items: list[Item]
    today: bool = False


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    themes: list[str]


def month_grid(
    first: date,
    items: Sequence[Item],
    today: date,
    week_start: int = 0,
    themes: Sequence[Any] = (),
) -> Month:
    """The weeks of the month starting at ``first`` (full weeks from ``week_start``),
    each day with its items; days of the neighbouring months are marked out of month."""
    month = month_of(first)
    start = week_of(month.start, week_start).start
    end = week_of(month.end, week_start).end
    by_day: dict[date, list[Item]] = {}
    ordered = isinstance(items, DayItems)
    if ordered:  # the month's items are one run of the day-ordered tuple
        lo, hi = bisect.bisect_left(items.days, start), bisect.bisect_right(items.days, end)
        inside: Sequence[Item] = items[lo:hi]
    else:
        inside = [item for item in items if start <= item.day <= end]
    for item in inside:
        by_day.setdefault(item.day, []).append(item)
    weeks: list[list[Day]] = []
    d = start
    while d <= end:
        week = []
        for _ in range(7):
            listed = by_day.get(d, [])
            if not ordered:  # the tuple's days are in (channel, title) order already
                listed = sorted(listed, key=lambda i: (i.channel, i.title))
            week.append(Day(d, month.start <= d <= month.end, listed, d == today))
            d += timedelta(days=1)
        weeks.append(week)
    names = [
        t.name
        for t in themes
        if (t.start is None or t.start <= month.end) and (t.end is None or t.end >= month.start)
    ]
    return Month(month.start, weeks, names)
