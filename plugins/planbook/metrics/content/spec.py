"""Front-matter fields of the content rhythm: ``plan.content`` (cadence targets, themes,
post-list files) and a copy page's ``publish:`` mapping.

Kept apart from :mod:`planbook.model` like the analysis fields: the plan schema gains
one field; the types mirror the model's (slugs, text, ISO dates, data sources).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from ...fields import Slug
from ...fields import scalar_text as _text
from ...messages import msg


def _day(v: Any) -> Any:
    # pydantic reads a number as a Unix time: dates are ISO text.
    if isinstance(v, bool | int | float):
        raise ValueError(msg("schema.date-number", got=v))
    return v


def _count(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError(msg("schema.whole-bool", got=str(v).lower()))
    return v


def _sources(v: Any) -> Any:
    if isinstance(v, str | dict):
        v = [v]
    if isinstance(v, list):
        return [{"path": s} if isinstance(s, str) else s for s in v]
    return v


Text = Annotated[str, BeforeValidator(_text)]
Day = Annotated[date, BeforeValidator(_day)]
Count = Annotated[int, BeforeValidator(_count), Field(ge=0, le=10_000)]
Per = Literal["week", "month"]
PUBLISH_STATUSES = ("planned", "draft", "review", "scheduled", "published")
PublishStatus = Literal["planned", "draft", "review", "scheduled", "published"]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        allow_inf_nan=False,
        defer_build=True,
    )


class Cadence(_Model):
    """How many items a channel publishes per week or month (``min``–``max``)."""

    channel: Slug
    per: Per
    min: Count
    max: Count | None = None
    label: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> Cadence:
        if self.max is not None and self.max < self.min:
            raise ValueError(msg("schema.max-below-min", max=self.max, min=self.min))
        return self


class Theme(_Model):
    """A content theme (花粉季科普), optionally for some dates and channels."""

    name: Text
    start: Day | None = None
    end: Day | None = None
    channels: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> Theme:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(msg("schema.end-before-start", end=self.end, start=self.start))
        return self


class PostSource(_Model):
    """A post-list export inside ``data/`` (date, channel, title, url, status)."""

    path: str
    set: dict[Slug, Text] = Field(default_factory=dict)
    profile: Slug | None = None
    encoding: str | None = None


class ContentPlan(_Model):
    """``plan.content``: cadence targets per channel, themes, and post-list files."""

    cadence: list[Cadence] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    posts: Annotated[list[PostSource], BeforeValidator(_sources)] = Field(default_factory=list)
    week_start: Literal["monday", "sunday"] = "monday"

    @property
    def first_weekday(self) -> int:
        """0 (Monday) or 6 (Sunday), as :mod:`datetime` counts."""
        return 6 if self.week_start == "sunday" else 0


class Publish(_Model):
    """A copy page's ``publish:`` mapping: when and where it goes out, and how far it is."""

    date: Day
    channel: Slug
    status: PublishStatus = "planned"
    plan: Slug | None = None
    title: Text | None = None
