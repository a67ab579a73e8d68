"""Real builds (issue 10): tables whose columns fit, numbers that explain themselves,
charts in the reader's language with one colour per value, nothing sent off the site."""

from __future__ import annotations

import json

from tests.sitebuild.test_plan_page import CSV

PLAN = """\
---
plan:
  id: cn-plan
  title: 中国计划
  status: review
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/ads.csv, data/crm.csv]
  goals:
    - {id: rev, statement: 收入, kpi: revenue, aggregate: sum, baseline: 0, target: 200000, deadline: 2026-12-31}
---
# 中国计划

{{ channel_table() }}

{{ goal_chart("rev") }}

{{ channel_chart() }}

{{ kpi_trend("ctr", by="channel") }}
"""

# Revenue of a channel without spend (organic search from the CRM export): the ROI total
# cannot count it, and says so.
CRM = "date,channel,revenue\n2026-09-01,seo,250000\n"


def _figures(soup):
    return {
        s["data-pb-chart"]: json.loads(s.get_text()) for s in soup.select("script[data-pb-chart]")
    }


def test_channel_table_reads_first_columns_sorted_by_spend_with_a_note(build_site):
    built = build_site({"plans/cn.md": PLAN}, {"ads.csv": CSV, "crm.csv": CRM})
    assert built.error is None, built.messages
    soup = built.html("plans/cn/index.html")
    table = soup.select_one(".pb-channels table.pb-table.pb-cards")
    # Material's script wraps only table:not([class]); ours has its own scroll container
    assert table.parent["class"] == ["pb-scroll"]
    assert not soup.select(".pb-channels .md-typeset__scrollwrap")
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    more = [th.get_text(strip=True) for th in table.select("thead th.pb-more")]
    assert more == ["点击量", "点击率", "平均点击成本", "转化率"]
    assert [h for h in heads if h not in more] == [
        "渠道",
        "消费",
        "转化数",
        "收入",
        "单次转化成本",
        "投资回报率",
        "花费占比",
    ]
    switch = soup.select_one(".pb-channels .pb-fit__more")
    assert switch.get_text(strip=True) == "显示全部列（另 4 列）"
    assert switch.select_one("input[type=checkbox]")
    # spend: sem ¥1,000, social ¥500, seo none -> that order
    assert [tr["data-channel"] for tr in table.select("tbody tr")] == ["sem", "social", "seo"]
    # one unit per money column: revenue reaches 万, so every revenue cell is in 万
    revenue = [tr.select("td")[heads.index("收入")].get_text() for tr in table.select("tbody tr")]
    assert revenue == ["¥0.60万", "¥0.04万", "¥25.00万"]
    total = table.select_one("tfoot tr")
    assert (
        total.select("td")[heads.index("投资回报率") - 1].get_text() == "326.7%*"
    )  # (6,000 + 400) / (1,000 + 500) - 1, without seo
    note = soup.select_one(".pb-channels .pb-partial").get_text()
    assert (
        "* 合计行的投资回报率只计入收入 · 消费齐全的 2 项；另有 1 项只有其中一部分，未计入。"
        in note
    )


def test_charts_speak_chinese_and_keep_one_colour_per_value(build_site):
    built = build_site(
        {"plans/cn.md": PLAN},
        {"ads.csv": CSV, "crm.csv": CRM},
        options='value_colors: {social: "#07c160", sem: 3}',
    )
    assert built.error is None, built.messages
    raw = built.raw("plans/cn/index.html")
    assert 'src="../../assets/planbook/plotly-locale-zh-cn.js"' in raw
    locale = built.root / "site" / "assets" / "planbook" / "plotly-locale-zh-cn.js"
    assert 'dayMonth: "%-m月%-d日"' in locale.read_text("utf-8")
    figures = _figures(built.html("plans/cn/index.html"))
    for fig in figures.values():
        # the toolbar and the rest of plotly's config come from the loader (its CONFIG)
        assert fig["config"] == {"locale": "zh-CN"}
    goal, bubbles, trend = figures.values()
    assert goal["layout"]["yaxis"]["ticktext"][-1].endswith("万")
    assert goal["layout"]["xaxis"]["hoverformat"] == "%Y年%-m月%-d日"
    bubble = bubbles["data"][0]
    colours = dict(zip(bubble["text"], bubble["marker"]["color"], strict=True))
    assert colours == {"sem": "pb:c2", "social": "#07c160"}
    assert {t["name"]: t["line"]["color"] for t in trend["data"]} == colours


def test_an_english_plan_gets_english_charts(build_site):
    plan = PLAN.replace("  status: review\n", "  status: review\n  language: en\n")
    built = build_site({"plans/cn.md": plan}, {"ads.csv": CSV, "crm.csv": CRM})
    assert built.error is None, built.messages
    soup = built.html("plans/cn/index.html")
    figures = _figures(soup)
    assert {f["config"]["locale"] for f in figures.values()} == {"en-US"}
    goal = next(iter(figures.values()))
    assert goal["layout"]["yaxis"]["ticktext"][-1] == "CN¥300K"  # as the tables write CNY
    assert soup.select_one(".pb-channels .pb-fit__more").get_text(strip=True) == (
        "Show all columns (4 more)"
    )


def test_value_colors_option_names_what_it_expects(build_site):
    built = build_site(
        {"plans/cn.md": PLAN},
        {"ads.csv": CSV, "crm.csv": CRM},
        options="value_colors: {sem: '</script><b>'}",
    )
    assert built.error is not None
    assert (
        "Config value 'plugins': Plugin 'planbook' option 'value_colors': sem：应为调色板序号 "
        "1-12 或 '#07c160' 这样的颜色，实际为 '</script><b>'"
    ) in " ".join([*built.messages, str(built.error)])
    for bad, shown in (("13", "13"), ("true", "True"), ("'red'", "'red'")):
        built = build_site(
            {"plans/cn.md": PLAN}, {"ads.csv": CSV}, options=f"value_colors: {{sem: {bad}}}"
        )
        assert f"实际为 {shown}" in " ".join([*built.messages, str(built.error)])


def test_value_labels_per_language(build_site):
    english = PLAN.replace("  id: cn-plan\n", "  id: en-plan\n  language: en\n")
    options = "value_labels: {seo: {zh: 自然搜索, en: Organic search}, sem: 百度 SEM}"
    built = build_site(
        {"plans/cn.md": PLAN, "plans/en.md": english},
        {"ads.csv": CSV, "crm.csv": CRM},
        options=options,
    )
    assert built.error is None, built.messages
    for page, seo in (("cn", "自然搜索"), ("en", "Organic search")):
        table = built.html(f"plans/{page}/index.html").select_one(".pb-channels tbody")
        names = {tr["data-channel"]: tr.select_one("td").get_text() for tr in table.select("tr")}
        assert names == {"sem": "百度 SEM", "social": "social", "seo": seo}


def test_persona_card_shows_gender_in_the_personas_language(build_site):
    persona = (
        "---\npersona:\n  id: emily\n  name: Emily <b>Parker</b>\n  gender: female\n"
        "  age: 34\n  language: en\n---\n# Emily\n"
    )
    chinese = "---\npersona:\n  id: li\n  name: 李明\n  gender: 男\n---\n# 李明\n"
    built = build_site({"personas/emily.md": persona, "personas/li.md": chinese})
    assert built.error is None, built.messages
    card = built.html("personas/emily/index.html").select_one(".pb-persona")
    facts = dict(zip(*[[x.get_text() for x in card.select(t)] for t in ("dt", "dd")], strict=True))
    assert facts == {"Gender": "female", "Age": "34"}
    assert card.select_one(".pb-persona__name strong").get_text() == "Emily <b>Parker</b>"
    li = built.html("personas/li/index.html").select_one(".pb-persona dl")
    assert [x.get_text() for x in li.select("dt")] == ["性别"]
