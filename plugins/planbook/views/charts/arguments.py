"""Chart shortcodes: their arguments, checked against the plan with messages for the author."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...messages import msg
from ...metrics.kpis import KpiError
from .common import ChartError, _channel_dim

if TYPE_CHECKING:
    from ...metrics.evaluation import PlanView


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
        raise ChartError(msg("chart.positional", call=call, n=len(spec.args), got=len(args)))
    unknown = sorted(set(kwargs) - spec.kwargs)
    if unknown:
        allowed = ", ".join(sorted(spec.kwargs)) or msg("none")
        raise ChartError(msg("chart.unknown-argument", call=call, unknown=unknown, allowed=allowed))
    bound = dict(zip(spec.args, args, strict=False))
    for k, v in kwargs.items():
        if k in bound:
            raise ChartError(msg("chart.twice", call=call, name=k))
        bound[k] = v
    missing = [a for a in spec.args[: spec.required] if a not in bound]
    if missing:
        example = f"{name}({_example(name)})"
        raise ChartError(msg("chart.needs", call=call, missing=missing, example=example))
    return bound


def _example(name: str) -> str:
    return {"goal_chart": '"web-traffic"', "kpi_trend": '"ctr", by="channel"'}.get(name, "")


def _did_you_mean(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    return msg("hint.close", close=close[0]) if close else ""


def _check(name: str, bound: dict[str, Any], view: PlanView) -> None:
    call = f"{{{{ {name}() }}}}"
    goal_ids = [g.goal.id for g in view.goals]
    if name == "goal_chart":
        gid = bound["goal"]
        if not isinstance(gid, str) or gid not in goal_ids:
            raise _unknown_goal(call, gid, goal_ids)
    elif name == "goal_charts" and bound.get("goals") is not None:
        wanted = bound["goals"]
        if isinstance(wanted, str):
            wanted = [wanted]
        for gid in wanted:
            if gid not in goal_ids:
                raise _unknown_goal(call, gid, goal_ids)
    elif name == "kpi_trend":
        kpi = bound["kpi"]
        if not isinstance(kpi, str):
            raise ChartError(msg("chart.kpi-quoted", call=call, got=kpi))
        try:
            k = view.registry.get(kpi)
        except KpiError as e:
            raise ChartError(msg("chart.kpi", call=call, problem=e.args[0])) from None
        missing = [m for m in k.measures if m not in view.data.measures]
        if missing and not view.data.empty:
            raise ChartError(msg("chart.missing-column", call=call, kpi=k.id, missing=missing))
        _check_every(call, bound.get("every"))
        _check_dimension(call, "by", bound.get("by"), view)
    elif name == "channel_chart":
        metric = bound.get("metric", "revenue")
        if metric not in ("revenue", "conversions"):
            raise ChartError(
                msg(
                    "chart.metric",
                    call=call,
                    got=metric,
                    hint=_did_you_mean(str(metric), ["revenue", "conversions"]),
                )
            )
    elif name == "funnel_chart":
        _check_dimension(call, "by", bound.get("by"), view)
        channel = bound.get("channel")
        if channel is not None:
            dim = _channel_dim(view)
            known = view.data.values(dim)
            if not isinstance(channel, str) or (known and channel not in known):
                raise ChartError(
                    msg(
                        "chart.unknown-value",
                        call=call,
                        dim=dim,
                        value=channel,
                        hint=_did_you_mean(str(channel), known),
                        known=known[:12],
                    )
                )


def _unknown_goal(call: str, gid: Any, goal_ids: list[str]) -> ChartError:
    return ChartError(
        msg(
            "chart.unknown-goal",
            call=call,
            id=gid,
            hint=_did_you_mean(str(gid), goal_ids),
            goals=", ".join(goal_ids) or msg("none"),
        )
    )


def _check_every(call: str, every: Any) -> None:
    if every is not None and every not in EVERY:
        raise ChartError(
            msg(
                "chart.every",
                call=call,
                choices=EVERY,
                got=every,
                hint=_did_you_mean(str(every), EVERY),
            )
        )


def _check_dimension(call: str, kw: str, dim: Any, view: PlanView) -> None:
    if dim is None:
        return
    dims = list(view.data.dimensions)
    if not isinstance(dim, str) or (dims and dim not in dims):
        raise ChartError(
            msg(
                "chart.dimension",
                call=call,
                kw=kw,
                dim=dim,
                hint=_did_you_mean(str(dim), dims),
                dims=", ".join(dims) or msg("none"),
            )
        )


def check_chart_arguments(name: str, args: tuple, kwargs: dict, view: PlanView) -> str | None:
    """A message for the author when a chart shortcode's arguments are wrong, else None."""
    try:
        _check(name, _bind(name, tuple(args), dict(kwargs)), view)
    except ChartError as e:
        # the catalogued message itself (str() would keep only its English)
        return e.args[0] if e.args and isinstance(e.args[0], str) else str(e)
    return None
