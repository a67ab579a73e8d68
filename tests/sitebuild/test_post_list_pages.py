"""Plans sharing one post list (issue 12: the list is read once per content digest and
the calendar and cadence rows are built in Python): each plan page shows its own
period and channels, and hostile titles and addresses stay escaped."""

from __future__ import annotations

PLAN = """\
---
plan:
  id: {id}
  owner: lead
  period: {{start: {start}, end: {end}}}
  as_of: {as_of}
  content:
    cadence:
      - {{channel: weibo, per: week, min: 1}}
      - {{channel: wechat, per: month, min: 1}}
    posts: [data/posts.csv]
---
# {id}

{{{{ cadence_table({cadence}) }}}}

{{{{ content_calendar(start="{month}"{channels}) }}}}
"""

POSTS = """\
发布时间,渠道,标题,链接,状态
2026-10-05 09:00,weibo,"</script><script>alert(1)</script>",https://weibo.com/a,已发布
2026-10-06 09:00,wechat,"two
lines & <b>bold</b>","https://mp.weixin.qq.com/s/b"" onmouseover=""alert(2)",已发布
2026-10-07 09:00,weibo,"引号 "" 与 '单引号'",javascript:alert(3),草稿
2026-11-03 09:00,weibo,十一月,https://weibo.com/d,已发布
2026-11-04 09:00,wechat,十一月公众号,https://mp.weixin.qq.com/s/e,已发布
"""


def _page(id: str, start: str, end: str, as_of: str, month: str, channels: str = "") -> str:
    return PLAN.format(
        id=id,
        start=start,
        end=end,
        as_of=as_of,
        month=month,
        channels=f", channels={channels}" if channels else "",
        cadence=f"channels={channels}" if channels else "",
    )


def test_plans_sharing_a_post_list_show_their_own_items_escaped(build_site) -> None:
    built = build_site(
        {
            "index.md": "# x\n",
            "plans/october.md": _page(
                "october", "2026-10-01", "2026-10-31", "2026-10-08", "2026-10"
            ),
            "plans/weibo.md": _page(
                "weibo", "2026-10-01", "2026-11-30", "2026-11-10", "2026-10", '["weibo"]'
            ),
            "plans/november.md": _page(
                "november", "2026-11-01", "2026-11-30", "2026-11-10", "2026-11"
            ),
        },
        {"posts.csv": POSTS},
        strict=False,
    )
    assert built.error is None, built.messages

    def items(page: str) -> list[tuple[str, str, str]]:
        html = built.html(f"plans/{page}/index.html")
        return [
            (li.find_parent("td")["data-date"], li["data-channel"], li.get_text(" ", strip=True))
            for li in html.select(".pb-calendar__item")
        ]

    october = items("october")
    assert [(d, c) for d, c, _ in october] == [
        ("2026-10-05", "weibo"),
        ("2026-10-06", "wechat"),
        ("2026-10-07", "weibo"),
    ]
    # Titles read as written (markup is text), the newline kept as text.
    assert "</script><script>alert(1)</script>" in october[0][2]
    assert "two\nlines & <b>bold</b>" in october[1][2] or "two lines & <b>bold</b>" in october[1][2]
    assert "引号 \" 与 '单引号'" in october[2][2]
    # The weibo plan's calendar and cadence have weibo only, the November plan November only.
    assert {c for _, c, _ in items("weibo")} == {"weibo"}
    weibo = built.html("plans/weibo/index.html")
    assert [tr["data-channel"] for tr in weibo.select(".pb-cadence tr[data-channel]")] == ["weibo"]
    assert [(d, c) for d, c, _ in items("november")] == [
        ("2026-11-03", "weibo"),
        ("2026-11-04", "wechat"),
    ]
    # The draft is overdue on the October plan (judged 10-08), its link dropped (javascript:).
    html = built.html("plans/october/index.html")
    draft = html.select_one('td[data-date="2026-10-07"] li')
    assert "pb-item--overdue" in draft["class"] and draft.select_one("a") is None
    raw = built.raw("plans/october/index.html")
    assert "<script>alert(1)</script>" not in raw
    assert "<b>bold</b>" not in raw
    assert not html.select("[onmouseover]")
    link = html.select_one('td[data-date="2026-10-06"] a')
    assert link["href"] == 'https://mp.weixin.qq.com/s/b" onmouseover="alert(2)'
    # Every calendar cell is one <td> (nothing broke out of an attribute or element).
    assert len(html.select("td[data-date]")) % 7 == 0
