"""Compliance and content review: rule packs, findings, waivers, checklist.

The engine never imports MkDocs: the plugin and the CLI call
:func:`load_ruleset` once per build and :func:`review_page` per page.
"""

from __future__ import annotations

from .engine import (
    BLOCKING_STATUSES,
    ChecklistRow,
    Finding,
    PageReview,
    ReviewConfig,
    RulesetCache,
    load_ruleset,
    review_front_matter,
    review_page,
)
from .explain import explain
from .rules import BUILTIN_PACKS, Rule, RuleSet
from .spec import (
    CHANNELS,
    DEFAULT_CHECKLIST,
    MARKETS,
    Approval,
    ChecklistItemDef,
    ChecklistState,
    ReviewSpec,
    Waiver,
)

__all__ = [
    "BLOCKING_STATUSES",
    "BUILTIN_PACKS",
    "CHANNELS",
    "DEFAULT_CHECKLIST",
    "MARKETS",
    "Approval",
    "ChecklistItemDef",
    "ChecklistRow",
    "ChecklistState",
    "Finding",
    "PageReview",
    "ReviewConfig",
    "ReviewSpec",
    "Rule",
    "RuleSet",
    "RulesetCache",
    "Waiver",
    "explain",
    "load_ruleset",
    "review_front_matter",
    "review_page",
]
