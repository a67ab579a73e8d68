"""Ratios over measures from different files (ROI of ad spend and order revenue).

The row rule (README, "Row semantics") is file-aware: a row is left out of a ratio only
when its own file has every input of the ratio and the row lacks some of them. Both the
cube and the raw-row reference must give the same figures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planbook.columns import ORIGIN
from planbook.data import DataStore
from planbook.diagnostics import Severity
from planbook.frontmatter import Locations
from planbook.metrics.breakdown import breakdown
from planbook.metrics.kpis import KpiRegistry, MetricFrame, PacingConfig, evaluate_goal
from planbook.model import Plan

START, END = date(2026, 9, 1), date(2026, 9, 30)

SPEND = "date,channel,spend\n2026-09-01,sem,100\n2026-09-02,sem,100\n2026-09-01,feed,50\n"
REVENUE = "date,channel,revenue\n2026-09-01,sem,150\n2026-09-02,sem,90\n2026-09-01,feed,100\n"
# One file with both: the second sem row has no revenue (a gap inside the export).
BOTH = "date,channel,spend,revenue\n2026-09-01,sem,100,300\n2026-09-02,sem,40,\n"
ORDERS = "date,channel,revenue\n2026-09-01,sem,60\n2026-09-03,feed,80\n"


def _frames(root: Path, files: dict[str, str]) -> list[MetricFrame]:
    for name, text in files.items():
        (root / "data" / name).write_text(text, encoding="utf-8")
    store = DataStore(root)
    sources, diags = store.gather([f"data/{n}" for n in files], file="p.md", locations=Locations())
    # (two files with revenue for the same day and channel are said, and summed:
    # data/overlapping-files, tested in test_row_semantics)
    assert [d for d in diags if d.rule != "data/overlapping-files"] == []
    frame = store.combine(sources, origin=True)
    return [MetricFrame(frame, ("channel",)), MetricFrame(frame, cube=False)]


def _roi(mf: MetricFrame) -> tuple[dict[str, float | None], float | None, dict]:
    reg = KpiRegistry([], mf.measures)
    b = breakdown(mf, reg, "channel", START, END, kpis=["spend", "revenue", "roi"])
    assert b.total is not None
    return {r.key: r.values["roi"] for r in b.rows}, b.total.values["roi"], b.partial


def _goal(mf: MetricFrame, kpi: str):
    plan = Plan.model_validate(
        {
            "id": "p",
            "owner": "o",
            "status": "draft",
            "period": {"start": "2026-09-01", "end": "2026-09-30"},
            "goals": [
                {"id": "g", "statement": "s", "deadline": "2026-09-30", "kpi": kpi}
                | {"baseline": 0, "target": 2}
            ],
        }
    )
    return evaluate_goal(
        plan.goals[0],
        index=0,
        plan=plan,
        data=mf,
        registry=KpiRegistry([], mf.measures),
        as_of=None,
        pacing=PacingConfig(),
        file="p.md",
        locations=Locations(),
    )


@pytest.mark.parametrize("which", [0, 1], ids=["cube", "rows"])
def test_spend_file_and_revenue_file_give_roi_per_channel_and_in_total(
    root: Path, which: int
) -> None:
    mf = _frames(root, {"ads.csv": SPEND, "orders.csv": REVENUE})[which]
    assert ORIGIN not in mf.dimensions and ORIGIN not in mf.measures
    assert mf.require(("revenue", "spend")) == ()  # nothing to leave out
    per, total, partial = _roi(mf)
    assert per["sem"] == pytest.approx(240 / 200 - 1)
    assert per["feed"] == pytest.approx(100 / 50 - 1)
    assert total == pytest.approx(340 / 250 - 1)
    assert partial == {}
    r = _goal(mf, "roas")
    assert r.actual == pytest.approx(340 / 250) and r.diagnostics == []
    assert ORIGIN not in mf.raw().columns
    # The origin column is no dimension: a filter naming it matches no row.
    assert mf.daily(((ORIGIN, ("spend",)),)).empty


@pytest.mark.parametrize("which", [0, 1], ids=["cube", "rows"])
def test_gap_inside_a_file_still_left_out_next_to_a_revenue_only_file(
    root: Path, which: int
) -> None:
    mf = _frames(root, {"ads.csv": BOTH, "orders.csv": ORDERS})[which]
    # The 2026-09-02 sem row's file has spend and revenue: it lacks revenue, so its 40
    # of spend is left out; the orders file's revenue counts in full.
    assert mf.partial_rows(("revenue", "spend")) == 1
    per, total, partial = _roi(mf)
    assert per["sem"] == pytest.approx((300 + 60) / 100 - 1)
    assert per["feed"] is None  # revenue without any spend: no ROI
    assert total == pytest.approx(360 / 100 - 1)
    assert partial == {"roi": (1, 1)}  # feed has only revenue: out of the total
    r = _goal(mf, "roas")
    assert r.actual == pytest.approx((300 + 60 + 80) / 100)
    [d] = r.diagnostics
    assert (d.rule, d.severity) == ("kpi/partial-rows", Severity.INFO)
    assert "1 row with only some of them is left out" in d.message


@pytest.mark.parametrize("which", [0, 1], ids=["cube", "rows"])
def test_clicks_without_impressions_in_their_own_file_stay_out_of_ctr(
    root: Path, which: int
) -> None:
    meta = "date,channel,impressions,clicks\n2026-09-01,fb,1000,10\n2026-09-01,fb,,90\n"
    mf = _frames(root, {"meta.csv": meta, "orders.csv": REVENUE})[which]
    assert mf.partial_rows(("clicks", "impressions")) == 1
    daily = mf.daily((), mf.require(("clicks", "impressions")))
    assert daily["clicks"].sum() / daily["impressions"].sum() == pytest.approx(0.01)


def test_same_measures_in_every_file_need_no_origin_column(root: Path) -> None:
    store_frames = _frames(root, {"a.csv": SPEND, "b.csv": SPEND.replace("sem", "x")})
    assert ORIGIN not in store_frames[1].frame.columns
