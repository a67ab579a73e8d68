"""Front-matter fields of the analysis parts: ``plan.experiments``, ``plan.attribution``,
``plan.customers`` (validated by :func:`planbook.model.validate` as part of ``Plan``).

Kept apart from :mod:`planbook.model` so the plan schema gains three fields and nothing
else; the types mirror the model's (slugs, text, metric sources).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ...fields import Slug as _Slug
from ...fields import scalar_text as _text
from ...messages import msg

_Text = Annotated[str, BeforeValidator(_text)]
_Column = Annotated[str, StringConstraints(min_length=1, max_length=80)]


def _sources(v: Any) -> Any:
    # One path, a list of paths, or mappings {path, set} like plan.metrics.
    if isinstance(v, str | dict):
        v = [v]
    if isinstance(v, list):
        return [{"path": s} if isinstance(s, str) else s for s in v]
    return v


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class DataSource(_Model):
    """A data file inside ``data/`` (glob allowed) with optional constant columns."""

    path: str
    set: dict[_Slug, _Text] = Field(default_factory=dict)


Sources = Annotated[list[DataSource], BeforeValidator(_sources)]
_Filter = Annotated[list[_Text], BeforeValidator(lambda v: v if isinstance(v, list) else [v])]
_Days = Annotated[int, Field(ge=1, le=3650)]


class Experiment(_Model):
    """An A/B test: rows of ``data`` carry a variant column, exposures and conversions."""

    id: _Slug
    hypothesis: _Text
    metric: _Column = "conversions"
    exposure: _Column = "users"
    variant_column: _Column = "variant"
    variants: list[_Text] = Field(min_length=2, max_length=10)
    data: Sources = Field(default_factory=list)
    filter: dict[_Slug, _Filter] = Field(default_factory=dict)
    start: date
    end: date | None = None
    sample: Annotated[int, Field(ge=10, le=10**12)] | None = None
    baseline: Annotated[float, Field(gt=0, lt=1)] | None = None
    mde: Annotated[float, Field(gt=0, le=10)]
    alpha: Annotated[float, Field(gt=0, le=0.2)] = 0.05
    power: Annotated[float, Field(ge=0.5, lt=1)] = 0.8
    owner: _Text | None = None

    @field_validator("variants")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        seen: set[str] = set()
        for name in v:
            if not name:
                raise ValueError(msg("schema.variant-empty"))
            if name in seen:
                raise ValueError(msg("schema.variant-twice", name=name))
            seen.add(name)
        return v

    @model_validator(mode="after")
    def _dates(self) -> Experiment:
        if self.end is not None and self.end < self.start:
            raise ValueError(msg("schema.end-before-start", end=self.end, start=self.start))
        return self


class Attribution(_Model):
    """Touchpoint data: one row per touch or conversion, per user (or order)."""

    touchpoints: Sources
    user: _Column = "user_id"
    channel: _Column = "channel"
    conversions: _Column = "conversions"
    revenue: _Column = "revenue"
    lookback: _Days = 30
    half_life: Annotated[float, Field(gt=0, le=365)] = 7.0
    first_share: Annotated[float, Field(ge=0, le=1)] = 0.4
    last_share: Annotated[float, Field(ge=0, le=1)] = 0.4

    @model_validator(mode="after")
    def _shares(self) -> Attribution:
        if self.first_share + self.last_share > 1 + 1e-9:
            raise ValueError(msg("schema.shares", total=self.first_share + self.last_share))
        return self


class Customers(_Model):
    """An orders file: customer id, date, amount (and the acquisition channel)."""

    orders: Sources
    customer: _Column = "customer_id"
    amount: _Column = "revenue"
    channel: _Column = "channel"
    margin: Annotated[float, Field(gt=0, le=1)] = 1.0
    lifetime_years: Annotated[float, Field(gt=0, le=50)] = 3.0
