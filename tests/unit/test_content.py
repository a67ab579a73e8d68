"""Content cadence and calendar: weeks and months around their edges, cadence judged per
window, post lists through the data layer, publish: validation and overdue copy."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from planbook.data import DataStore
from planbook.frontmatter import Locations, read_front_matter
from planbook.metrics.content.items import (
    Item,
    cadence_rows,
    month_grid,
    overdue_diagnostic,
    post_items,
    publish_of,
    week_of,
    windows,
)
from planbook.metrics.content.spec import ContentPlan, Publish
from planbook.model import Plan

MONDAY, SUNDAY = 0, 6


@pytest.mark.parametrize(
    ("day", "start", "first", "last"),
    [
        (date(2026, 11, 30), MONDAY, date(2026, 11, 30), date(2026, 12, 6)),  # a Monday
        (date(2026, 11, 29), MONDAY, date(2026, 11, 23), date(2026, 11, 29)),  # a Sunday
        (date(2026, 11, 29), SUNDAY, date(2026, 11, 29), date(2026, 12, 5)),
        (date(2026, 12, 31), MONDAY, date(2026, 12, 28), date(2027, 1, 3)),  # over New Year
        (date(2027, 1, 2), SUNDAY, date(2026, 12, 27), date(2027, 1, 2)),
    ],
)
def test_week_of(day: date, start: int, first: date, last: date) -> None:
    w = week_of(day, start)
    assert (w.start, w.end) == (first, last)


def test_windows_cover_the_range_by_week_and_by_month() -> None:
    weeks = windows("week", date(2026, 9, 30), date(2026, 10, 12), MONDAY)
    assert [(w.start, w.end) for w in weeks] == [
        (date(2026, 9, 28), date(2026, 10, 4)),
        (date(2026, 10, 5), date(2026, 10, 11)),
        (date(2026, 10, 12), date(2026, 10, 18)),
    ]
    months = windows("month", date(2027, 1, 31), date(2027, 3, 1), MONDAY)
    assert [(w.start, w.end) for w in months] == [
        (date(2027, 1, 1), date(2027, 1, 31)),
        (date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 3, 31)),
    ]
    leap = windows("month", date(2028, 2, 10), date(2028, 2, 10), MONDAY)
    assert leap[0].end == date(2028, 2, 29)


def _item(day: date, channel: str = "wechat", status: str = "published", **kw: object) -> Item:
    return Item(day, channel, f"t{day}", status, **kw)  # type: ignore[arg-type]


def test_month_grid_edges_with_monday_and_sunday_weeks() -> None:
    items = [_item(date(2026, 10, 31)), _item(date(2026, 11, 1)), _item(date(2026, 12, 1))]
    nov = month_grid(date(2026, 11, 1), items, date(2026, 11, 21), MONDAY)
    # 2026-11-01 is a Sunday: with Monday weeks the grid opens on 2026-10-26.
    assert nov.weeks[0][0].day == date(2026, 10, 26) and not nov.weeks[0][0].in_month
    assert nov.weeks[0][6].day == date(2026, 11, 1) and nov.weeks[0][6].in_month
    assert [i.day for i in nov.weeks[0][6].items] == [date(2026, 11, 1)]
    assert nov.weeks[0][5].items[0].day == date(2026, 10, 31)  # kept, marked out of month
    assert nov.weeks[-1][-1].day == date(2026, 12, 6) and len(nov.weeks) == 6
    assert sum(d.today for w in nov.weeks for d in w) == 1
    sun = month_grid(date(2026, 11, 1), items, date(2026, 11, 21), SUNDAY)
    assert sun.weeks[0][0].day == date(2026, 11, 1) and len(sun.weeks) == 5
    assert sun.weeks[-1][-1].day == date(2026, 12, 5)
    feb = month_grid(date(2027, 2, 1), [], date(2027, 2, 1), MONDAY)  # Feb 2027 starts Monday
    assert len(feb.weeks) == 4 and feb.weeks[0][0].day == date(2027, 2, 1)


def test_cadence_is_judged_per_closed_window() -> None:
    spec = ContentPlan.model_validate(
        {"cadence": [{"channel": "wechat", "per": "week", "min": 2, "max": 3}]}
    )
    days = [date(2026, 11, d) for d in (2, 4, 9, 10, 11, 12, 16, 23, 24, 25)]
    items = [_item(d) for d in days] + [_item(date(2026, 11, 26), status="scheduled")]
    (row,) = cadence_rows(spec, items, date(2026, 11, 2), date(2026, 11, 30), date(2026, 11, 25))
    assert [(c.window.start.day, c.published, c.status) for c in row.cells] == [
        (2, 2, "met"),
        (9, 4, "over"),
        (16, 1, "short"),
        (23, 3, "open"),  # the week of the 25th has not ended
        (30, 0, "future"),
    ]
    assert row.cells[3].planned == 1 and row.met == 1 and len(row.closed) == 3


def test_cadence_last_windows_are_the_tail_of_the_whole_row() -> None:
    """``last`` (the cadence table's recent weeks) judges the same windows the same way."""
    spec = ContentPlan.model_validate(
        {
            "cadence": [
                {"channel": "wechat", "per": "week", "min": 2, "max": 3},
                {"channel": "weibo", "per": "month", "min": 1},
            ]
        }
    )
    days = [date(2026, 10, d) for d in (1, 5, 6, 20, 30)] + [date(2026, 11, 3)]
    items = [_item(d) for d in days] + [_item(date(2026, 11, 9), channel="weibo")]
    args = (spec, items, date(2026, 10, 1), date(2026, 11, 30), date(2026, 11, 10))
    whole = cadence_rows(*args)
    for last in (1, 3, 60):
        tail = cadence_rows(*args, last=last)
        assert [r.cells for r in tail] == [r.cells[-last:] for r in whole]
    (weibo,) = cadence_rows(*args, channels=["weibo"], last=1)
    assert [(c.window.start, c.published) for c in weibo.cells] == [(date(2026, 11, 1), 1)]


def test_cadence_min_above_max_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=r"max \(2\) is below min \(3\)"):
        ContentPlan.model_validate(
            {"cadence": [{"channel": "x", "per": "week", "min": 3, "max": 2}]}
        )


def _front(text: str):
    return read_front_matter(text, "docs/copy/a.md")


@pytest.mark.parametrize(
    ("yaml", "field", "message"),
    [
        ("publish: {date: 2026-13-01, channel: weibo}", "publish.date", "expected an ISO date"),
        (
            "publish: {date: 20261101, channel: weibo}",
            "publish.date",
            "expected an ISO date (YYYY-MM-DD), got 20261101",
        ),
        (
            "publish: {date: 2026-11-01, channel: Weibo}",
            "publish.channel",
            "expected an identifier",
        ),
        (
            "publish: {date: 2026-11-01, channel: weibo, status: done}",
            "publish.status",
            "expected one of 'planned', 'draft', 'review', 'scheduled' or 'published', got 'done'",
        ),
        ("publish: {date: 2026-11-01}", "publish.channel", "required field is missing"),
        ("publish: soon", "publish", "expected a mapping, got 'soon'"),
    ],
)
def test_publish_messages(yaml: str, field: str, message: str) -> None:
    front = _front(f"---\ntitle: A\n{yaml}\n---\n# A\n")
    publish, diags = publish_of(front.data, file="docs/copy/a.md", locations=front.locations)
    assert publish is None
    (d,) = diags
    assert (d.file, d.line, d.field) == ("docs/copy/a.md", 3, field)
    assert d.message.startswith(message), d.message


def test_overdue_draft_is_noted_with_its_line() -> None:
    front = _front(
        "---\ntitle: A\npublish:\n  date: 2026-11-16\n  channel: sem\n  status: draft\n---\n"
    )
    publish, _ = publish_of(front.data, file="a.md", locations=front.locations)
    assert publish is not None
    d = overdue_diagnostic(
        publish, file="a.md", locations=front.locations, today=date(2026, 11, 24)
    )
    assert d is not None and (d.line, d.field, d.rule, d.severity) == (
        6,
        "publish.status",
        "content/overdue",
        "info",
    )
    assert d.message == (
        "publish date 2026-11-16 passed 8 days ago (as of 2026-11-24) and the page is still in "
        "draft: publish it, or move the date"
    )
    assert (
        overdue_diagnostic(
            publish, file="a.md", locations=front.locations, today=date(2026, 11, 16)
        )
        is None
    )
    done = Publish(date=date(2026, 11, 1), channel="x", status="published")
    assert (
        overdue_diagnostic(done, file="a.md", locations=front.locations, today=date(2027, 1, 1))
        is None
    )


PLAN = Plan.model_validate({"id": "p", "period": {"start": "2026-09-01", "end": "2026-11-30"}})


def test_post_list_through_the_data_layer(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "posts.csv").write_text(
        "发布时间,渠道,标题,链接,状态\n"
        "2026-08-31 10:00,weibo,before the plan,https://weibo.com/0,已发布\n"
        "2026-09-05 10:00,weibo,<script>alert(1)</script>,javascript:alert(1),已发布\n"
        "2026-09-06 20:00,wechat,第二篇,https://mp.weixin.qq.com/s/b,审核中\n"
        "2026-09-07 20:00,wechat,第三篇,https://mp.weixin.qq.com/s/c,被删除\n",
        encoding="utf-8",
    )
    store = DataStore(tmp_path, data_dir="data")
    spec = ContentPlan.model_validate({"posts": "data/posts.csv"})
    items, diags = post_items(
        store, spec, PLAN, file="p.md", locations=Locations(), today=date(2026, 9, 10)
    )
    assert [(i.day, i.channel, i.title, i.status, i.url, i.line, i.overdue) for i in items] == [
        (date(2026, 9, 5), "weibo", "<script>alert(1)</script>", "published", None, 3, False),
        (date(2026, 9, 6), "wechat", "第二篇", "review", "https://mp.weixin.qq.com/s/b", 4, True),
        (
            date(2026, 9, 7),
            "wechat",
            "第三篇",
            "published",
            "https://mp.weixin.qq.com/s/c",
            5,
            False,
        ),
    ]
    (d,) = diags
    assert (d.file, d.line, d.rule) == ("data/posts.csv", 5, "content/unknown-status")
    assert d.message == (
        "unknown post status '被删除' (line 5), counted as published; expected one of "
        "published, scheduled, draft, review, planned (or 已发布, 定时发布, 草稿, 审核中)"
    )


def test_post_list_without_a_channel(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mp.csv").write_text("date,title\n2026-09-05,a\n", encoding="utf-8")
    store = DataStore(tmp_path, data_dir="data")
    spec = ContentPlan.model_validate({"posts": ["data/mp.csv"]})
    items, diags = post_items(
        store, spec, PLAN, file="p.md", locations=Locations(), today=date(2026, 9, 10)
    )
    assert items == []
    assert [(d.rule, d.message) for d in diags] == [
        (
            "content/no-channel",
            "'data/mp.csv' has no channel column; add one, or give it with set: "
            "posts: [{path: data/mp.csv, set: {channel: wechat}}]",
        )
    ]
    spec = ContentPlan.model_validate(
        {"posts": [{"path": "data/mp.csv", "set": {"channel": "wechat"}}]}
    )
    items, diags = post_items(
        store, spec, PLAN, file="p.md", locations=Locations(), today=date(2026, 9, 10)
    )
    assert [(i.channel, i.title) for i in items] == [("wechat", "a")] and diags == []


@pytest.mark.parametrize(
    ("cadence", "message"),
    [
        ({"channel": "x", "per": "week", "min": True}, "expected a whole number, got true"),
        ({"channel": "x", "per": "week", "min": 1e400}, "Input should be a finite number"),
        ({"channel": "x", "per": "day", "min": 1}, "Input should be 'week' or 'month'"),
        ({"channel": "x", "per": "week", "min": 10_001}, "less than or equal to 10000"),
        ({"channel": "<b>x</b>", "per": "week", "min": 1}, "String should match pattern"),
    ],
)
def test_hostile_cadence_values_are_refused(cadence: dict, message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=re.escape(message)):
        ContentPlan.model_validate({"cadence": [cadence]})
