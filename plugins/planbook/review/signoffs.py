"""Sign-offs on a reviewed page: the front matter's waivers applied to its findings (each
waiver names its rule, and an approver where the rule asks for one), and the manual
checklist (copyright, accuracy, brand tone, legal sign-off), each item's state taken from
the page's ``checklist:`` or from the latest approval of the item's role.
:func:`~.engine.review_page` calls them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..frontmatter import Locations, PathKey, format_path
from ..messages import msg
from .rules import ASCII_LOWER, RuleSet
from .spec import Approval, ReviewSpec

if TYPE_CHECKING:
    from .engine import PageReview, ReviewConfig


@dataclass
class ChecklistRow:
    """A manual checklist item with its state and sign-off."""

    id: str
    label_zh: str
    label_en: str
    required: bool
    state: str = "open"
    by: str | None = None
    date: date | None = None
    note: str | None = None

    @property
    def signed(self) -> bool:
        return self.state in ("done", "n-a") and self.by is not None

    def label(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") else self.label_en


def latest_approvals(approvals: list[Approval]) -> dict[str, Approval]:
    """Each role's latest approval (by date; of two on the same day, the later entry)."""
    latest: dict[str, Approval] = {}
    for a in approvals:
        if a.role not in latest or a.date >= latest[a.role].date:
            latest[a.role] = a
    return latest


def apply_waivers(
    review: PageReview,
    spec: ReviewSpec,
    ruleset: RuleSet,
    file: str,
    locations: Locations,
    prefix: PathKey,
    today: date,
) -> list[Diagnostic]:
    """Mark the findings each of the ``spec``'s waivers covers as waived; diagnostics for a
    waiver of an unknown rule, without the approver its rule asks for, expired, or unused."""
    diags: list[Diagnostic] = []
    for i, w in enumerate(spec.waivers):
        path: PathKey = (*prefix, "waivers", i)

        def err(
            sub: str | None, msg: str, sev: Severity = Severity.ERROR, p: PathKey = path
        ) -> None:
            full = (*p, sub) if sub else p
            diags.append(
                Diagnostic(file, locations.line(full), format_path(full), "review/waiver", sev, msg)
            )

        rule = ruleset.rules.get(w.rule)
        if rule is None:
            close = difflib.get_close_matches(w.rule, list(ruleset.rules), n=1)
            hint = msg("hint.close", close=close[0]) if close else ""
            err("rule", msg("review/waiver.unknown-rule", rule=w.rule, hint=hint))
            continue
        if rule.waiver_needs_approver and not w.approved_by:
            err(
                "approved_by",
                msg("review/waiver.approver", rule=w.rule, category=rule.category),
            )
            continue
        if w.expires is not None and w.expires < today:
            err("expires", msg("review/waiver.expired", rule=w.rule, expires=w.expires))
            continue
        want = w.match.translate(ASCII_LOWER) if w.match else None
        used = False
        for f in review.findings:
            if f.state != "open" or f.rule != w.rule:
                continue
            if want is not None and want not in f.text.translate(ASCII_LOWER):
                continue
            f.state, f.waived_by, f.reason = "waived", w.approved_by, w.reason
            used = True
        if not used:
            what = msg("review/waiver.matching", match=w.match) if w.match else ""
            err(None, msg("review/waiver.unused", rule=w.rule, what=what), Severity.WARNING)
    return diags


def checklist_rows(
    spec: ReviewSpec, config: ReviewConfig, file: str, locations: Locations, prefix: PathKey
) -> tuple[list[ChecklistRow], list[Diagnostic]]:
    """The site's checklist items, each with its state (the ``spec``'s ``checklist:``, else
    the latest approval of the item's role), and diagnostics for items the site lacks."""
    diags: list[Diagnostic] = []
    known = {item.id for item in config.checklist}
    for key in spec.checklist:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = msg("hint.close", close=close[0]) if close else ""
            full = (*prefix, "checklist", key)
            diags.append(
                Diagnostic(
                    file,
                    locations.line(full),
                    format_path(full),
                    "review/checklist",
                    Severity.ERROR,
                    msg("review/checklist", key=key, hint=hint, items=sorted(known)),
                )
            )
    latest = latest_approvals(spec.approvals)
    rows: list[ChecklistRow] = []
    for item in config.checklist:
        row = ChecklistRow(item.id, item.label_zh, item.label_en, item.required)
        state = spec.checklist.get(item.id)
        if state is not None:
            row.state, row.by, row.date, row.note = state.state, state.by, state.date, state.note
        elif item.role and item.role in latest:
            a = latest[item.role]
            row.state = "done" if a.decision == "approved" else "open"
            row.by, row.date, row.note = (
                a.name,
                a.date,
                a.note or (None if a.decision == "approved" else a.decision),
            )
        rows.append(row)
    return rows, diags
