"""Real `mkdocs build` of fixture sites: plan pages become KPI, budget, persona, phase,
team and risk sections with the right numbers."""

from __future__ import annotations

import pytest

# Ten days, two channels. Per day: sem 1000 impressions / 50 clicks / ¥100 / 5 conversions /
# ¥600 revenue; social 2000 / 20 / ¥50 / 1 / ¥40. Over all rows CTR = 700 / 30000 = 2.33 %,
# while the mean of the two channels' daily ratios would be 3 %: a ratio-of-sums check.
ROWS = "\n".join(
    f"2026-09-{d:02d},{ch},{imp},{clk},{spend},{conv},{rev}"
    for d in range(1, 11)
    for ch, imp, clk, spend, conv, rev in (
        ("sem", 1000, 50, 100, 5, 600),
        ("social", 2000, 20, 50, 1, 40),
    )
)
CSV = "date,channel,impressions,clicks,spend,conversions,revenue\n" + ROWS + "\n"

PLAN = """\
---
title: 秋季推广
plan:
  id: autumn
  owner: 营销总监
  status: review
  period: {start: 2026-09-01, end: 2026-10-31}
  metrics: [data/ads.csv]
  goals:
    - id: sem-ctr
      statement: 百度 SEM 点击率提升到 6%
      kpi: ctr
      filter: {channel: sem}
      baseline: 0.04
      target: 0.06
      deadline: 2026-09-30
      owner: SEM 优化师
    - id: all-ctr
      statement: 全渠道点击率
      kpi: ctr
      baseline: 0.02
      target: 0.03
      deadline: 2026-10-31
    - id: conversions
      statement: 转化 200 次
      kpi: conversions
      baseline: 0
      target: 200
      deadline: 2026-10-31
    - id: cost-per-fan
      statement: 单次转化成本
      kpi: my-cpa
      baseline: 30
      target: 20
      deadline: 2026-10-31
  kpis:
    - {id: my-cpa, label: 自定义 CPA, formula: spend / conversions, format: currency}
  budget:
    total: 10000
    allocations:
      - {item: sem, share: 0.6, cap: 6500}
      - {item: social, amount: 3000}
      - {item: tech, amount: 1000, spent: 200, label: 技术}
  phases:
    - name: 预热期
      start: 2026-09-01
      end: 2026-09-15
      milestones: [{name: 官宣, date: 2026-09-05, done: true}]
    - {name: 爆发期, start: 2026-09-16, end: 2026-10-31}
  personas:
    - li-ming
    - {id: inline-p, name: 小周, age: 26, city: 成都}
  team:
    - {role: 数据分析师, name: 王芳, duties: 效果监测与优化}
  risks:
    - {id: low, title: 小风险, category: market, likelihood: 1, impact: 2}
    - {id: pr-crisis, title: 负面舆情, category: reputation, likelihood: 3, impact: 5, owner: 公关, mitigation: 舆情监测}
---
# 秋季推广

{{ kpi_table() }}

邮件示例：{{first_name}} 您好。

```
{{ budget_table() }}
```
"""

PERSONA = """\
---
persona:
  id: li-ming
  name: 李明
  age: 30
  city: 上海
  occupation: IT 工程师
  interests: [数码, 健身]
---
# 李明
"""


@pytest.fixture
def site(build_site):
    built = build_site(
        {"index.md": "# Home\n", "plans/autumn.md": PLAN, "personas/li-ming.md": PERSONA},
        {"ads.csv": CSV},
    )
    assert built.error is None, built.messages
    return built


def _goal(soup, goal_id):
    row = soup.select_one(f"tr[data-goal='{goal_id}']")
    assert row is not None, goal_id
    cells = row.find_all("td", recursive=False)
    return {
        "range": cells[1].get_text(" ", strip=True),
        "actual": cells[2].strong.get_text(strip=True),
        "expected": cells[3].select_one(".pb-note").get_text(" ", strip=True),
        "status": cells[4].get_text(strip=True),
        "forecast": cells[5].get_text(strip=True),
    }


def test_goal_rows_have_actual_expected_status(site):
    soup = site.html("plans/autumn/index.html")
    sem = _goal(soup, "sem-ctr")
    # actual 500/10000 = 5.0 %; expected on 2026-09-10: 4 % + 2 % * 9/29 = 4.6 %
    assert sem["actual"] == "5.0%"
    assert sem["expected"] == "应达 4.6%"
    assert sem["status"] == "按计划"
    assert sem["range"] == "4.0% → 6.0%"
    # ratio of sums over both channels, not the mean of daily ratios (which would be 3.0 %)
    assert _goal(soup, "all-ctr")["actual"] == "2.3%"
    assert soup.select_one("tr[data-goal='all-ctr']")["data-status"] == "on_track"
    assert _goal(soup, "conversions")["actual"] == "60"
    # plan formula KPI: 1500 / 60 = 25
    assert _goal(soup, "cost-per-fan")["actual"] == "¥25.00"


def test_budget_section_appended_with_spend_per_item(site):
    soup = site.html("plans/autumn/index.html")
    items = {
        tr["data-item"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("tr[data-item]")
    }
    # one unit per column: planned (and cap) in 万 since the total reaches ¥1万, spent in yuan
    assert [items[k][1] for k in ("sem", "social", "tech")] == [
        "¥0.60万 ¥0.65万",
        "¥0.30万",
        "¥0.10万",
    ]
    assert items["sem"][2] == "¥1,000"
    assert items["social"][2] == "¥500"
    assert items["tech"][2] == "¥200"
    assert "按发票录入" in items["tech"][0]
    # sem ROI = 6000 / 1000 - 1 = 500 %
    assert items["sem"][5].startswith("500.0%")
    headings = [h.get_text(strip=True) for h in soup.select("h2")]
    assert "预算与花费" in headings
    assert "目标与 KPI" not in headings  # placed by the author, not appended


def test_unknown_mustache_and_code_blocks_pass_through(site):
    soup = site.html("plans/autumn/index.html")
    text = soup.get_text()
    assert "{{first_name}}" in text
    assert "{{ budget_table() }}" in soup.select_one("pre").get_text()


def test_personas_phases_team_risks(site):
    soup = site.html("plans/autumn/index.html")
    cards = soup.select(".pb-persona")
    assert [c.select_one(".pb-persona__name strong").get_text(strip=True) for c in cards] == [
        "李明",
        "小周",
    ]
    link = cards[0].select_one("a")["href"]
    assert link == "../../personas/li-ming/"
    levels = [tr["data-level"] for tr in soup.select(".pb-risks tbody tr")]
    assert levels == ["high", "low"]  # sorted by likelihood x impact
    assert soup.select_one("tr.pb-row--current").get_text().count("预热期") == 1
    assert "王芳" in soup.select_one(".pb-team").get_text()
    channel_rows = [tr["data-channel"] for tr in soup.select(".pb-channels tbody tr")]
    assert channel_rows == ["sem", "social"]


def test_persona_page_shows_its_card(site):
    soup = site.html("personas/li-ming/index.html")
    assert soup.select_one(".pb-persona").get_text().count("上海") == 1


def test_reproducible_html(site, build_site):
    first = site.raw("plans/autumn/index.html")
    again = build_site(
        {"index.md": "# Home\n", "plans/autumn.md": PLAN, "personas/li-ming.md": PERSONA},
        {"ads.csv": CSV},
    )
    assert again.raw("plans/autumn/index.html") == first


def test_english_labels_and_currency(build_site):
    plan = PLAN.replace("currency: CNY", "").replace("  owner: 营销总监", "  currency: USD")
    built = build_site(
        {"plans/autumn.md": plan, "personas/li-ming.md": PERSONA},
        {"ads.csv": CSV},
        language="en",
    )
    assert built.error is None, built.messages
    soup = built.html("plans/autumn/index.html")
    assert _goal(soup, "sem-ctr")["status"] == "On track"
    assert _goal(soup, "cost-per-fan")["actual"] == "$25.00"
    assert "Budget and spend" in [h.get_text(strip=True) for h in soup.select("h2")]


def test_serve_rebuild_reuses_parsed_data(tmp_path):
    """`mkdocs serve` keeps the plugin across rebuilds: unchanged CSVs are not parsed again,
    a changed one is."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from tests.conftest import write_site

    write_site(
        tmp_path,
        {
            "plans/autumn.md": PLAN,
            "personas/li-ming.md": PERSONA,
            "other.md": PLAN.replace("id: autumn", "id: autumn-2"),
        },
        {"ads.csv": CSV},
    )
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    build(cfg)
    plugin = cfg.plugins["planbook"]
    assert plugin.project.store.parse_count == 1  # two plans, one file, parsed once
    other_view = plugin.project.evaluate(plugin.project.plans["autumn-2"])
    other_html = plugin.prepared["other.md"]
    edited_view = plugin.project.evaluate(plugin.project.plans["autumn"])
    (tmp_path / "docs/plans/autumn.md").write_text(PLAN + "\nedited\n", "utf-8")
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    build(cfg)
    assert cfg.plugins["planbook"] is plugin
    assert plugin.project.store.parse_count == 1
    # the unchanged plan is not evaluated again; the edited one is
    assert plugin.project.evaluate(plugin.project.plans["autumn-2"]) is other_view
    assert plugin.project.evaluate(plugin.project.plans["autumn"]) is not edited_view
    assert plugin.prepared["other.md"] is other_html  # its sections are not rendered again
    (tmp_path / "data/ads.csv").write_text(
        CSV.replace("2026-09-10,sem,1000", "2026-09-10,sem,2000"), "utf-8"
    )
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    build(cfg)
    assert plugin.project.store.parse_count == 2
    html = (tmp_path / "site/plans/autumn/index.html").read_text("utf-8")
    assert "edited" in html
    cfg.plugins.on_shutdown()


def test_tables_download_as_csv_written_at_build_time(site):
    soup = site.html("plans/autumn/index.html")
    links = [a["href"] for a in soup.select(".pb-export a")]
    assert links == ["autumn-goals.csv", "autumn-channels.csv", "autumn-budget.csv"]
    raw = (site.root / "site/plans/autumn/autumn-goals.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,")  # one UTF-8 BOM, then the header
    goals = raw.decode("utf-8")
    # BOM first (Excel reads UTF-8 Chinese only with it), headers in the page's language,
    # the code kept in the `id` column
    assert goals.startswith("\ufeffid,目标,KPI,基线,目标值,实际,进度,应达,状态,截止预测,")
    sem = next(line for line in goals.splitlines() if line.startswith("sem-ctr,"))
    assert sem.split(",")[5] == "0.05" and sem.split(",")[8] == "按计划"
    budget = (site.root / "site/plans/autumn/autumn-budget.csv").read_bytes().decode("utf-8")
    assert budget.startswith("\ufeffid,项目,占比,计划,上限,已花费,花费来源,预算使用,剩余,")
    assert (
        "\r\nsem,sem,0.6,6000,6500,1000,指标数据,0.166666666666667,5000,0.163934426229508,否,否,"
        in budget
    )
    assert "\r\ntech,技术,0.1,1000,,200,按发票录入," in budget


def test_search_index_has_the_words_not_the_number_tables(site):
    import json

    index = json.loads((site.root / "site/search/search_index.json").read_text("utf-8"))
    docs = [d["text"] for d in index["docs"] if d["location"].startswith("plans/autumn/")]
    text = " ".join(docs).replace("\u200b", "")  # jieba's word marks, when it is installed
    assert "负面舆情" in text and "王芳" in text  # risks and team are searchable
    # the goals table gives its statements and the line under each, not its figures
    assert "百度 SEM 点击率提升到 6%" in text and "转化 200 次" in text
    assert "负责人：SEM 优化师" in text
    assert "PBSLOT" not in text and "应达" not in text and "基线" not in text
    html = site.raw("plans/autumn/index.html")
    assert "4.0% → 6.0%" in html and "4.0%" not in text and "6.0%" not in text
    assert "<!--PBSLOT" not in html and "PBHEAD" not in html


def test_search_sections_off_keeps_every_section_out_of_the_index(build_site):
    built = build_site(
        {"plans/autumn.md": PLAN, "personas/li-ming.md": PERSONA},
        {"ads.csv": CSV},
        options="search_sections: false",
    )
    import json

    index = json.loads((built.root / "site/search/search_index.json").read_text("utf-8"))
    docs = [d["text"] for d in index["docs"] if d["location"].startswith("plans/autumn/")]
    text = " ".join(docs).replace("\u200b", "")
    assert "负面舆情" not in text
    assert "负面舆情" in built.raw("plans/autumn/index.html")
