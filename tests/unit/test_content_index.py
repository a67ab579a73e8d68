"""The day-ordered item index (:func:`by_day`): the cadence table and the calendar
read the same counts and the same days from it as from a plain list of the items."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.metrics.content.items import (
    DayItems,
    Item,
    by_day,
    cadence_rows,
    month_grid,
    only_channels,
)
from planbook.metrics.content.spec import ContentPlan

BASE = date(2026, 9, 1)
CHANNELS = ["wechat", "weibo", "xhs", "x-1"]
STATUSES = ["planned", "draft", "review", "scheduled", "published"]

items_strategy = st.lists(
    st.builds(
        Item,
        day=st.integers(-40, 160).map(lambda n: BASE + timedelta(days=n)),
        channel=st.sampled_from(CHANNELS),
        title=st.sampled_from(["", "a", "b", "</script>", "同一", "a\nb"]),
        status=st.sampled_from(STATUSES),
    ),
    max_size=60,
)
cadence_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "channel": st.sampled_from([*CHANNELS, "absent"]),
            "per": st.sampled_from(["week", "month"]),
            "min": st.integers(0, 3),
            "max": st.one_of(st.none(), st.integers(3, 5)),
        }
    ),
    min_size=1,
    max_size=4,
)


def _spec(cadence: list[dict]) -> ContentPlan:
    return ContentPlan.model_validate({"cadence": cadence})


def test_by_day_orders_and_indexes() -> None:
    items = [
        Item(date(2026, 9, 3), "weibo", "b", "published"),
        Item(date(2026, 9, 1), "wechat", "z", "planned"),
        Item(date(2026, 9, 3), "wechat", "a", "draft"),
    ]
    out = by_day(items)
    assert isinstance(out, DayItems) and isinstance(out, tuple)
    assert [(i.day.day, i.channel) for i in out] == [(1, "wechat"), (3, "wechat"), (3, "weibo")]
    assert out.days == [i.day for i in out]
    assert out.channels["wechat"] == ([date(2026, 9, 1), date(2026, 9, 3)], [out[0], out[1]])
    assert by_day([]).days == [] and by_day([]).channels == {}


@settings(max_examples=150, deadline=None)
@given(
    items=items_strategy,
    cadence=cadence_strategy,
    start=st.integers(-10, 60),
    length=st.integers(0, 120),
    today=st.integers(-50, 200),
    last=st.one_of(st.none(), st.integers(1, 8)),
    channels=st.one_of(st.none(), st.lists(st.sampled_from(CHANNELS), max_size=2)),
    week_start=st.integers(0, 6),
)
def test_cadence_rows_index_counts_as_the_list_does(
    items: list[Item],
    cadence: list[dict],
    start: int,
    length: int,
    today: int,
    last: int | None,
    channels: list[str] | None,
    week_start: int,
) -> None:
    spec = _spec(cadence)
    first, end = BASE + timedelta(days=start), BASE + timedelta(days=start + length)
    args = (first, end, BASE + timedelta(days=today), week_start, channels, last)
    plain = cadence_rows(spec, items, *args)
    assert cadence_rows(spec, by_day(items), *args) == plain
    # and the list's own order never mattered
    assert cadence_rows(spec, list(reversed(items)), *args) == plain


@settings(max_examples=150, deadline=None)
@given(
    items=items_strategy,
    month=st.integers(-2, 6),
    today=st.integers(-50, 200),
    week_start=st.integers(0, 6),
)
def test_month_grid_index_shows_the_days_the_list_does(
    items: list[Item], month: int, today: int, week_start: int
) -> None:
    y, m = divmod(BASE.month - 1 + month, 12)
    first = date(BASE.year + y, m + 1, 1)
    ordered = by_day(items)
    plain = month_grid(first, list(ordered), BASE + timedelta(days=today), week_start)
    fast = month_grid(first, ordered, BASE + timedelta(days=today), week_start)
    assert fast == plain
    # a list in any order lists each day's items by channel and title, as the index does
    shuffled = month_grid(first, list(reversed(items)), BASE + timedelta(days=today), week_start)
    assert [[[(i.channel, i.title) for i in d.items] for d in w] for w in shuffled.weeks] == [
        [[(i.channel, i.title) for i in d.items] for d in w] for w in fast.weeks
    ]


def test_cadence_index_counts_items_on_the_edges_of_the_windows_shown() -> None:
    """Items on the first and the last day of the shown weeks count; one a day outside does not."""
    spec = _spec([{"channel": "wechat", "per": "week", "min": 1}])
    days = [date(2026, 10, 25), date(2026, 10, 26), date(2026, 11, 8), date(2026, 11, 9)]
    items = [Item(d, "wechat", str(d), "published") for d in days]
    args = (date(2026, 10, 26), date(2026, 11, 8), date(2026, 12, 1), 0, None, 2)
    (row,) = cadence_rows(spec, by_day(items), *args)
    assert [(c.window.start.day, c.published) for c in row.cells] == [(26, 1), (2, 1)]
    assert cadence_rows(spec, by_day(items), *args) == cadence_rows(spec, items, *args)


@settings(max_examples=150, deadline=None)
@given(items=items_strategy, channels=st.lists(st.sampled_from([*CHANNELS, "absent"]), max_size=3))
def test_only_channels_is_the_index_of_the_filtered_items(
    items: list[Item], channels: list[str]
) -> None:
    """``channels=`` on a calendar or cadence table: the filtered items keep the index,
    the same as sorting and indexing the filtered list anew."""
    ordered = by_day(items)
    kept = only_channels(ordered, channels)
    fresh = by_day([i for i in items if i.channel in channels])
    assert isinstance(kept, DayItems)
    assert tuple(kept) == tuple(fresh)
    assert kept.days == fresh.days and kept.channels == fresh.channels
    first = date(2026, 10, 1)
    assert month_grid(first, kept, BASE, 0) == month_grid(first, fresh, BASE, 0)
    spec = _spec([{"channel": ch, "per": "week", "min": 1} for ch in CHANNELS])
    args = (BASE, BASE + timedelta(days=90), BASE + timedelta(days=40), 0, channels or None, 4)
    assert cadence_rows(spec, kept, *args) == cadence_rows(spec, list(fresh), *args)
