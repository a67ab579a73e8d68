"""Hostile and broken inputs (issue 9): each case is a tiny site and what must come of it.

The same cases drive the unit tests of the hang cases (tests/unit/test_hostile.py), the
agreement of `planbook check --strict` with `mkdocs build --strict`
(tests/sitebuild/test_hostile_sites.py), the browser test (tests/browser/) and the
timings of `make bench BENCH_ARGS="--only hostile"` (bench/bench_hostile.py). A case's
``message`` is text its diagnostics must contain; ``literal`` is text the built page
must show as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CSV = """\
date,channel,impressions,clicks,conversions,spend,revenue
2026-09-01,sem,1000,50,5,100,400
2026-09-02,sem,1000,60,6,100,500
2026-09-01,social,2000,40,2,50,100
2026-09-02,social,2000,30,3,50,200
2026-10-01,sem,1000,50,5,100,400
"""

XSS = (
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    '"><img src=x onerror=alert(3)>',
    "javascript:alert(4)",
)


@dataclass(frozen=True)
class Case:
    name: str
    pages: dict[str, str]
    message: str | None = None  # a diagnostic must contain this (None: builds cleanly)
    data: dict[str, str] = field(default_factory=lambda: {"ads.csv": CSV})
    options: str = ""
    # took minutes or crashed the interpreter before: timed by
    # `make bench BENCH_ARGS="--only hostile"`
    hang: bool = False
    literal: tuple[tuple[str, str], ...] = ()  # (page URL, text shown as written)


def plan(body: str = "", *, id: str = "p", title: str = "Plan", extra: str = "") -> str:
    """A small valid plan page; ``body`` goes after the front matter, ``extra`` into `plan:`."""
    return (
        "---\nplan:\n"
        f"  id: {id}\n"
        f"  title: {title}\n"
        "  period: {start: 2026-09-01, end: 2026-12-31}\n"
        "  metrics: [data/ads.csv]\n"
        f"{extra}"
        "---\n"
        f"# Plan\n\n{body}\n"
    )


def _alias_bomb() -> str:
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n---\n# Plain page\n"


def _kpi_chain(levels: int = 22) -> str:
    kpis = "  kpis:\n    - {id: k1, formula: clicks + clicks}\n" + "".join(
        f"    - {{id: k{i}, formula: k{i - 1} + k{i - 1}}}\n" for i in range(2, levels + 1)
    )
    return plan(extra=kpis)


def _copy(body: str) -> str:
    """A copy page in review with ``body`` and, on the next line, a term the review must
    still report."""
    return "---\nreview: {status: review}\n---\n# 新品\n\n" + body + "\n最佳净化器\n"


def _data_uri_image() -> str:
    """A pasted screenshot: one Markdown image whose source is a 200 KB data: URI."""
    import base64

    return (
        "![产品图](data:image/png;base64,"
        + base64.b64encode(bytes(range(256)) * 600).decode()
        + ")"
    )


TERM = "absolute or superlative term: '最佳'"  # what the review of _copy reports

# A site's own pack with a pattern that backtracks exponentially on 40 bytes
NESTED_PACK = """\
pack: acme
rules:
  - id: acme/redos
    category: brand
    severity: warning
    basis: 品牌手册
    message: m
    patterns: ['(a+)+!']
"""

ACME_CSV = "Report date,Acme clicks,Campaign\n2026-09-01,5," + "a" * 40 + "\n"
DETECT = "['Report date', 'Acme clicks']"
ACME_PROFILE = """\
id: acme-ads
platform: Acme Ads
columns: {Report date: date, Acme clicks: clicks, Campaign: campaign}
"""


HANGS = (
    Case("alias-bomb", {"bomb.md": _alias_bomb()}, "expands to more than", hang=True),
    Case("kpi-chain", {"plan.md": _kpi_chain()}, "expands to more than 1,000 terms", hang=True),
    Case(
        "formula-5000-terms",
        {
            "plan.md": plan(
                extra="  kpis:\n    - {id: big, formula: " + "clicks+" * 4999 + "clicks}\n"
            )
        },
        "characters long; the limit is 500",
        hang=True,
    ),
    Case(
        "formula-5000-minus",
        {"plan.md": plan(extra="  kpis:\n    - {id: neg, formula: '" + "-" * 5000 + "clicks'}\n")},
        "characters long; the limit is 500",
        hang=True,
    ),
    Case(
        "reports-since-1990",
        {
            "plan.md": plan(extra="  reports: {every: week}\n").replace(
                "start: 2026-09-01", "start: 1990-01-01"
            )
        },
        "report pages",
        hang=True,
    ),
    # review of one long line: quadratic windows and masks took a minute per 150 KB
    Case("review-data-uri-line", {"img.md": _copy(_data_uri_image())}, TERM, hang=True),
    Case("review-digit-line", {"n.md": _copy("1" * 200_000)}, TERM, hang=True),
    # the e-mail pattern could start at every `%` of a run (20,000 took 2.3 s)
    Case("review-percent-run", {"pct.md": _copy("%" * 200_000 + " 5%")}, TERM, hang=True),
    # (100,000 characters of "<http:" are masked in linear time too, test_review_text; not
    # a site here: Python-Markdown's own inline HTML pattern takes 4 s on them)
    Case(
        "review-unclosed-openers",
        {
            f"p{i}.md": _copy(opener * (100_000 // len(opener)))
            for i, opener in enumerate(
                ("{", "{.", "](", "{{", "<!--", "<!-- planbook: disable x\n")
            )
        },
        TERM,
        hang=True,
    ),
    Case(
        "site-pack-nested-repeat",
        {"a.md": "---\nreview: {status: review}\n---\n# T\n\n" + "a" * 40 + "\n"},
        "holds a repeat that can take what comes after it",
        data={"ads.csv": CSV, "pack.yml": NESTED_PACK},
        options="review_extra_packs: [data/pack.yml]",
        hang=True,
    ),
    # outside report F3: each of these backtracks exponentially and got past the check of
    # nested unbounded repeats alone (more than 120 s on 40 letters)
    *(
        Case(
            f"site-pack-{name}",
            {"a.md": "---\nreview: {status: review}\n---\n# T\n\n" + "a" * 40 + "\n"},
            message,
            data={"ads.csv": CSV, "pack.yml": NESTED_PACK.replace("(a+)+!", pattern)},
            options="review_extra_packs: [data/pack.yml]",
            hang=True,
        )
        for name, pattern, message in (
            ("alternatives", "(a|a)*!", "holds alternatives that can start with the same"),
            ("bounded", "(a+){2,60}!", "holds a repeat that can take what comes after it"),
            ("dotstar", "(.*a){15}!", "holds a repeat that can take what comes after it"),
            ("optional", "(a|a?)+!", "can match empty text"),
        )
    ),
    # outside report F4: a profile's regular expressions run on every text cell and line
    # above the header, and were not checked at all
    *(
        Case(
            f"site-profile-{name}",
            {"index.md": plan("{{ kpi_table() }}")},
            "holds alternatives that can start with the same character",
            data={
                "ads.csv": ("a" * 40 + "\n" if name == "preamble" else "") + ACME_CSV,
                "profiles/acme.yml": ACME_PROFILE + field,
            },
            options="profiles_dir: data/profiles",
            hang=True,
        )
        for name, field in (
            ("labels", f"detect: {{all: {DETECT}}}\ntotals: {{labels: ['^(a|a)*!$']}}\n"),
            ("preamble", f"detect: {{all: {DETECT}, preamble: ['^(a|a)*!$']}}\n"),
        )
    ),
)


def _xss_plan() -> str:
    """Every payload in every text field of a plan that reaches its page."""
    a, b, c, d = XSS
    return (
        "---\n"
        "plan:\n"
        "  id: xss\n"
        f"  title: {_q(a + ' ' + c)}\n"
        f"  owner: {_q(b)}\n"
        "  status: draft\n"
        "  period: {start: 2026-09-01, end: 2026-12-31}\n"
        "  metrics: [data/ads.csv]\n"
        "  reports: {every: week}\n"
        "  goals:\n"
        f"    - {{id: g1, statement: {_q(a)}, kpi: clicks, baseline: 0, target: 500,"
        f" deadline: 2026-12-31, owner: {_q(c)}}}\n"
        "  kpis:\n"
        f"    - {{id: my-kpi, label: {_q(b)}, formula: clicks / impressions}}\n"
        "  budget:\n"
        "    total: 1000\n"
        "    allocations:\n"
        f"      - {{item: sem, label: {_q(c)}, share: 0.5, match: [{_q(a)}, {_q(b)}]}}\n"
        f"      - {{item: social, label: {_q(d)}, share: 0.5,"
        f" match: [{_q(c)}, {_q(d)}, {_q('=1+1')}]}}\n"
        "  phases:\n"
        f"    - name: {_q(a)}\n"
        "      start: 2026-09-01\n"
        "      end: 2026-10-31\n"
        f"      focus: {_q(d)}\n"
        f"      milestones: [{{name: {_q(c)}, date: 2026-09-15}}]\n"
        "  personas:\n"
        f"    - {{id: inline, name: {_q(b)}, city: {_q(c)}, interests: [{_q(a)}]}}\n"
        "  team:\n"
        f"    - {{role: {_q(a)}, name: {_q(c)}, duties: {_q(d)}}}\n"
        "  risks:\n"
        f"    - {{id: r1, title: {_q(a)}, category: market, likelihood: 4, impact: 4,"
        f" owner: {_q(b)}, mitigation: {_q(c)}}}\n"
        "---\n"
        '# XSS\n\n{{ kpi_table() }}\n\n{{ goal_chart("g1") }}\n\n{{ budget_chart() }}\n\n'
        "{{ timeline_chart() }}\n\n{{ risk_matrix() }}\n\n{{ channel_chart() }}\n"
    )


def _q(text: str) -> str:
    import json

    return json.dumps(text)


XSS_CSV = (
    "date,channel,impressions,clicks,conversions,spend,revenue\n"
    + "".join(
        f'2026-09-0{i + 1},"{v.replace(chr(34), chr(34) * 2)}",1000,50,5,100,400\n'
        for i, v in enumerate(XSS)
    )
    + '2026-09-05,"=1+1",1000,50,5,100,400\n'
    + f"2026-09-08,{XSS[0]},1000,50,5,100,400\n"
)

NEWLINE_TITLE = plan(
    extra="  reports: {every: month}\n",
    title=_q("x\n\n{{ portfolio() }}\n\n[click](javascript:alert(5))"),
)

SECURITY = (
    Case(
        "xss-every-field",
        {"plans/xss/index.md": _xss_plan(), "index.md": "# Home\n\n{{ portfolio() }}\n"},
        None,
        data={"ads.csv": XSS_CSV},
        literal=(
            ("plans/xss/", XSS[0]),
            ("plans/xss/", XSS[2]),
            ("plans/xss/reports/2026-W36/", XSS[0]),
            ("", XSS[0]),
        ),
    ),
    Case(
        "newline-in-title",
        {"plans/nl/index.md": NEWLINE_TITLE},
        None,
        literal=(("plans/nl/reports/2026-09/", "{{ portfolio() }}"),),
    ),
    Case(
        "page-title-meta",
        {"t.md": f"---\ntitle: {_q(XSS[1])}\n---\n# T\n"},
        None,
        literal=(("t/", "T"),),
    ),
)


def _goal(**fields: str) -> str:
    goal = {
        "id": "g",
        "statement": "s",
        "kpi": "clicks",
        "baseline": "0",
        "target": "100",
        "deadline": "2026-12-31",
    }
    goal.update(fields)
    return "  goals:\n    - {" + ", ".join(f"{k}: {v}" for k, v in goal.items()) + "}\n"


CRASHES = (
    Case("kpi-table-goals-5", {"p.md": plan("{{ kpi_table(goals=5) }}")}, "expected a list"),
    Case("channel-table-kpis-5", {"p.md": plan("{{ channel_table(kpis=5) }}")}, "expected a list"),
    Case("risks-min-score-text", {"p.md": plan('{{ risks(min_score="8") }}')}, "expected a number"),
    Case(
        "kpi-table-goals-string",
        {"p.md": plan('{{ kpi_table(goals="sem-ctr") }}')},
        'a list of one: ["sem-ctr"]',
    ),
    Case(
        "report-9999",
        {"p.md": plan('{{ report(period="9999-12") }}', extra="  reports: {every: month}\n")},
        "outside the calendar",
    ),
    Case(
        "report-0001",
        {"p.md": plan('{{ report(period="0001-01") }}', extra="  reports: {every: month}\n")},
        "outside the calendar",
    ),
    Case(
        "report-week-53-of-a-monthly-plan",
        {"p.md": plan('{{ report(period="2026-W53") }}', extra="  reports: {every: month}\n")},
        "reports every month",
    ),
    Case(
        "as-of-9999-with-reports",
        {"p.md": plan(extra="  reports: {every: month}\n  as_of: 9999-12-31\n")},
        None,
    ),
    Case("window-huge", {"p.md": plan(extra=_goal(window="99999999999999999999d"))}, "at most"),
)

SILENT = (
    Case("target-inf", {"p.md": plan(extra=_goal(target=".inf"))}, "finite number"),
    Case("target-1e309", {"p.md": plan(extra=_goal(target="1e309"))}, "finite number"),
    Case("target-nan", {"p.md": plan(extra=_goal(target=".nan"))}, "finite number"),
    Case("target-nan-text", {"p.md": plan(extra=_goal(target="'nan'"))}, "finite number"),
    Case("target-true", {"p.md": plan(extra=_goal(target="true"))}, "true/false"),
    Case("deadline-epoch", {"p.md": plan(extra=_goal(deadline="1793491200"))}, "ISO date"),
    Case(
        "budget-total-inf",
        {"p.md": plan(extra="  budget: {total: .inf}\n")},
        "finite number",
    ),
    Case(
        "duplicate-plan-id",
        {"a.md": plan(id="same"), "b.md": plan(id="same")},
        "plan id 'same' is already used by docs/a.md",
    ),
    Case(
        "duplicate-persona-id",
        {
            "a.md": "---\npersona: {id: li, name: A}\n---\n# A\n",
            "b.md": "---\npersona: {id: li, name: B}\n---\n# B\n",
        },
        "persona id 'li' is already used by docs/a.md",
    ),
    Case(
        "pacing-on-track-negative", {"p.md": plan()}, "from 0 to 1", options="pacing_on_track: -5"
    ),
    Case("pacing-at-risk-99", {"p.md": plan()}, "from 0 to 1", options="pacing_at_risk: 99"),
    Case("forecast-days-0", {"p.md": plan()}, "from 2 to 3660", options="forecast_days: 0"),
    Case(
        "budget-tolerance-negative",
        {"p.md": plan()},
        "from 0 to 10",
        options="budget_tolerance: -1",
    ),
    Case(
        "at-risk-above-on-track",
        {"p.md": plan()},
        "must not be above",
        options="pacing_on_track: 0.5\npacing_at_risk: 0.9",
    ),
    Case("budget-tolerance-0", {"p.md": plan()}, None, options="budget_tolerance: 0"),
    Case("pacing-on-track-1", {"p.md": plan()}, None, options="pacing_on_track: 1"),
    Case("as-of-unquoted", {"p.md": plan()}, None, options="as_of: 2026-12-05"),
    Case(
        "shortcode-in-indented-code",
        {"p.md": plan("Example:\n\n    {{ kpi_table(goals=5) }}\n")},
        None,
        literal=(("p/", "{{ kpi_table(goals=5) }}"),),
    ),
    Case("shortcode-in-html-comment", {"p.md": plan("<!-- {{ kpi_table(goals=5) }} -->")}, None),
    Case(
        "null-key",
        {"p.md": plan(extra="  ~: c\n")},
        "a field name is missing",
    ),
)

AGREEMENT = (
    Case("unknown-rule-pack", {"p.md": plan()}, "nope", options="review_packs: [nope]"),
    Case(
        "extra-pack-not-a-pack",
        {"p.md": plan()},
        "passwd",
        options="review_extra_packs: [/etc/passwd]",
    ),
    Case("misspelt-shortcode", {"p.md": plan("{{ kpi_tabel() }}")}, "did you mean 'kpi_table'"),
    Case("clean-plan", {"p.md": plan("{{ kpi_table() }}")}, None),
)

CASES = HANGS + SECURITY + CRASHES + SILENT + AGREEMENT
