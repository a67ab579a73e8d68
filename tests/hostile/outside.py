"""The outside hostile-input report's findings 8 to 14 (/tmp/outside/hostile/REPORT.md),
as cases of the hostile corpus (:class:`~tests.hostile.cases.Case`): each is a tiny site
and the text its diagnostics must contain (``None``: it builds cleanly under --strict).
tests/sitebuild/test_outside_hostile.py checks and builds them."""

from __future__ import annotations

from tests.hostile.cases import CSV, Case, plan

ESC_VALUE = "\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mRED\x1b[0m\u202eX"
ESC_SHOWN = "\\x1b]0;PWNED-TITLE\\x07\\x1b[2J\\x1b[31mRED\\x1b[0m\\u202eX"

DEPTH = "cannot read the arguments: they nest more than 32 levels deep"


def _sources(metrics: str) -> str:
    return plan().replace("  metrics: [data/ads.csv]\n", f"  metrics: {metrics}\n")


def _overflow(days: range, value: str = "1e308") -> str:
    return "date,channel,clicks,spend\n" + "".join(
        f"2026-09-{d:02d},sem,10,{value}\n" for d in days
    )


SHORTCODES = (  # finding 8: arguments nested hundreds of levels (a RecursionError)
    Case("args-500-minus", {"p.md": plan("{{ risks(min_score=" + "-" * 500 + "8) }}")}, DEPTH),
    Case("args-2000-minus", {"p.md": plan("{{ risks(min_score=" + "-" * 2000 + "8) }}")}, DEPTH),
    Case("args-500-not", {"p.md": plan("{{ risks(min_score=" + "not " * 500 + "8) }}")}, DEPTH),
    Case(
        "args-3000-terms",
        {"p.md": plan("{{ risks(min_score=" + "+".join("8" * 3000) + ") }}")},
        DEPTH,
    ),
)

FORMULAS = (  # finding 9: an integer past the float range (an OverflowError)
    Case(
        "formula-400-digits",
        {"p.md": plan(extra="  kpis:\n    - {id: k, formula: '" + "9" * 400 + " * clicks'}\n")},
        "has a number too large to compute with (the limit is about 1.8e308)",
    ),
    Case(
        "formula-1e999",
        {"p.md": plan(extra="  kpis:\n    - {id: k, formula: 'clicks * 1e999'}\n")},
        "has a number too large to compute with",
    ),
)

PERIODS = (  # finding 10: bounds past datetime64[ns] wrapped around, every row dropped
    Case(
        "period-end-2263",
        {"p.md": plan().replace("end: 2026-12-31", "end: 2263-01-01")},
        "plan.period.end: a plan's period lies between 1677-09-22 and 2262-04-11, the days "
        "data files can be dated; got 2263-01-01",
    ),
    Case(
        "period-start-1600",
        {"p.md": plan().replace("start: 2026-09-01", "start: 1600-01-01")},
        "plan.period.start: a plan's period lies between 1677-09-22 and 2262-04-11",
    ),
    # its history bound (three years before) is before 1677-09-22: no row is "long before"
    Case("period-start-1680", {"p.md": plan().replace("start: 2026-09-01", "start: 1680-01-01")}),
    Case("period-end-2262", {"p.md": plan().replace("end: 2026-12-31", "end: 2262-04-11")}),
)

SUMS = (  # finding 11: finite cells whose sums are infinite, shown as "No data" silently
    Case(
        "sum-overflow-in-a-file",
        {"p.md": _sources("[data/big.csv]")},
        "the values of 'spend' add up to more than a sum can hold (about 1.8e308) from this "
        "line on",
        data={"big.csv": _overflow(range(1, 29))},
    ),
    Case(
        "sum-overflow-across-files",
        {"p.md": _sources("[data/a.csv, data/b.csv]")},
        "the values of 'spend' in data/a.csv, data/b.csv add up to more than a sum can hold "
        "(about 1.8e308) together",
        data={"a.csv": _overflow(range(1, 2)), "b.csv": _overflow(range(2, 3))},
    ),
    Case(
        "sum-near-the-limit",
        {"p.md": _sources("[data/big.csv]")},
        None,
        data={"big.csv": _overflow(range(1, 11), "1e307")},
    ),
)

REVIEW_PAGE = "expected the path of a new page inside docs_dir, relative and ending in .md"
REVIEW_PAGES = (  # finding 12: the option took any path
    Case(
        "review-page-existing",
        {"p.md": plan()},
        "planbook: review_page: p.md is a page of the site already; the review page would "
        "replace it: name a new page",
        options="review_page: p.md",
    ),
    Case("review-page-absolute", {"p.md": plan()}, REVIEW_PAGE, options="review_page: /tmp/r.md"),
    Case("review-page-parent", {"p.md": plan()}, REVIEW_PAGE, options="review_page: ../r.md"),
    Case("review-page-html", {"p.md": plan()}, REVIEW_PAGE, options="review_page: x.html"),
    Case("review-page-backslash", {"p.md": plan()}, REVIEW_PAGE, options="review_page: 'a\\b.md'"),
    Case("review-page-new", {"p.md": plan()}, None, options="review_page: quality/review.md"),
)

SETS = (  # finding 13: `set` of the date was an internal error, of a measure a dimension
    Case(
        "set-date",
        {"p.md": _sources("[{path: data/ads.csv, set: {date: '2099-01-01'}}]")},
        "plan.metrics[0].set.date: `set` gives each row of the file a constant dimension; it "
        "cannot set the date, which each row has from the file",
    ),
    Case(
        "set-measure",
        {"p.md": _sources("[{path: data/ads.csv, set: {clicks: 999999}}]")},
        "plan.metrics[0].set.clicks: `set` gives each row of the file a constant dimension "
        "(text); 'clicks' is a measure",
    ),
    Case("set-channel", {"p.md": _sources("[{path: data/ads.csv, set: {platform: x}}]")}),
)

# finding 14: a channel value with escape sequences reaches the terminal written out
ESC_CSV = CSV.replace(",social,", f",{ESC_VALUE},")
CONTROLS = (
    Case(
        "escape-sequences",
        {
            "p.md": plan(
                extra="  budget:\n    total: 1000\n    allocations:\n"
                "      - {item: sem, share: 1}\n"
            )
        },
        f"spend on channel values no allocation covers: {ESC_SHOWN} (100)",
        data={"ads.csv": ESC_CSV},
    ),
)

CASES = SHORTCODES + FORMULAS + PERIODS + SUMS + REVIEW_PAGES + SETS + CONTROLS
