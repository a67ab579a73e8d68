"""The analysis shortcodes: ``{{ ab_test("id") }}``, ``{{ attribution() }}``, ``{{ rfm() }}``.

Reads each part's data through the project's :class:`~planbook.data.DataStore` (so
exports, encodings and bad rows behave as for metric files, and the files' own
diagnostics are logged with the others), computes the analysis once per page and
build, and renders it through the jinja2 templates in ``templates/analysis/``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...columns import UTM_DIMS
from ...diagnostics import Diagnostic, Severity
from ...frontmatter import PathKey, format_path
from ...messages import msg
from ..shortcodes import Arguments, register
from .labels import AnalysisLabels

if TYPE_CHECKING:
    from ...metrics.evaluation import PlanView
    from ...project import Page, Project
    from ..render import Renderer
    from ..shortcodes import Shortcode

SHORTCODES: frozenset[str] = frozenset({"ab_test", "attribution", "rfm"})


class AbTestArgs(Arguments):
    id: str
    plan: str | None = None


class AttributionArgs(Arguments):
    models: list[str] | None = None
    plan: str | None = None


class RfmArgs(Arguments):
    plan: str | None = None


register("ab_test", AbTestArgs, ("id",))
register("attribution", AttributionArgs)
register("rfm", RfmArgs)
_KWARGS = {"ab_test": {"id", "plan"}, "attribution": {"models", "plan"}, "rfm": {"plan"}}


class _Problems:
    """Diagnostics of one analysis, located in the plan page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.items: list[Diagnostic] = []

    def add(
        self, path: PathKey, rule: str, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        line = self.page.front.locations.line(path) if path else None
        field = format_path(path) if path else None
        self.items.append(Diagnostic(self.page.file, line, field, rule, severity, message))

    @property
    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)


def check_arguments(call: Shortcode, view: PlanView) -> str | None:
    """A message when the shortcode's arguments are wrong for this plan."""
    name = call.name
    unknown = sorted(set(call.kwargs) - _KWARGS[name])
    if unknown:
        allowed = ", ".join(sorted(_KWARGS[name])) or msg("none")
        return msg("section.unknown-argument", name=name, unknown=unknown, allowed=allowed)
    plan = view.plan
    if name == "ab_test":
        ids = [*call.args, *([call.kwargs["id"]] if "id" in call.kwargs else [])]
        if len(ids) != 1 or not isinstance(ids[0], str):
            return msg("analysis.ab-test-id")
        known = [e.id for e in plan.experiments]
        if ids[0] not in known:
            close = difflib.get_close_matches(ids[0], known, n=1, cutoff=0.6)
            hint = msg("hint.close", close=close[0]) if close else ""
            return msg(
                "analysis.unknown-experiment",
                id=ids[0],
                hint=hint,
                known=", ".join(known) or msg("none"),
            )
        return None
    if call.args:
        return msg("section.positional", name=name, got=len(call.args))
    if name == "attribution":
        if plan.attribution is None:
            return msg("analysis.needs-attribution")
        models = call.kwargs.get("models")
        if models is not None:
            if not isinstance(models, list | tuple) or not all(isinstance(m, str) for m in models):
                return msg("analysis.models-list")
            from ...metrics.analysis.attribution import (
                MODELS,  # the analysis modules load on first use
            )

            bad = [m for m in models if m not in MODELS]
            if bad:
                return msg("analysis.unknown-model", model=bad[0], models=MODELS)
    if name == "rfm" and plan.customers is None:
        return msg("analysis.needs-customers")
    return None


def _plan_view(project: Project, call: Shortcode, view: PlanView | None) -> PlanView | str:
    """The plan the shortcode reads: ``plan="id"`` or the page's own plan."""
    plan_id = call.kwargs.get("plan")
    if plan_id is None:
        if view is None:
            return msg("analysis.needs-plan", name=call.name)
        return view
    if not isinstance(plan_id, str) or plan_id not in project.plans:
        close = difflib.get_close_matches(str(plan_id), list(project.plans), n=1, cutoff=0.6)
        hint = msg("hint.close", close=close[0]) if close else ""
        known = ", ".join(sorted(project.plans)) or msg("none")
        return msg("analysis.unknown-plan", name=call.name, id=plan_id, hint=hint, known=known)
    found = project.evaluate(project.plans[plan_id])
    return found if found is not None else msg("analysis.broken-plan", name=call.name, id=plan_id)


def render(
    project: Project,
    renderer: Renderer,
    call: Shortcode,
    view: PlanView | None,
    src: Page,
    diags: list[Diagnostic],
) -> str:
    """The HTML of one analysis shortcode; problems go to ``diags``."""
    unknown = sorted(set(call.kwargs) - _KWARGS[call.name])
    if unknown:
        allowed = ", ".join(sorted(_KWARGS[call.name]))
        problem: str | None = (
            f"{{{{ {call.name}() }}}} has no argument {', '.join(unknown)} (allowed: {allowed})"
        )
    else:
        chosen = _plan_view(project, call, view)
        problem = chosen if isinstance(chosen, str) else check_arguments(call, chosen)
    if problem is not None:
        diags.append(
            Diagnostic(src.file, call.line, None, "shortcode/arguments", Severity.ERROR, problem)
        )
        return ""
    assert not isinstance(chosen, str)
    view = chosen
    page = view.page
    renderer = renderer.for_language(view.plan.language)
    key: tuple[Any, ...]
    if call.name == "ab_test":
        exp_id = call.args[0] if call.args else call.kwargs["id"]
        key = ("analysis", page.src_uri, page.digest, "ab_test", exp_id)
    else:
        key = ("analysis", page.src_uri, page.digest, call.name)
    fresh = key not in project.memo
    if fresh:
        project.memo[key] = _compute(project, view, call.name, key[-1])
    result, problems = project.memo[key]  # type: ignore[misc]
    if fresh:
        diags.extend(problems)
    if result is None:
        return ""
    labels = AnalysisLabels(renderer.language)
    fmt = renderer.formatter(view.plan.currency)
    context = {"a": labels, "fmt": fmt, "view": view, "finite": _finite, "kw": call.kwargs}
    if call.name == "attribution":
        from ...metrics.analysis.attribution import MODELS

        context["models"] = call.kwargs.get("models") or MODELS
    template = renderer.env.get_template(f"analysis/{call.name}.html")
    return template.render(result=result, **context)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _compute(project: Project, view: PlanView, name: str, exp_id: str) -> tuple[Any, list]:
    problems = _Problems(view.page)
    try:
        if name == "ab_test":
            result = _experiment(project, view, exp_id, problems)
        elif name == "attribution":
            result = _attribution(project, view, problems)
        else:
            result = _customers(project, view, problems)
    except (ValueError, ArithmeticError) as e:  # the statistics refused the numbers
        problems.add(
            ("plan",),
            "analysis/failed",
            msg("analysis/failed", name=name, error=e.args[0] if e.args else e),
        )
        result = None
    return (None if problems.failed else result), problems.items


# --------------------------------------------------------------------------- data


def _load(
    project: Project,
    view: PlanView,
    sources: Sequence[Any],
    prefix: PathKey,
    problems: _Problems,
) -> tuple[pd.DataFrame, list[str]]:
    page = view.page
    frame, found = project.store.frame(
        sources, file=page.file, locations=page.front.locations, prefix=prefix
    )
    problems.items.extend(found)
    files: list[str] = []
    for i, source in enumerate(sources):
        paths, _ = project.store.resolve(
            source.path, file=page.file, line=None, field=format_path((*prefix, i))
        )
        files.extend(project.relpath(p) for p in paths)
    return frame, files


def _columns(
    frame: pd.DataFrame,
    files: list[str],
    needs: Sequence[tuple[str, str, PathKey]],
    problems: _Problems,
) -> bool:
    """Check that the columns exist with the right kind ("dimension" or "measure")."""
    where = ", ".join(files) or msg("analysis/column.the-data")
    measures = [c for c in frame.columns if c != "date" and pd.api.types.is_float_dtype(frame[c])]
    dims = [c for c in frame.columns if c != "date" and c not in measures]
    ok = True
    for column, kind, path in needs:
        pool = dims if kind == "dimension" else measures
        if column in pool:
            continue
        if kind == "dimension" and column in measures:
            continue  # numeric ids or variant numbers: read as text below
        close = difflib.get_close_matches(column, pool, n=1, cutoff=0.6)
        hint = msg("hint.close", close=close[0]) if close else ""
        listed = ", ".join(pool) or msg("none")
        problems.add(
            path,
            "analysis/column",
            msg(
                "analysis/column",
                kind=msg(f"analysis/column.{kind}"),
                column=column,
                where=where,
                hint=hint,
                listed=listed,
            ),
        )
        ok = False
    return ok


def _as_text(series: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(series):
        return series.map(
            lambda v: "" if v != v else (f"{v:.0f}" if float(v).is_integer() else f"{v:g}")
        )
    return series.astype(str)


def _as_of(project: Project, view: PlanView, frame: pd.DataFrame) -> pd.Timestamp | None:
    chosen = view.plan.as_of or project.settings.as_of
    if chosen is not None:
        return pd.Timestamp(chosen)
    if frame.empty:
        return None
    return frame["date"].max()


def _spend(view: PlanView, channel_dim: str, first: Any, last: Any) -> dict[str, float]:
    data = view.data.covering((channel_dim,)).frame  # sums per channel: the cube serves
    if "spend" not in data.columns or channel_dim not in data.columns or data.empty:
        return {}
    rows = data
    if first is not None and last is not None:
        rows = data[(data["date"] >= first) & (data["date"] <= last)]
    sums = rows.groupby(rows[channel_dim].astype(str), observed=True)["spend"].sum(min_count=1)
    return {str(k): float(v) for k, v in sums.items() if str(k) and v == v}


# --------------------------------------------------------------------- experiments


def _experiment(project: Project, view: PlanView, exp_id: str, problems: _Problems) -> Any:
    from ...metrics.analysis.experiments import readout

    plan = view.plan
    index = next(i for i, e in enumerate(plan.experiments) if e.id == exp_id)
    exp = plan.experiments[index]
    base: PathKey = ("plan", "experiments", index)
    if exp.data:
        frame, files = _load(project, view, exp.data, (*base, "data"), problems)
    else:
        # Rows, not sums: a numeric variant column must not be added up.
        frame, files = view.data.raw(), ["plan.metrics"]
    needs = [
        (exp.variant_column, "dimension", (*base, "variant_column")),
        (exp.exposure, "measure", (*base, "exposure")),
        (exp.metric, "measure", (*base, "metric")),
    ]
    if frame.empty or not _columns(frame, files, needs, problems):
        return None
    mask = np.ones(len(frame), dtype=bool)
    for dim, values in exp.filter.items():
        if dim not in frame.columns:
            problems.add(
                (*base, "filter", dim),
                "analysis/column",
                msg("analysis/column.filter", dim=dim, files=files),
            )
            return None
        mask &= frame[dim].astype(str).isin(values).to_numpy()
    as_of = _as_of(project, view, frame)
    end = pd.Timestamp(exp.end) if exp.end else as_of
    if as_of is not None and end is not None:
        end = min(end, as_of)
    mask &= (frame["date"] >= pd.Timestamp(exp.start)).to_numpy()
    if end is not None:
        mask &= (frame["date"] <= end).to_numpy()
    rows = frame.loc[mask, ["date", exp.variant_column, exp.exposure, exp.metric]].copy()
    rows[exp.variant_column] = _as_text(rows[exp.variant_column])
    present = set(rows[exp.variant_column].unique())
    others = sorted(present - set(exp.variants))
    if others:
        problems.add(
            (*base, "variants"),
            "analysis/variants",
            msg(
                "analysis/variants.others",
                others=", ".join(repr(o) for o in others[:5]),
                files=files,
                variants=exp.variants,
            ),
            Severity.WARNING,
        )
    for i, name in enumerate(exp.variants):
        if present and name not in present:
            problems.add(
                (*base, "variants", i),
                "analysis/variants",
                msg(
                    "analysis/variants.no-rows",
                    name=name,
                    files=files,
                    start=exp.start,
                    end=end.date() if end is not None else msg("analysis/variants.the-end"),
                ),
                Severity.WARNING,
            )
    rows = rows[rows[exp.variant_column].isin(exp.variants)]
    sums = rows.groupby(exp.variant_column)[[exp.exposure, exp.metric]].sum()
    for name, (n, x) in sums.iterrows():
        if x > n or n < 0 or x < 0:
            problems.add(
                (*base, "metric"),
                "analysis/counts",
                msg(
                    "analysis/counts",
                    name=name,
                    metric=exp.metric,
                    x=x,
                    exposure=exp.exposure,
                    n=n,
                ),
            )
    if problems.failed:
        return None
    return readout(exp, rows, as_of.date() if as_of is not None else None)


# --------------------------------------------------------------------- attribution


def _attribution(project: Project, view: PlanView, problems: _Problems) -> Any:
    from ...metrics.analysis.attribution import attribute_frame

    spec = view.plan.attribution
    assert spec is not None
    base: PathKey = ("plan", "attribution")
    frame, files = _load(project, view, spec.touchpoints, (*base, "touchpoints"), problems)
    needs = [
        (spec.user, "dimension", (*base, "user")),
        (spec.channel, "dimension", (*base, "channel")),
        (spec.conversions, "measure", (*base, "conversions")),
    ]
    if frame.empty or not _columns(frame, files, needs, problems):
        return None
    if spec.revenue not in frame.columns:
        problems.add(
            (*base, "revenue"),
            "analysis/column",
            msg("analysis/column.revenue", column=spec.revenue, files=files),
            Severity.WARNING,
        )
    as_of = _as_of(project, view, frame)
    if as_of is not None:
        frame = frame[frame["date"] <= as_of]
    frame = frame.assign(
        **{spec.user: _as_text(frame[spec.user]), spec.channel: _as_text(frame[spec.channel])}
    )
    result = attribute_frame(
        frame,
        user=spec.user,
        channel=spec.channel,
        conversions=spec.conversions,
        revenue=spec.revenue,
        lookback=spec.lookback,
        half_life=spec.half_life,
        first_share=spec.first_share,
        last_share=spec.last_share,
    )
    spend = _spend(view, project.settings.channel_dimension, result.first, result.last)
    grouped = [spend[c] for c in result.other if c in spend]
    if grouped:  # the channels grouped as (other): their spend is its spend
        from ...metrics.analysis.attribution import OTHER

        spend[OTHER] = float(sum(grouped))
    result.spend = spend
    return result


# ------------------------------------------------------------------------ customers


def _customers(project: Project, view: PlanView, problems: _Problems) -> Any:
    from ...metrics.analysis.customers import channel_values, rfm

    spec = view.plan.customers
    assert spec is not None
    base: PathKey = ("plan", "customers")
    frame, files = _load(project, view, spec.orders, (*base, "orders"), problems)
    needs = [
        (spec.customer, "dimension", (*base, "customer")),
        (spec.amount, "measure", (*base, "amount")),
    ]
    if frame.empty or not _columns(frame, files, needs, problems):
        return None
    as_of = _as_of(project, view, frame)
    if as_of is not None:
        frame = frame[frame["date"] <= as_of]
    negative = int((frame[spec.amount] < 0).sum())
    if negative:
        problems.add(
            (*base, "amount"),
            "analysis/refunds",
            msg("analysis/refunds", n=negative, files=files, amount=spec.amount),
            Severity.INFO,
        )
    channel = _as_text(frame[spec.channel]).to_numpy() if spec.channel in frame.columns else None
    result = rfm(
        _as_text(frame[spec.customer]).to_numpy(),
        frame["date"].to_numpy(),
        frame[spec.amount].to_numpy(dtype=float),
        as_of=as_of.date() if as_of is not None else None,
        margin=spec.margin,
        lifetime_years=spec.lifetime_years,
        channel=channel,
    )
    dim = project.settings.channel_dimension
    start = pd.Timestamp(view.plan.period.start)
    spend = _spend(view, dim, start, as_of)
    data = view.data.covering((dim,)).frame
    new: dict[str, float] = {}
    if "new_customers" in data.columns and dim in data.columns and not data.empty:
        rows = data[data["date"] >= start]
        if as_of is not None:
            rows = rows[rows["date"] <= as_of]
        sums = rows.groupby(rows[dim].astype(str), observed=True)["new_customers"].sum(min_count=1)
        new = {str(k): float(v) for k, v in sums.items() if v == v and v > 0}
    result.channels = channel_values(result, spend, new, view.plan.period.start)
    return result


# ------------------------------------------------------------------------------ UTM


def distinct_text(column: pd.Series) -> list[str]:
    """The column's distinct values as text (as ``astype(str)`` writes them), read from
    a categorical's codes rather than converting a million rows."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Each code marks its category in a table one longer than the categories (-1, a
        # missing value, marks the last): one pass and no copy of the codes. Sorting
        # them (np.unique) or widening them took ~0.05 s a column on 5M rows in a build,
        # most of it the faults of the copies' fresh memory (issue 12).
        n = len(column.cat.categories)
        seen = np.zeros(n + 1, dtype=bool)
        seen[column.cat.codes.to_numpy()] = True
        out = [str(v) for v in column.cat.categories[np.flatnonzero(seen[:n])]]
        return [*out, "nan"] if seen[n] else out
    return [str(v) for v in pd.unique(column.astype(str))]


def utm_taxonomy(project: Project) -> Any:
    """The site's UTM taxonomy (once per build): the ``utm_*`` options plus, from every
    plan, the channel and source values of its data and its budget items as sources,
    and its id and slug-like campaign values as campaigns. None when the check is off."""
    from ...review.utm import taxonomy

    options = project.settings.review.utm
    if options is None or not options.enabled:
        return None
    key = ("utm-taxonomy",)
    if key not in project.memo:
        dims: list[dict[str, list[str]]] = []
        items: list[str] = []
        seen: set[int] = set()  # plans that share data share values: each cube read once
        for page in list(project.plans.values()):
            view = project.evaluate(page)
            if view is None:
                continue
            if id(view.data) not in seen:
                seen.add(id(view.data))
                values = project.utm_values(view.data)  # noted as the rows were read
                if values is None:
                    frame = view.data.covering(UTM_DIMS).frame
                    values = {d: distinct_text(frame[d]) for d in UTM_DIMS if d in frame.columns}
                dims.append(values)
            if view.plan.budget is not None:
                for alloc in view.plan.budget.allocations:
                    items += [alloc.item, *(alloc.match or [])]
        project.memo[key] = taxonomy(
            options, project.settings.review.own_domains, dims, list(project.plans), items
        )
    return project.memo[key]
