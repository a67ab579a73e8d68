"""Post lists read once per content digest (issue 12): plans that share a post list
share the reading, never each other's items, and an edited file is read again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planbook.data import DataStore
from planbook.frontmatter import Locations
from planbook.metrics.content.items import by_day, post_day_items, post_items
from planbook.metrics.content.spec import ContentPlan
from planbook.model import Plan

POSTS = (
    "发布时间,渠道,标题,链接,状态\n"
    "2026-08-31 10:00,weibo,八月,https://weibo.com/0,已发布\n"
    "2026-09-05 10:00,weibo,九月,https://weibo.com/1,草稿\n"
    "2026-10-05 10:00,wechat,十月,https://mp.weixin.qq.com/s/2,被删除\n"
    "2026-11-05 10:00,weibo,十一月,https://weibo.com/3,已发布\n"
)
SPEC = ContentPlan.model_validate({"posts": ["data/posts.csv"]})


def _plan(start: str, end: str) -> Plan:
    return Plan.model_validate({"id": "p", "period": {"start": start, "end": end}})


def _items(store: DataStore, plan: Plan, today: date, file: str = "p.md"):
    return post_items(store, SPEC, plan, file=file, locations=Locations(), today=today)


@pytest.fixture
def store(tmp_path: Path) -> DataStore:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "posts.csv").write_text(POSTS, encoding="utf-8")
    return DataStore(tmp_path, data_dir="data")


def test_plans_with_other_periods_and_days_get_their_own_items(store: DataStore) -> None:
    autumn, _ = _items(store, _plan("2026-09-01", "2026-10-31"), date(2026, 9, 10))
    late, diags = _items(store, _plan("2026-10-01", "2026-12-31"), date(2026, 11, 30))
    again, _ = _items(store, _plan("2026-09-01", "2026-10-31"), date(2026, 9, 1))
    assert [i.title for i in autumn] == ["九月", "十月"]
    assert [i.title for i in late] == ["十月", "十一月"]
    # The same period judged on another day: the draft is not overdue yet.
    assert [i.overdue for i in autumn] == [True, False]
    assert [i.overdue for i in again] == [False, False]
    # The unknown status is reported for the plans whose period has its row only.
    assert [(d.rule, d.line) for d in diags] == [("content/unknown-status", 4)]
    spring, none = _items(store, _plan("2027-01-01", "2027-06-30"), date(2027, 1, 5))
    assert spring == [] and none == []


def test_a_plans_list_is_its_own(store: DataStore) -> None:
    """Changing one plan's list (the calendar filters it) leaves the next plan's whole."""
    plan = _plan("2026-09-01", "2026-12-31")
    first, _ = _items(store, plan, date(2026, 9, 10))
    first.clear()
    second, _ = _items(store, plan, date(2026, 9, 10))
    assert [i.title for i in second] == ["九月", "十月", "十一月"]


def test_the_file_is_read_once_for_every_plan(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    # content no other test has (reading is kept per content digest, in the process)
    text = POSTS + f"2026-11-06 10:00,weibo,{tmp_path.name},https://weibo.com/4,已发布\n"
    (tmp_path / "data" / "posts.csv").write_text(text, encoding="utf-8")
    store = DataStore(tmp_path, data_dir="data")
    calls = []
    combine = store.combine

    def counted(sources, **kw):
        calls.append([s.table.path for s in sources])
        return combine(sources, **kw)

    monkeypatch.setattr(store, "combine", counted)
    for k in range(5):
        _items(store, _plan("2026-09-01", f"2026-1{k % 3}-28"), date(2026, 9, 10), f"p{k}.md")
    assert calls == [["data/posts.csv"]]


def test_an_edited_post_list_is_read_again(store: DataStore, tmp_path: Path) -> None:
    plan = _plan("2026-09-01", "2026-12-31")
    before, _ = _items(store, plan, date(2026, 9, 10))
    assert "十一月" in [i.title for i in before]
    path = tmp_path / "data" / "posts.csv"
    path.write_text(POSTS.replace("十一月", "十一月改").replace("草稿", "已发布"), "utf-8")
    after, _ = _items(DataStore(tmp_path, data_dir="data"), plan, date(2026, 9, 10))
    assert [i.title for i in after] == ["九月", "十月", "十一月改"]
    assert [i.status for i in after] == ["published", "published", "published"]


def test_the_no_channel_error_names_each_plans_page(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "posts.csv").write_text("date,title\n2026-09-05,a\n", "utf-8")
    store = DataStore(tmp_path, data_dir="data")
    plan = _plan("2026-09-01", "2026-12-31")
    files = [_items(store, plan, date(2026, 9, 10), f)[1][0].file for f in ("a.md", "b.md")]
    assert files == ["a.md", "b.md"]


def test_day_ordered_items_are_shared_by_plans_with_the_same_list(tmp_path: Path) -> None:
    """post_day_items: the items of post_items in day order, sorted and indexed once for
    every plan with the same list, period and day (issue 12); another day is its own."""
    (tmp_path / "data").mkdir()
    # rows out of day order, so the sort shows; content of this test only
    text = POSTS + f"2026-09-02 10:00,wechat,{tmp_path.name},https://weibo.com/9,已发布\n"
    (tmp_path / "data" / "posts.csv").write_text(text, "utf-8")
    store = DataStore(tmp_path, data_dir="data")
    plan = _plan("2026-09-01", "2026-12-31")

    def ordered(today: date, file: str = "p.md"):
        return post_day_items(store, SPEC, plan, file=file, locations=Locations(), today=today)

    first, diags = ordered(date(2026, 9, 10))
    listed, _ = _items(store, plan, date(2026, 9, 10))
    assert tuple(first) == tuple(by_day(listed))
    assert [i.title for i in first] == [tmp_path.name, "九月", "十月", "十一月"]
    assert [i.title for i in listed] == ["九月", "十月", "十一月", tmp_path.name]  # file order
    again, again_diags = ordered(date(2026, 9, 10), "q.md")
    assert again is first and again_diags == diags
    other, _ = ordered(date(2026, 9, 1))
    assert other is not first and [i.overdue for i in other] == [False] * 4
