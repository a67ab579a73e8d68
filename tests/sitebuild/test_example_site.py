"""The example site in content/ and data/ builds strictly and shows what it promises."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("example-site")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out), strict=True)
        cfg.plugins.on_startup(command="build", dirty=False)
        build(cfg)
        cfg.plugins.on_shutdown()
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    assert [r.getMessage() for r in records] == []
    return out


def html(site: Path, uri: str) -> BeautifulSoup:
    return BeautifulSoup((site / uri).read_text("utf-8"), "html.parser")


def test_front_page_lists_every_plan_with_totals(example):
    soup = html(example, "index.html")
    plans = [tr["data-plan"] for tr in soup.select(".pb-portfolio tbody tr")]
    assert plans == ["spring-launch-2027", "us-holiday-2026"]
    totals = {
        tr["data-currency"]: tr.select("td.pb-num")[0].get_text() for tr in soup.select("tfoot tr")
    }
    assert totals == {"CNY": "¥100.00万", "USD": "US$15.00万"}


def test_generated_reports_are_in_the_navigation(example):
    soup = html(example, "plans/spring-launch-2027/index.html")
    assert "reports/2026-09/" in {a["href"] for a in soup.select("nav a")}
    report = html(example, "plans/spring-launch-2027/reports/2026-09/index.html")
    assert "../2026-10/" in {a["href"] for a in report.select("nav a")}
    assert report.select_one(".pb-report")["data-period"] == "2026-09"
    assert (example / "plans/us-holiday-2026/reports/2026-W46/index.html").exists()
    # November is still running at the as-of date 2026-11-21: no report yet
    assert not (example / "plans/spring-launch-2027/reports/2026-11").exists()


def test_every_section_and_chart_is_on_the_chinese_plan(example):
    soup = html(example, "plans/spring-launch-2027/index.html")
    for cls in (
        "pb-summary",
        "pb-goals",
        "pb-channels",
        "pb-budget",
        "pb-personas",
        "pb-phases",
        "pb-team",
        "pb-risks",
        "planbook-review",
        "pb-reports",
    ):
        assert soup.select_one(f".{cls}") is not None, cls
    kinds = {d["data-pb-kind"] for d in soup.select("[data-pb-kind]")}
    assert {
        "goal_charts",
        "channel_chart",
        "kpi_trend",
        "funnel_chart",
        "budget_chart",
        "timeline_chart",
        "risk_matrix",
    } <= kinds
    assert (example / "plans/spring-launch-2027/spring-launch-2027-goals.csv").exists()
    assert (example / "assets/planbook/plotly.min.js").exists()


def test_review_overview_lists_copy_pages(example):
    soup = html(example, "review/index.html")
    text = soup.get_text()
    for title in ("小红书", "微博", "Holiday"):
        assert title in text


def test_plan_sections_in_the_navigation_carry_the_plan_titles(example):
    soup = html(example, "plans/spring-launch-2027/reports/2026-10/index.html")
    sections = [s.get_text(" ", strip=True) for s in soup.select("nav div.md-nav__container")]
    assert "青岚 Q3 智能空气净化器 · 2027 春季上市计划" in sections  # not "Spring launch 2027"
    assert "报告" in [s.get_text(" ", strip=True) for s in soup.select("nav label.md-nav__link")]
    us = html(example, "plans/us-holiday-2026/reports/2026-W46/index.html")
    labels = [s.get_text(" ", strip=True) for s in us.select("nav label.md-nav__link")]
    # the English plan's reports section is in English; content/reports/ reads in the
    # site's language like every folder section
    assert labels.count("Reports") == 1 and "报告" in labels


def test_review_overview_summarises_and_puts_open_findings_first(example):
    soup = html(example, "review/index.html")
    summary = soup.select_one(".planbook-review-summary").get_text()
    assert summary.startswith("9 个页面：0 个阻止发布，19 个待处理问题")
    rows = soup.select(".planbook-review-index tbody tr")
    counts = [int(tr.select("td")[2]["data-value"]) for tr in rows]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    statuses = {tr.select("td")[1].get_text(strip=True) for tr in rows}
    assert statuses <= {"草稿", "审核中", "已批准", "执行中", "已结束", "—"}
    # the offending words are marked, rule ids kept whole
    first = rows[0].select("td")[2]
    assert first.select("mark") and all("/" in c.get_text() for c in first.select("code"))
    assert soup.select_one(".planbook-review-index th.pb-more").get_text() == "豁免（批准人）"


def test_no_label_key_reaches_a_page(example):
    """Every UI label has a text in both languages: no raw key (``section.plan_quality``)
    is shown anywhere on the example site."""
    from planbook.i18n import LABELS

    namespaces = {key.split(".", 1)[0] for lang in LABELS.values() for key in lang}
    pattern = re.compile(r"\b(?:" + "|".join(sorted(namespaces)) + r")\.[a-z_]+\b")
    leaked = {}
    for page in example.rglob("*.html"):
        text = html(example, str(page.relative_to(example))).get_text(" ")
        found = pattern.findall(text)
        if found:
            leaked[str(page.relative_to(example))] = sorted(set(found))[:5]
    assert not leaked, leaked


def test_report_shows_no_empty_channel_column_and_explains_partial_totals(example):
    report = html(example, "plans/spring-launch-2027/reports/2026-10/index.html")
    table = report.select(".pb-report table")[1]
    headers = [th.get_text() for th in table.select("thead th")]
    # Spend (ad exports) and new customers / revenue (orders.csv) come from different
    # files: CAC and ROI are sum/sum per channel, not a column of dashes.
    assert headers[:5] == ["渠道", "消费", "转化数", "收入", "获客成本"]
    for i in range(1, len(headers)):  # every column shown has a value somewhere
        cells = [tr.select("td")[i].get_text() for tr in table.select("tbody tr")]
        assert set(cells) != {"—"}, headers[i]
    roi = headers.index("投资回报率")
    by_channel = {
        tr.select_one("td").get_text(): tr.select("td")[roi].get_text()
        for tr in table.select("tbody tr")
    }
    assert by_channel["百度 SEM"] == "0.5%" and by_channel["抖音"] == "-60.2%"
    assert by_channel["微信"] == "186.5%" and by_channel["KOL / CPS"] == "85.5%"
    total = {h: td.get_text() for h, td in zip(headers[1:], table.select("tfoot td"), strict=True)}
    assert total["投资回报率"] == "52.1%*"
    note = report.select_one(".pb-report .pb-partial").get_text()
    assert "合计行的投资回报率只计入收入 · 消费齐全的 4 项；另有 6 项" in note


def test_report_phase_target_reads_short(example):
    report = html(example, "plans/spring-launch-2027/reports/2026-10/index.html")
    notes = [s.select("span") for s in report.select(".pb-phase-target")]
    assert notes and all(len(n) == 3 for n in notes)  # label | value | date: unbreakable parts
    first = [s.get_text() for s in notes[0]]
    assert first == ["阶段目标", "4,700 ·", "10月15日 ✔"]  # the report's year is not repeated
    week = html(example, "plans/us-holiday-2026/reports/2026-W46/index.html")
    dates = [s.select("span")[2].get_text() for s in week.select(".pb-phase-target")]
    assert dates and all(re.match(r"^[A-Z][a-z]{2} \d{1,2}( [✔✘])?$", d) for d in dates), dates


def test_chinese_plan_names_platforms_and_channels_not_their_codes(example):
    soup = html(example, "plans/spring-launch-2027/index.html")
    notes = " ".join(s.get_text() for s in soup.select(".pb-goals small.pb-note"))
    assert "巨量引擎" in notes and "腾讯广告" in notes
    for code in ("baidu", "oceanengine", "tencent-ads", "crm,", "cps"):
        assert code not in notes, code
    chips = {c.get_text() for c in soup.select(".pb-calendar .pb-chip")}
    assert "短信" in chips and "sms" not in chips


def test_every_money_axis_has_three_ticks_or_more(example):
    # the US cost-per-purchase goal chart had the one tick $30 (ticks of 0-40, axis 27-37)
    import json

    seen = 0
    for plan in ("spring-launch-2027", "us-holiday-2026"):
        soup = html(example, f"plans/{plan}/index.html")
        for script in soup.select("script[data-pb-chart]"):
            fig = json.loads(script.string)
            for key, ax in fig["layout"].items():
                if key.startswith(("xaxis", "yaxis")) and isinstance(ax, dict) and "ticktext" in ax:
                    seen += 1
                    assert len(ax["ticktext"]) >= 3, (plan, key, ax["ticktext"])
    assert seen >= 6


def test_english_chart_titles_read_as_sentences(example):
    soup = html(example, "plans/us-holiday-2026/index.html")
    titles = [f.get_text() for f in soup.select("figcaption.pb-chart__title")]
    assert "Channel efficiency: spend and revenue" in titles, titles


def test_attribution_tables_use_one_format_per_column(example):
    soup = html(example, "plans/spring-launch-2027/attribution/index.html")
    conv = soup.select_one("table.pb-attr-conversions")
    first = [td.get_text() for td in conv.select('td[data-model="first_touch"]')]
    assert first and all(re.fullmatch(r"[\d,]+", v) for v in first), first  # whole: no ".0"
    revenue = soup.select_one("table.pb-attr-revenue")
    for model in {td["data-model"] for td in revenue.select("td[data-model]")}:
        cells = [td.contents[0].strip() for td in revenue.select(f'td[data-model="{model}"]')]
        # one unit and two decimals in the column: ¥5.30万 under ¥9.74万, not ¥5.3万
        assert all(re.fullmatch(r"¥\d+\.\d\d万", c) for c in cells), (model, cells)


def test_one_colon_per_language_in_labels(example):
    # "计划周期: …" and "负责人: …" beside "平台：…" in one line of a Chinese page
    zh = html(example, "plans/spring-launch-2027/index.html")
    meta = zh.select_one(".pb-summary")
    text = " ".join(s.get_text() for s in zh.select(".pb-goals small.pb-note"))
    text += " " + meta.get_text() + " " + zh.select_one(".pb-ab-hypothesis").get_text()
    assert "负责人：" in text and "负责人: " not in text and "假设: " not in text
    en = html(example, "plans/us-holiday-2026/index.html")
    assert "Owner: Head of Growth (US)" in en.get_text()


def test_spring_plan_channel_table_has_roi_from_ad_exports_and_orders(example):
    """Spend comes from the ad exports, revenue from orders.csv: ROI per channel is
    sum/sum across the files (it was "—" for every channel but KOL)."""
    table = html(example, "plans/spring-launch-2027/index.html").select_one(".pb-channels")
    heads = [th.get_text() for th in table.select("thead th")]
    col = heads.index("投资回报率")
    roi = {tr["data-channel"]: tr.select("td")[col].get_text() for tr in table.select("tbody tr")}
    assert {k: roi[k] for k in ("kol", "sem", "douyin", "wechat")} == {
        "kol": "115.4%",
        "sem": "4.8%",
        "douyin": "-46.4%",
        "wechat": "242.0%",
    }
    assert table.select("tfoot td")[col - 1].get_text() == "67.8%*"


def test_the_us_plans_calendar_and_weekly_reports_start_weeks_on_sunday(example):
    """The calendar's weeks started on Sunday (content.week_start) and the weekly reports
    on Monday (ISO) (outside reading, stop 31): one week for both."""
    from datetime import date

    plan = html(example, "plans/us-holiday-2026/index.html")
    heads = [th.get_text() for th in plan.select(".pb-calendar")[0].select("thead th")]
    assert heads[0] == "Sun"
    reports = sorted((example / "plans/us-holiday-2026/reports").glob("2026-W*/index.html"))
    assert len(reports) >= 4
    for page in reports:
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        key = soup.select_one(".pb-report")["data-period"]
        span = re.search(r"\((\d\d)-(\d\d) – (\d\d)-(\d\d)\)", soup.h1.get_text())
        assert span, soup.h1.get_text()
        start = date(int(key[:4]), int(span[1]), int(span[2]))
        assert start.strftime("%a") == heads[0], (key, start)
        assert start.isocalendar()[1] + 1 == int(key[-2:])  # the Sunday before ISO week


@pytest.mark.parametrize(
    ("uri", "lang"),
    [
        ("index.html", "zh"),
        ("plans/spring-launch-2027/index.html", "zh"),
        ("plans/spring-launch-2027/reports/2026-10/index.html", "zh"),
        ("plans/us-holiday-2026/index.html", "en"),
        ("plans/us-holiday-2026/reports/2026-W45/index.html", "en"),
        ("personas/emily-parker/index.html", "en"),
        ("copy/us-holiday-email/index.html", "en"),
        ("copy/weibo-launch/index.html", "zh"),
    ],
)
def test_a_pages_html_lang_is_its_own_language(example, uri, lang):
    """The English plan of the Chinese example said <html lang="zh"> (Material's language
    is the site's): screen readers and the browser's translator read it."""
    soup = html(example, uri)
    assert soup.html["lang"] == lang
    assert (example / uri).read_text("utf-8").count("<html") == 1
