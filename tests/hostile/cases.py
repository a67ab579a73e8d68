"""Hostile and broken inputs (issue 9): each case is a tiny site and what must come of it.

The same cases drive the unit tests of the hang cases (tests/unit/test_hostile.py), the
agreement of `planbook check --strict` with `mkdocs build --strict`
(tests/sitebuild/test_hostile_sites.py), the browser test (tests/browser/) and the
timings in `make bench` (bench/run.py). A case's ``message`` is text its diagnostics
must contain; ``literal`` is text the built page must show as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CSV = """\
date,channel,impressions,clicks,conversions,spend,revenue
2026-09-01,sem,1000,50,5,100,400
2026-09-02,sem,1000,60,6,100,500
2026-09-01,social,2000,40,2,50,100
2026-09-02,social,2000,30,3,50,200
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
    hang: bool = False  # took minutes or crashed the interpreter before: timed in make bench
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
)
