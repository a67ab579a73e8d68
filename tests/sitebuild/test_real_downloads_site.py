"""Real builds of what real downloads do (outside test, findings F1, F2, F4, F5): the same
report saved twice, the last days downloaded again, Meta's empty Purchases on a day
without purchases, TikTok's masked "<5". The KPI tables show the true figures, and the
page says what it did. Shapes: the meta-ads and tiktok-ads profiles' sources and
tests/exports; Baidu 计划报告 headers as in tests/exports/baidu-search."""

from __future__ import annotations

from tests.unit.test_row_semantics import META, TIKTOK

GOOGLE = "date,campaign,clicks,spend\n2026-09-01,Brand,120,36.50\n2026-09-02,Brand,80,20.00\n"
WEEK = "".join(f"2026-09-0{d},品牌词,{10 * d}\n" for d in range(1, 8))
AGAIN = "".join(f"2026-09-0{d},品牌词,{10 * d + 1}\n" for d in range(5, 8))


def _plan(pid: str, metrics: str, goals: dict[str, str], currency: str = "CNY") -> str:
    lines = "\n".join(
        f"    - {{id: {g}, statement: {g}, kpi: {k}, baseline: 0, target: 1000000, "
        f"deadline: 2026-09-30}}"
        for g, k in goals.items()
    )
    return (
        f"---\nplan:\n  id: {pid}\n  owner: 张伟\n  status: draft\n  currency: {currency}\n"
        f"  period: {{start: 2026-09-01, end: 2026-09-30}}\n  metrics: [{metrics}]\n"
        f"  goals:\n{lines}\n---\n# {pid}\n\n{{{{ kpi_table() }}}}\n"
    )


def _actual(soup, goal_id: str) -> str:
    row = soup.select_one(f"tr[data-goal='{goal_id}']")
    assert row is not None, goal_id
    return row.find_all("td", recursive=False)[2].strong.get_text(strip=True)


def _problems(soup) -> str:
    box = soup.select_one("article .pb-errors, article .pb-problems")
    return " ".join(box.get_text(" ").split()) if box is not None else ""


def test_real_downloads_show_their_true_figures(build_site) -> None:
    pages = {
        "index.md": "# 数据\n",
        "twice.md": _plan("twice", "data/google/*.csv", {"clicks": "clicks", "spend": "spend"}),
        "again.md": _plan("again", "data/baidu/*.csv", {"clicks": "clicks"}),
        "meta.md": _plan("meta", "data/meta.csv", {"cpa": "cpa", "roi": "roi"}, "USD"),
        "tiktok.md": _plan(
            "tiktok", "data/tiktok.csv", {"clicks": "clicks", "conv": "conversions"}
        ),
    }
    data = {
        "google/Campaign report.csv": GOOGLE,
        "google/Campaign report (1).csv": GOOGLE,
        "baidu/计划报告_0901-0907.csv": "日期,推广计划,点击\n" + WEEK,
        "baidu/计划报告_0905-0907.csv": "日期,推广计划,点击\n" + AGAIN,
        "meta.csv": META,
        "tiktok.csv": TIKTOK,
    }
    built = build_site(pages, data, strict=False)
    assert built.error is None, built.messages
    twice = built.html("twice/index.html")
    assert (_actual(twice, "clicks"), _actual(twice, "spend")) == ("200", "¥56.50")
    assert "内容完全相同" in _problems(twice)  # the copy named on the page
    again = built.html("again/index.html")
    assert _actual(again, "clicks") == str(280 + 183)  # both counted ...
    assert "2026-09-05 – 2026-09-07" in _problems(again)  # ... and said where it shows
    meta = built.html("meta/index.html")
    # CPA 300 / 10 and ROI (1,100 - 300) / 300: the day without purchases counts
    assert (_actual(meta, "cpa"), _actual(meta, "roi")) == ("US$30.00", "266.7%")
    tiktok = built.html("tiktok/index.html")
    assert (_actual(tiktok, "clicks"), _actual(tiktok, "conv")) == ("488", "7")
    said = "\n".join(built.messages)
    assert "[data/masked-number]" in said and "[data/blank-is-zero]" in said
