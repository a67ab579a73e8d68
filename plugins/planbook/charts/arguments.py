"""Chart shortcodes: their arguments, checked against the plan with messages for the author."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..kpis import KpiError
from .common import ChartError, _channel_dim

if TYPE_CHECKING:
    from ..project import PlanView


EVERY = ("day", "week", "month")


@dataclass(frozen=True)
class ChartSpec:
    """A chart shortcode: its positional arguments (names) and keyword arguments."""

    args: tuple[str, ...] = ()
    kwargs: frozenset[str] = frozenset()
    required: int = 0


CHARTS: dict[str, ChartSpec] = {
    "goal_chart": ChartSpec(("goal",), frozenset({"goal"}), 1),
    "goal_charts": ChartSpec((), frozenset({"goals"})),
    "kpi_trend": ChartSpec(("kpi",), frozenset({"kpi", "by", "every"}), 1),
    "budget_chart": ChartSpec(),
    "channel_chart": ChartSpec(("metric",), frozenset({"metric"})),
    "funnel_chart": ChartSpec(("channel",), frozenset({"channel", "by"})),
    "timeline_chart": ChartSpec(),
    "risk_matrix": ChartSpec(),
}


def _bind(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    spec = CHARTS[name]
    call = f"{{{{ {name}() }}}}"
    if len(args) > len(spec.args):
        raise ChartError(
            f"{call} takes at most {len(spec.args)} positional argument(s), got {len(args)}"
        )
    unknown = sorted(set(kwargs) - spec.kwargs)
    if unknown:
        allowed = ", ".join(sorted(spec.kwargs)) or "none"
        raise ChartError(f"{call} has no argument {', '.join(unknown)} (allowed: {allowed})")
    bound = dict(zip(spec.args, args, strict=False))
    for k, v in kwargs.items():
        if k in bound:
            raise ChartError(f"{call} got {k} twice")
        bound[k] = v
    missing = [a for a in spec.args[: spec.required] if a not in bound]
    if missing:
        raise ChartError(f"{call} needs {', '.join(missing)}, e.g. {name}({_example(name)})")
    return bound


def _example(name: str) -> str:
    return {"goal_chart": '"web-traffic"', "kpi_trend": '"ctr", by="channel"'}.get(name, "")


def _did_you_mean(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check(name: str, bound: dict[str, Any], view: PlanView) -> None:
    call = f"{{{{ {name}() }}}}"
    goal_ids = [g.goal.id for g in view.goals]
    if name == "goal_chart":
        gid = bound["goal"]
        if not isinstance(gid, str) or gid not in goal_ids:
            raise ChartError(
                f"{call}: no goal with id {gid!r}{_did_you_mean(str(gid), goal_ids)}; "
                f"goals: {', '.join(goal_ids) or 'none'}"
            )
    elif name == "goal_charts" and bound.get("goals") is not None:
        wanted = bound["goals"]
        if isinstance(wanted, str):
            wanted = [wanted]
        for gid in wanted:
            if gid not in goal_ids:
                raise ChartError(
                    f"{call}: no goal with id {gid!r}{_did_you_mean(str(gid), goal_ids)}; "
                    f"goals: {', '.join(goal_ids) or 'none'}"
                )
    elif name == "kpi_trend":
        kpi = bound["kpi"]
        if not isinstance(kpi, str):
            raise ChartError(f'{call}: the KPI is a quoted id such as "ctr", got {kpi!r}')
        try:
            k = view.registry.get(kpi)
        except KpiError as e:
            raise ChartError(f"{call}: {e}") from None
        missing = [m for m in k.measures if m not in view.data.measures]
        if missing and not view.data.empty:
            raise ChartError(
                f"{call}: KPI '{k.id}' needs column(s) {', '.join(missing)}, which the plan's "
                f"data does not have"
            )
        _check_every(call, bound.get("every"))
        _check_dimension(call, "by", bound.get("by"), view)
    elif name == "channel_chart":
        metric = bound.get("metric", "revenue")
        if metric not in ("revenue", "conversions"):
            raise ChartError(
                f"{call}: metric must be 'revenue' or 'conversions', got {metric!r}"
                f"{_did_you_mean(str(metric), ['revenue', 'conversions'])}"
            )
    elif name == "funnel_chart":
        _check_dimension(call, "by", bound.get("by"), view)
        channel = bound.get("channel")
        if channel is not None:
            dim = _channel_dim(view)
            known = view.data.values(dim)
            if not isinstance(channel, str) or (known and channel not in known):
                raise ChartError(
                    f"{call}: no rows with {dim} = {channel!r}"
                    f"{_did_you_mean(str(channel), known)}; values: {', '.join(known[:12])}"
                )


def _check_every(call: str, every: Any) -> None:
    if every is not None and every not in EVERY:
        raise ChartError(
            f"{call}: every must be one of {', '.join(EVERY)} (or left out to choose by "
            f"the span), got {every!r}{_did_you_mean(str(every), EVERY)}"
        )


def _check_dimension(call: str, kw: str, dim: Any, view: PlanView) -> None:
    if dim is None:
        return
    dims = list(view.data.dimensions)
    if not isinstance(dim, str) or (dims and dim not in dims):
        raise ChartError(
            f"{call}: {kw}={dim!r} is not a column of the plan's data{_did_you_mean(str(dim), dims)}"
            f"; dimensions: {', '.join(dims) or 'none'}"
        )


def check_chart_arguments(name: str, args: tuple, kwargs: dict, view: PlanView) -> str | None:
    """A message for the author when a chart shortcode's arguments are wrong, else None."""
    try:
        _check(name, _bind(name, tuple(args), dict(kwargs)), view)
    except ChartError as e:
        return str(e)
    return None
