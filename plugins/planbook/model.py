"""Front matter -> typed plan objects (pydantic), with located diagnostics.

A page is a *plan* when its front matter has a ``plan:`` mapping and a *persona*
when it has a ``persona:`` mapping. Everything else passes through untouched.
Validation errors become diagnostics in :mod:`.validation`; the checks that span
several fields are here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .diagnostics import Diagnostic, Severity
from .fields import Slug
from .fields import scalar_text as _text
from .frontmatter import Locations, PathKey, format_path
from .messages import msg
from .metrics.analysis.spec import Attribution, Customers, Experiment
from .metrics.content.spec import ContentPlan
from .validation import validate as validate  # it lived here

Status = Literal["draft", "review", "approved", "active", "closed"]
STATUSES: tuple[str, ...] = ("draft", "review", "approved", "active", "closed")

_WINDOW = re.compile(r"^\s*(\d+)\s*([dwm])\s*$")
_WINDOW_DAYS = {"d": 1, "w": 7, "m": 30}
MAX_WINDOW_DAYS = 3660  # ten years


def window_days(value: str) -> int:
    """``"7d"`` -> 7, ``"4w"`` -> 28, ``"1m"`` -> 30."""
    m = _WINDOW.match(value)
    if not m:
        raise ValueError(msg("schema.window", got=value))
    digits = m.group(1).lstrip("0") or "0"
    if len(digits) > 5:  # 99999999999999999999d overflows every date computation
        raise ValueError(msg("schema.window-max", most=MAX_WINDOW_DAYS, got=value[:30]))
    n = int(digits) * _WINDOW_DAYS[m.group(2)]
    if n <= 0:
        raise ValueError(msg("schema.window-min", got=value))
    if n > MAX_WINDOW_DAYS:
        raise ValueError(msg("schema.window-max", most=MAX_WINDOW_DAYS, got=value))
    return n


Text = Annotated[str, BeforeValidator(_text)]


def _number(v: Any) -> Any:
    # YAML's `true` is not 1, and `.inf`, `1e309` or `.nan` are not amounts (the model
    # config refuses non-finite values; this catches the text spellings pydantic reads).
    if isinstance(v, bool):
        raise ValueError(msg("schema.bool-number", got=str(v).lower()))
    if isinstance(v, str) and v.strip().lower().lstrip("+-") in {"nan", "inf", "infinity"}:
        raise ValueError(msg("schema.non-finite", got=v))
    if isinstance(v, str):
        return _number_text(v)
    return v


def _number_text(v: str) -> Any:
    """Numbers written as in the exports (``2.5%``, ``70万``, ``1.2亿``, ``¥1,000,000``,
    full-width digits) read as the CSV reader reads them; other text is left for the
    type check to refuse with "expected a number"."""
    import pandas as pd

    from .sources.values import parse_numbers

    values, bad = parse_numbers(pd.Series([v], dtype=object))
    number = float(values[0])
    if bad[0] or number != number:  # not a number, or a missing marker such as '-'
        return v
    if number in (float("inf"), float("-inf")):
        raise ValueError(msg("schema.non-finite", got=v))
    return number


def _day(v: Any) -> Any:
    # pydantic reads a number as a Unix time (1793491200 -> 2026-10-31): dates are ISO text.
    if isinstance(v, bool | int | float):
        raise ValueError(msg("schema.date-number", got=v))
    return v


Number = Annotated[float, BeforeValidator(_number)]
Whole = Annotated[int, BeforeValidator(_number)]
Day = Annotated[date, BeforeValidator(_day)]


class _Model(BaseModel):
    # Numbers in front matter are finite real numbers.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        allow_inf_nan=False,
        defer_build=True,
    )


# The days a data file's dates can hold (``datetime64[ns]``, sources.values.NS_DAYS): a
# period reaching past them would compare its rows with a bound that wrapped around.
READABLE_DAYS = (date(1677, 9, 22), date(2262, 4, 11))


class Period(_Model):
    start: Day
    end: Day

    @field_validator("start", "end")
    @classmethod
    def _readable(cls, v: date) -> date:
        if not READABLE_DAYS[0] <= v <= READABLE_DAYS[1]:
            raise ValueError(
                msg("schema.period-day", got=v, first=READABLE_DAYS[0], last=READABLE_DAYS[1])
            )
        return v


def _settable(name: str) -> str:
    """``set`` adds a constant text dimension to each row of a source: never the day (a
    constant day broke the plan's evaluation) nor a built-in measure (the constant became
    text, and the plan then had no such measure)."""
    from .columns import DATE, MEASURES

    if name == DATE:
        raise ValueError(msg("schema.set-date"))
    if name in MEASURES:
        raise ValueError(msg("schema.set-measure", name=name))
    return name


class MetricSource(_Model):
    """One metric source: a path or glob inside ``data/``, optional constant dimensions,
    and how to read it where detection cannot tell (export profile, encoding, decimal
    mark, workbook sheet, date format); or a table or query of a named database
    connection, aggregated where it lives (``dimensions``, ``where``, ``refresh``)."""

    path: str | None = None
    connection: Slug | None = None
    table: str | None = None
    sql: Annotated[str, StringConstraints(min_length=1, max_length=100_000)] | None = None
    dimensions: list[Slug] = Field(default_factory=list)
    where: dict[
        Slug, Annotated[list[Text], BeforeValidator(lambda v: v if isinstance(v, list) else [v])]
    ] = Field(default_factory=dict)
    refresh: str | float | None = None
    set: dict[Annotated[Slug, AfterValidator(_settable)], Text] = Field(default_factory=dict)
    profile: Slug | None = None
    encoding: str | None = None
    decimal: Literal[".", ","] | None = None
    sheet: Text | None = None
    date_format: str | None = None

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        from .sources.encoding import normalize

        if v is not None and normalize(v) is None:
            raise ValueError(msg("schema.encoding", got=v[:40]))
        return v

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, v: str | None) -> str | None:
        if v is not None and not re.search(r"%[dYymbBj]", v):
            raise ValueError(msg("schema.date-format", got=v[:40]))
        return v

    @field_validator("table")
    @classmethod
    def _table(cls, v: str | None) -> str | None:
        from .sources.connections import valid_table_name

        if v is not None and not valid_table_name(v):
            raise ValueError(msg("schema.table", got=v[:60]))
        return v

    @field_validator("refresh")
    @classmethod
    def _refresh(cls, v: str | float | None) -> str | float | None:
        from .sources.connections import parse_refresh

        if v is not None:
            parse_refresh(v)
        return v

    @model_validator(mode="after")
    def _one_source(self) -> MetricSource:
        given = [k for k in ("path", "table", "sql") if getattr(self, k) is not None]
        if len(given) != 1:
            got = " and ".join(f"`{k}`" for k in given) if given else msg("none")
            raise ValueError(msg("schema.one-source", got=got))
        if self.path is not None:
            db_only = [
                k for k in ("connection", "dimensions", "where", "refresh") if getattr(self, k)
            ]
            if db_only:
                raise ValueError(msg("schema.db-only", key=db_only[0]))
        else:
            if self.connection is None:
                raise ValueError(msg("schema.needs-connection", key=given[0]))
            file_only = [
                k
                for k in ("profile", "encoding", "decimal", "sheet", "date_format")
                if getattr(self, k)
            ]
            if file_only:
                raise ValueError(msg("schema.file-only", key=file_only[0]))
        return self


def _source(v: Any) -> Any:
    return {"path": v} if isinstance(v, str) else v


Source = Annotated[MetricSource, BeforeValidator(_source)]
FilterValue = Annotated[list[Text], BeforeValidator(lambda v: v if isinstance(v, list) else [v])]


class GoalMilestone(_Model):
    """An intermediate target: pacing runs through it (``goals[].milestones``). Dated, or
    at the end of a named phase."""

    date: Day | None = None
    phase: Text | None = None
    target: Number
    name: Text | None = None
    owner: Text | None = None


class Goal(_Model):
    id: Slug
    statement: Text
    kpi: Text
    aggregate: Literal["sum", "daily_mean", "last"] | None = None
    window: str | None = None
    baseline: Number
    target: Number
    start: Day | None = None
    deadline: Day
    owner: Text | None = None
    filter: dict[Slug, FilterValue] = Field(default_factory=dict)
    objective: Slug | None = None
    milestones: list[GoalMilestone] = Field(default_factory=list)

    @field_validator("window")
    @classmethod
    def _window(cls, v: str | None) -> str | None:
        if v is not None:
            window_days(v)
        return v


class KpiDef(_Model):
    id: Slug
    label: Text | None = None
    formula: Text
    format: Literal["number", "percent", "currency", "decimal"] = "number"


class Allocation(_Model):
    item: Slug
    label: Text | None = None
    share: Annotated[Number, Field(ge=0, le=1)] | None = None
    amount: Annotated[Number, Field(ge=0)] | None = None
    cap: Annotated[Number, Field(ge=0)] | None = None
    match: list[Text] | None = None
    spent: Annotated[Number, Field(ge=0)] | None = None


class Budget(_Model):
    total: Annotated[Number, Field(gt=0)]
    by: Slug = "channel"
    allocations: list[Allocation] = Field(default_factory=list)


class Milestone(_Model):
    name: Text
    date: Day
    owner: Text | None = None
    done: bool = False


class PhaseGoal(Goal):
    """A phase's own goal (阶段目标): from the phase's start to its end unless given."""

    deadline: Day | None = None  # type: ignore[assignment]


class Phase(_Model):
    name: Text
    start: Day
    end: Day
    focus: Text | None = None
    milestones: list[Milestone] = Field(default_factory=list)
    goals: list[PhaseGoal] = Field(default_factory=list)


class Objective(_Model):
    """A business objective goals serve (``goals[].objective`` names it)."""

    id: Slug
    statement: Text
    owner: Text | None = None


class TeamMember(_Model):
    role: Text
    name: Text | None = None
    duties: Text | None = None


class Risk(_Model):
    id: Slug
    title: Text
    category: Literal["market", "technical", "financial", "legal", "reputation", "operational"]
    likelihood: Annotated[Whole, Field(ge=1, le=5)]
    impact: Annotated[Whole, Field(ge=1, le=5)]
    owner: Text | None = None
    mitigation: Text | None = None
    contingency: Text | None = None


StrList = Annotated[list[Text], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]


class Persona(_Model):
    id: Slug
    name: Text
    age: Annotated[Whole, Field(ge=0, le=120)] | Text | None = None
    gender: Text | None = None
    city: Text | None = None
    occupation: Text | None = None
    income: Text | None = None
    segment: Text | None = None
    language: Literal["zh", "en"] | None = None  # of the card's labels (default: the site's)
    interests: StrList = Field(default_factory=list)
    pains: StrList = Field(default_factory=list)
    needs: StrList = Field(default_factory=list)
    info_channels: StrList = Field(default_factory=list)
    buying_channels: StrList = Field(default_factory=list)
    scenario: Text | None = None
    quote: Text | None = None


PersonaRef = Slug | Persona


class Reports(_Model):
    """Generate a report page per closed period (``every``)."""

    every: Literal["week", "month", "quarter"]
    roi_threshold: Number = 0.0
    shift_share: Annotated[Number, Field(gt=0, le=1)] = 0.2


class Plan(_Model):
    id: Slug
    title: Text | None = None
    owner: Text | None = None
    status: Status = "draft"
    period: Period
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "CNY"
    language: Literal["zh", "en"] | None = None
    as_of: Day | None = None
    metrics: list[Source] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    kpis: list[KpiDef] = Field(default_factory=list)
    budget: Budget | None = None
    phases: list[Phase] = Field(default_factory=list)
    personas: list[PersonaRef] = Field(default_factory=list)
    team: list[TeamMember] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    review: dict[str, Any] | None = None
    reports: Reports | None = None
    channel_filter: dict[Slug, FilterValue] = Field(default_factory=dict)
    experiments: list[Experiment] = Field(default_factory=list)
    attribution: Attribution | None = None
    customers: Customers | None = None
    content: ContentPlan | None = None

    @property
    def first_weekday(self) -> int:
        """The day the plan's weeks start on, 0 (Monday, ISO) or 6 (Sunday), as
        :mod:`datetime` counts: ``content.week_start``, for the calendar, the cadence,
        weekly reports and weekly trends alike."""
        return self.content.first_weekday if self.content is not None else 0


# ------------------------------------------------------------------ cross-field checks


def check_plan(plan: Plan, *, file: str, locations: Locations) -> list[Diagnostic]:
    """Checks that span several fields: dates inside the period, unique ids, budget sums."""
    diags: list[Diagnostic] = []

    def err(path: PathKey, rule: str, msg: str, severity: Severity = Severity.ERROR) -> None:
        full = ("plan", *path)
        diags.append(Diagnostic(file, locations.line(full), format_path(full), rule, severity, msg))

    p = plan.period
    if p.end < p.start:
        err(("period", "end"), "plan/period", msg("plan/period", end=p.end, start=p.start))
    for i, g in enumerate(plan.goals):
        if not p.start <= g.deadline <= p.end:
            err(
                ("goals", i, "deadline"),
                "plan/deadline-outside-period",
                msg("plan/deadline-outside-period", deadline=g.deadline, start=p.start, end=p.end),
            )
        if g.start is not None and not p.start <= g.start <= g.deadline:
            err(
                ("goals", i, "start"),
                "plan/goal-start",
                msg("plan/goal-start", at=g.start, start=p.start, deadline=g.deadline),
            )
        if g.target == g.baseline:
            err(
                ("goals", i, "target"),
                "plan/target-equals-baseline",
                msg("plan/target-equals-baseline", target=g.target),
            )
    for i, ph in enumerate(plan.phases):
        if ph.end < ph.start:
            err(
                ("phases", i, "end"),
                "plan/phase-dates",
                msg("plan/phase-dates", end=ph.end, start=ph.start),
            )
        elif ph.start < p.start or ph.end > p.end:
            err(
                ("phases", i),
                "plan/phase-outside-period",
                msg(
                    "plan/phase-outside-period",
                    phase_start=ph.start,
                    phase_end=ph.end,
                    start=p.start,
                    end=p.end,
                ),
                Severity.WARNING,
            )
    for name, items in (("goals", plan.goals), ("kpis", plan.kpis), ("risks", plan.risks)):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                err(
                    (name, i, "id"),
                    "plan/duplicate-id",
                    msg("plan/duplicate-id", id=item.id, name=name, first=seen[item.id]),
                )
            seen.setdefault(item.id, i)
    if plan.budget is not None:
        diags.extend(_check_budget(plan, file=file, locations=locations))
    from .metrics.targets import check_targets  # local: targets reads these models

    diags.extend(check_targets(plan, file=file, locations=locations))
    return diags


def allocation_amount(alloc: Allocation, total: float) -> float:
    return alloc.amount if alloc.amount is not None else (alloc.share or 0.0) * total


def _check_budget(plan: Plan, *, file: str, locations: Locations) -> list[Diagnostic]:
    from .format import plain_number  # local: format imports babel, keep model import light

    budget = plan.budget
    assert budget is not None
    diags: list[Diagnostic] = []

    def err(path: PathKey, rule: str, msg: str, severity: Severity = Severity.ERROR) -> None:
        full = ("plan", "budget", *path)
        diags.append(Diagnostic(file, locations.line(full), format_path(full), rule, severity, msg))

    items: dict[str, int] = {}
    for i, a in enumerate(budget.allocations):
        if (a.share is None) == (a.amount is None):
            err(
                ("allocations", i),
                "budget/share-or-amount",
                msg("budget/share-or-amount", item=a.item),
            )
        if a.item in items:
            err(
                ("allocations", i, "item"),
                "plan/duplicate-id",
                msg("plan/duplicate-id.allocation", item=a.item, first=items[a.item]),
            )
        items.setdefault(a.item, i)
        planned = allocation_amount(a, budget.total)
        if a.cap is not None and planned > a.cap:
            err(
                ("allocations", i, "cap"),
                "budget/planned-over-cap",
                msg(
                    "budget/planned-over-cap",
                    planned=plain_number(planned),
                    item=a.item,
                    cap=plain_number(a.cap),
                ),
                Severity.WARNING,
            )
    if budget.allocations and not any(d.rule == "budget/share-or-amount" for d in diags):
        allocated = sum(allocation_amount(a, budget.total) for a in budget.allocations)
        diff = allocated - budget.total
        if abs(diff) > max(0.005, budget.total * 1e-9):
            shares = sum(a.share or 0 for a in budget.allocations)
            key = (
                "budget/allocations-sum.shares"
                if all(a.share is not None for a in budget.allocations)
                else "budget/allocations-sum"
            )
            word = msg(
                "budget/allocations-sum.over" if diff > 0 else "budget/allocations-sum.short"
            )
            err(
                ("allocations",),
                "budget/allocations-sum",
                msg(
                    key,
                    allocated=plain_number(allocated),
                    shares=shares,
                    diff=plain_number(abs(diff)),
                    word=word,
                    total=plain_number(budget.total),
                ),
            )
    return diags
