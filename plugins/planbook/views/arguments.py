"""The argument schemas of Planbook's shortcodes (see :func:`shortcodes.register`).

Types only: whether a goal id or a dimension exists is checked where the shortcode is
rendered, against the plan. A module that adds shortcodes registers their schemas the
same way.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .shortcodes import Arguments, register

Texts = list[str]
Score = Annotated[float, Field(ge=0, le=25)]


class NoArguments(Arguments):
    pass


class KpiTableArgs(Arguments):
    goals: Texts | None = None


class ChannelTableArgs(Arguments):
    kpis: Texts | None = None


class PersonasArgs(Arguments):
    ids: Texts | None = None


class RisksArgs(Arguments):
    min_score: Score = 0


class GoalChartArgs(Arguments):
    goal: str


class GoalChartsArgs(Arguments):
    goals: Texts | None = None


class KpiTrendArgs(Arguments):
    kpi: str
    by: str | None = None
    every: str | None = None


class ChannelChartArgs(Arguments):
    metric: str = "revenue"


class FunnelChartArgs(Arguments):
    channel: str | None = None
    by: str | None = None


class ReportArgs(Arguments):
    period: str
    plan: str | None = None


class PortfolioArgs(Arguments):
    status: str | None = None
    owner: str | None = None


class ContentCalendarArgs(Arguments):
    start: str | None = None  # a month, "2026-10"; default: the month of the as-of date
    months: Annotated[int, Field(ge=1, le=12)] = 1
    channels: Texts | None = None


class CadenceTableArgs(Arguments):
    periods: Annotated[int, Field(ge=1, le=60)] = 6
    channels: Texts | None = None


for _name in ("budget_table", "phases", "team", "reports", "review_checklist"):
    register(_name, NoArguments)
for _name in ("budget_chart", "timeline_chart", "risk_matrix"):
    register(_name, NoArguments)
register("kpi_table", KpiTableArgs)
register("channel_table", ChannelTableArgs)
register("personas", PersonasArgs)
register("risks", RisksArgs)
register("goal_chart", GoalChartArgs, ("goal",))
register("goal_charts", GoalChartsArgs)
register("kpi_trend", KpiTrendArgs, ("kpi",))
register("channel_chart", ChannelChartArgs, ("metric",))
register("funnel_chart", FunnelChartArgs, ("channel",))
register("report", ReportArgs, ("period",))
register("portfolio", PortfolioArgs)
register("plan_quality", NoArguments)
register("content_calendar", ContentCalendarArgs)
register("cadence_table", CadenceTableArgs)
