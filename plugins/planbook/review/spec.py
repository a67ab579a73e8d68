"""The ``review:`` front-matter spec of a page (or ``plan.review:`` of a plan).

Validated through :func:`planbook.model.validate`, so every error names the
file, the line and the field path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from ..fields import scalar_text as _text
from ..messages import msg

Market = Literal["cn", "en"]
Channel = Literal["plan", "web", "social", "kol", "sem", "sms", "email"]
CHANNELS: tuple[str, ...] = ("plan", "web", "social", "kol", "sem", "sms", "email")
MARKETS: tuple[str, ...] = ("cn", "en")
ReviewStatus = Literal["draft", "review", "approved", "active", "closed"]
Decision = Literal["approved", "rejected", "changes-requested"]
ItemState = Literal["done", "open", "n-a"]


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Waiver(_Model):
    """Accept one finding (rule + matched text) with a reason and an approver."""

    rule: Text
    match: Text | None = None
    reason: Text
    approved_by: Text | None = None
    expires: dt.date | None = None


class Approval(_Model):
    """A sign-off by a role (``legal``, ``brand`` ...) with its decision."""

    role: Text
    name: Text
    date: dt.date
    decision: Decision = "approved"
    note: Text | None = None


class ChecklistState(_Model):
    """The state of one manual checklist item, and who signed it off when."""

    state: ItemState = "open"
    by: Text | None = None
    date: dt.date | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _signed(self) -> ChecklistState:
        if self.state != "open" and self.by is None:
            raise ValueError(msg("schema.signed-by", state=self.state))
        return self


def _state(v: Any) -> Any:
    # ``copyright: done`` is shorthand for ``copyright: {state: done}``.
    return {"state": v} if isinstance(v, str) else v


class ReviewSpec(_Model):
    """What a page says about its own review (front matter ``review:``)."""

    status: ReviewStatus | None = None
    market: Market | None = None
    channel: Channel | None = None
    sponsored: bool | None = None
    waivers: list[Waiver] = Field(default_factory=list)
    approvals: list[Approval] = Field(default_factory=list)
    checklist: dict[str, Annotated[ChecklistState, BeforeValidator(_state)]] = Field(
        default_factory=dict
    )


@dataclass(frozen=True)
class ChecklistItemDef:
    """A manual checklist item a site asks for (``role`` links it to approvals)."""

    id: str
    label_zh: str
    label_en: str
    required: bool = True
    role: str | None = None

    def label(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") else self.label_en


DEFAULT_CHECKLIST: tuple[ChecklistItemDef, ...] = (
    ChecklistItemDef(
        "copyright",
        "素材版权与授权（图片、字体、音乐、肖像）",
        "Copyright and licence of every asset",
    ),
    ChecklistItemDef("accuracy", "事实与数据准确", "Factual accuracy"),
    ChecklistItemDef("brand-tone", "品牌调性", "Brand tone"),
    ChecklistItemDef("legal-signoff", "法务审核签字", "Legal sign-off", role="legal"),
    ChecklistItemDef(
        "privacy-notice", "数据收集的隐私告知", "Privacy notice for data collection", required=False
    ),
)
