"""Bad and hostile inputs for the message catalogue (issue 10): each case is a tiny site
whose check must say every problem in Chinese. Together with tests/hostile/cases.py they
reach the messages users meet; tests/messages/test_messages.py runs them."""

from __future__ import annotations

CSV = """\
date,channel,impressions,clicks,conversions,spend,revenue
2026-09-01,sem,1000,50,5,100,400
2026-09-02,sem,1000,60,6,100,500
2026-09-01,social,2000,40,2,50,100
2026-09-02,social,2000,30,3,50,200
"""

GOAL = (
    "    - {id: ctr, statement: 点击率从 5% 提升到 6%, kpi: ctr, baseline: 0.05, target: 0.06, "
    "deadline: 2026-12-31, owner: 王芳}\n"
)


def plan(extra: str = "", *, goals: str = GOAL, body: str = "", head: str = "") -> str:
    """A valid Chinese plan; ``extra`` goes into `plan:`, ``head`` before it."""
    return (
        f"---\n{head}plan:\n  id: p\n  owner: 总监\n  status: draft\n"
        "  period: {start: 2026-09-01, end: 2026-12-31}\n"
        "  metrics: [data/ads.csv]\n"
        f"  goals:\n{goals}{extra}---\n# 计划\n\n{body}\n"
    )


def _goal(**fields: str) -> str:
    base = {
        "id": "g",
        "statement": "点击量从 0 提升到 100",
        "kpi": "clicks",
        "baseline": "0",
        "target": "100",
        "deadline": "2026-12-31",
        "owner": "王芳",
    }
    base.update(fields)
    return "    - {" + ", ".join(f"{k}: {v}" for k, v in base.items()) + "}\n"


# name -> (pages, data files)
CASES: dict[str, tuple[dict[str, str], dict[str, str | bytes]]] = {
    # -- metric files
    "csv-bad-values": (
        {"p.md": plan()},
        {
            "ads.csv": CSV + "2026-09-03,sem,abc,1,1,1,1\n2026-13-45,sem,1,1,1,1,1\n"
            "2026-09-04,sem,1e400,1,1,1,1\n2026-09-05,sem,1,1\n,,,,,,\n合计,,9,9,9,9,9\n"
            ",sem,1,1,1,1,1\n"
        },
    ),
    "csv-unclosed-quote": ({"p.md": plan()}, {"ads.csv": CSV + '2026-09-03,"sem,1,1,1,1,1\n'}),
    "csv-shapes": (
        {"p.md": plan("  metrics: [data/a.csv, data/b.csv, data/c.csv, data/d.csv]\n")},
        {
            "ads.csv": CSV,
            "a.csv": "",
            "b.csv": "date,clicks\n",
            "c.csv": "day_of,clicks,clicks\nx,1,2\n",
            "d.csv": "Report\nExported 2026\ndate,clicks\n2026-09-01,1\n\nTotal,1\n",
        },
    ),
    "csv-decimal": (
        {"p.md": plan()},
        {
            "ads.csv": "date;channel;clicks;spend\n2026-09-01;sem;1,5;2.5\n2026-09-02;sem;1.000,5;3,25\n"
        },
    ),
    "csv-ambiguous-grouping": (
        {"p.md": plan()},
        {"ads.csv": "date;channel;clicks\n2026-09-01;sem;1,234\n2026-09-02;sem;2,345\n"},
    ),
    "csv-outside-period": (
        {"p.md": plan()},
        {"ads.csv": CSV + "2028-01-01,sem,1,1,1,1,1\n2020-01-01,sem,1,1,1,1,1\n"},
    ),
    "csv-encoding": (
        {"p.md": plan("  metrics: [{path: data/ads.csv, encoding: klingon}]\n")},
        {"ads.csv": CSV},
    ),
    "csv-undecodable": ({"p.md": plan()}, {"ads.csv": b"date,clicks\n2026-09-01,\xff\xfe\x80\n"}),
    "paths": (
        {
            "p.md": plan(
                "  metrics: ['', /etc/passwd, data/../x.csv, elsewhere/x.csv, data/nope.csv, "
                "data/*.json, data/sub, data/x.json]\n"
            )
        },
        {"ads.csv": CSV, "sub/a.csv": CSV, "x.json": "{}"},
    ),
    "profile-unknown": (
        {"p.md": plan("  metrics: [{path: data/ads.csv, profile: nope}]\n")},
        {"ads.csv": CSV},
    ),
    "overlapping-files": (  # the last days downloaded again beside the first download
        {"p.md": plan("  metrics: [data/week*.csv]\n")},
        {
            "week1.csv": "date,channel,clicks\n2026-09-01,sem,1\n2026-09-02,sem,2\n",
            "week2.csv": "date,channel,clicks\n2026-09-02,sem,3\n",
        },
    ),
    "duplicate-content": (  # the same download saved twice by the browser
        {"p.md": plan("  metrics: [data/ads*.csv]\n")},
        {"ads.csv": CSV, "ads (1).csv": CSV},
    ),
    "set-and-duplicate-source": (
        {"p.md": plan("  metrics: [{path: data/ads.csv, set: {channel: x}}, data/ads.csv]\n")},
        {"ads.csv": CSV},
    ),
    # -- front matter types and YAML
    "types": (
        {
            "p.md": plan(
                "  currency: rmb\n  budget: {total: -5, by: channel, allocations: []}\n"
                "  risks:\n    - {id: r, title: t, likelihood: 9, impact: x, colour: red}\n"
                "  team: 5\n",
                goals=_goal(target="abc", deadline="tomorrow", window="7x", aggregat="sum")
                + _goal(id="Bad Id", baseline="true", target=".inf", deadline="20261231")
                + _goal(id="h", window="99999999d", aggregate="median"),
            ).replace("  status: draft\n", "  status: done\n")
        },
        {"ads.csv": CSV},
    ),
    "missing-fields": (
        {"p.md": "---\nplan:\n  id: p\n  goals: [{id: g}]\n---\n"},
        {"ads.csv": CSV},
    ),
    "unknown-field-far": ({"p.md": plan("  zzzzzz: 1\n")}, {"ads.csv": CSV}),
    "yaml-syntax": ({"p.md": "---\nplan:\n  id: [p\n---\n"}, {"ads.csv": CSV}),
    "yaml-tag": ({"p.md": "---\nplan: !!python/object:os.system {}\n---\n"}, {"ads.csv": CSV}),
    "yaml-keys": ({"p.md": "---\nplan:\n  id: p\n  id: q\n  ~: x\n---\n"}, {"ads.csv": CSV}),
    "yaml-full-width": (
        {"p.md": "---\nplan:\n  id: p\n  tags: [抖音，小红书]\n  owner： x\n---\n"},
        {"ads.csv": CSV},
    ),
    "yaml-full-width-comma": (
        {"p.md": "---\ntitle: t\ntags: [抖音，小红书]\n---\n# t\n"},
        {"ads.csv": CSV},
    ),
    "yaml-list": ({"p.md": "---\n- a\n- b\n---\n"}, {"ads.csv": CSV}),
    "yaml-deep": ({"p.md": "---\nx: " + "[" * 70 + "1" + "]" * 70 + "\n---\n"}, {}),
    # -- cross-field plan checks
    "plan-dates": (
        {
            "p.md": plan(
                "  phases:\n"
                "    - {name: 预热期, start: 2026-10-01, end: 2026-09-01}\n"
                "    - {name: 爆发期, start: 2026-08-01, end: 2026-10-01, goals: [{id: g, statement: s, kpi: "
                "clicks, baseline: 0, target: 0, deadline: 2026-12-01, start: 2026-07-01}]}\n"
                "    - {name: 稳定期, start: 2026-10-01, end: 2026-11-01, goals: [{id: pg, statement: s, kpi: "
                "clicks, baseline: 1, target: 1}, {id: pg2, statement: s, kpi: clicks, baseline: 0, target: 5, "
                "start: 2026-10-20, deadline: 2026-10-10}]}\n"
                "  objectives: [{id: grow, statement: 增长}]\n",
                goals=_goal(deadline="2027-06-01", start="2026-08-01", target="0")
                + _goal(objective="groww")
                + _goal(
                    id="m",
                    milestones="[{date: 2026-10-01, phase: 预热期, target: 1}, {phase: 冬季, "
                    "target: 2}, {date: 2027-03-01, target: 3}, {date: 2026-11-01, target: 4}, "
                    "{date: 2026-10-20, target: 5}]",
                ),
            ).replace("end: 2026-12-31}", "end: 2026-08-01}", 1)
        },
        {"ads.csv": CSV},
    ),
    "plan-ids-budget": (
        {
            "p.md": plan(
                "  kpis:\n    - {id: ctr, formula: clicks / impressions}\n"
                "    - {id: a, formula: b + 1}\n    - {id: b, formula: a + 1}\n"
                "    - {id: c, formula: clicks / (}\n    - {id: d, formula: clickz * 2}\n"
                "    - {id: d, formula: clicks}\n"
                "  budget:\n    total: 1000\n    by: channel\n    allocations:\n"
                "      - {item: sem, share: 0.5, amount: 10}\n"
                "      - {item: social, share: 0.9, cap: 100}\n      - {item: social, share: 0.2}\n",
                goals=GOAL + GOAL,
            )
        },
        {"ads.csv": CSV},
    ),
    "budget-spend": (
        {
            "p.md": plan(
                "  budget:\n    total: 1000\n    by: channel\n    allocations:\n"
                "      - {item: sem, amount: 100, cap: 10}\n      - {item: kol, amount: 900}\n"
            ),
            "q.md": plan(
                "  budget: {total: 100, by: region, allocations: [{item: a, amount: 100}]}\n"
            ).replace("id: p", "id: q"),
        },
        {"ads.csv": CSV + "2026-09-03,email,1,1,1,30,1\n"},
    ),
    "budget-sum-amounts": (
        {
            "p.md": plan(
                "  budget: {total: 1000, by: channel, allocations: [{item: sem, amount: 100}, "
                "{item: social, share: 0.2}]}\n"
            )
        },
        {"ads.csv": CSV},
    ),
    "duplicate-pages": (
        {
            "a.md": plan(),
            "b.md": plan(),
            "li.md": "---\npersona: {id: li, name: 李明}\n---\n",
            "li2.md": "---\npersona: {id: li, name: 李明}\n---\n",
        },
        {"ads.csv": CSV},
    ),
    "kpis": (
        {
            "p.md": plan(
                "  personas: [wang]\n",
                goals=_goal(kpi="clickz")
                + _goal(id="f", filter="{chanel: sem}")
                + _goal(id="v", filter="{channel: semm}")
                + _goal(id="r", kpi="ctr", aggregate="sum")
                + _goal(id="x", kpi="orders")
                + _goal(id="y", kpi="点击率x"),
            )
        },
        {"ads.csv": CSV},
    ),
    "kpi-partial-rows": (
        {"p.md": plan()},
        {"ads.csv": CSV + "2026-09-03,sem,,5,1,1,1\n"},
    ),
    "non-additive": (
        {"p.md": plan(goals=_goal(kpi="reach"))},
        {"ads.csv": "date,channel,reach,clicks\n2026-09-01,sem,100,1\n2026-09-02,sem,120,1\n"},
    ),
    "rate-column": (
        {"p.md": plan(goals=_goal(kpi="点击率"))},
        {"ads.csv": "date,channel,点击率,clicks,impressions\n2026-09-01,sem,5%,1,20\n"},
    ),
    # -- shortcodes
    "shortcodes": (
        {
            "p.md": plan(
                body="{{ kpi_table(goal=['ctr']) }}\n\n{{ kpi_table(1, 2) }}\n\n"
                "{{ goal_chart('ctr', goal='ctr') }}\n\n{{ kpi_table(goals=x) }}\n\n"
                "{{ kpi_table(**a) }}\n\n{{ kpi_table(goals=) }}\n\n{{ risk_matrx() }}\n\n"
                "{{ risks(\n\n{{ kpi_table(goals='ctr') }}\n\n{{ goal_chart() }}\n\n"
                "{{ kpi_table(columns=['x'], goalz=1, zzzzzzzz=1) }}\n"
            )
        },
        {"ads.csv": CSV},
    ),
    # -- review
    "review": (
        {
            "p.md": plan(
                "  review:\n    checklist: {legal-signof: {state: open}, copyright: {state: done, by: 张律师}}\n"
                "    waivers:\n      - {rule: cn-ad-law/absolute-termz, match: 第一, reason: r}\n"
                "      - {rule: cn-ad-law/absolute-terms, match: 从未出现, reason: r, "
                "approved_by: 张律师}\n"
                "      - {rule: cn-ad-law/absolute-terms, reason: r, approved_by: 张律师, "
                "expires: 2020-01-01}\n"
                "      - {rule: cn-ad-law/absolute-terms, reason: r}\n"
                "    approvals: [{role: legal, name: 张律师, date: 2026-08-28, decision: rejected}]\n",
                body="全网最低价，最佳选择！\n\n<!-- planbook: frobnicate x -->\n\n"
                "<!-- planbook: disable-next-line -->\n\n"
                "<!-- planbook: disable-next-line cn-ad-law/absolute-termz -- r -->\n\n"
                "<!-- planbook: disable-next-line cn-ad-law/absolute-terms -->\n\n"
                "<!-- planbook: enable pii/mobile -->\n\n"
                "<!-- planbook: disable pii/mobile -- r -->\n\n"
                "<!-- planbook: disable pii/mobile -- r -->\n\n"
                "<!-- planbook: disable-next-line pii/email -- r -->\n\n正文\n\n"
                "text <!-- planbook: disable pii/email -- r -->\n",
            ).replace("status: draft", "status: approved")
        },
        {"ads.csv": CSV},
    ),
    "review-spec": (
        {"p.md": plan("  review:\n    checklist: {copyright: done}\n")},
        {"ads.csv": CSV},
    ),
    "content-and-experiments": (
        {
            "p.md": plan(
                "  experiments:\n    - {id: t, start: 2026-10-01, end: 2026-09-01, "
                "variants: [a, a, '']}\n"
            )
        },
        {"ads.csv": CSV},
    ),
    "review-draft": (
        {
            "p.md": plan(body="全网最低价，最佳选择，联系 13812345678\n"),
            "copy.md": "---\nreview: {channel: web, status: draft}\n---\n# 文案\n\n全网最低价\n",
            "live.md": "---\nreview: {channel: web, status: approved}\n---\n# 文案\n\n全网最低价\n",
        },
        {"ads.csv": CSV},
    ),
    # -- plan quality
    "lint": (
        {
            "p.md": plan(
                "  objectives: [{id: grow, statement: 增长}]\n"
                "  phases:\n    - {name: 预热期, start: 2026-09-01, end: 2026-12-31, "
                "milestones: [{name: 上线, date: 2026-10-01}]}\n"
                "  budget: {total: 10, by: channel, allocations: [{item: sem, amount: 10}]}\n",
                goals=_goal(statement="提升点击", owner="''")
                + _goal(id="s", statement="点击量提升到 50", target="100")
                + _goal(id="pct", statement="点击量提升 10%", baseline="100", target="300")
                + _goal(id="cv", kpi="conversions", statement="转化 1000", target="1000")
                + _goal(
                    id="cpa", kpi="cpa", statement="CPA 从 20 降到 10", baseline="20", target="10"
                )
                + _goal(id="nd", filter="{channel: social}", kpi="revenue", statement="收入 100"),
            )
        },
        {"ads.csv": CSV},
    ),
}
