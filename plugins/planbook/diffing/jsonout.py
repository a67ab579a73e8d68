"""A site diff as JSON (English keys, plain values) for tools."""

from __future__ import annotations

from typing import Any

from .compare import Change, ItemDiff, SiteDiff, _plain
from .markdown import summary_line
from .snapshot import FindingRecord

# --------------------------------------------------------------------------- JSON


def _change_json(c: Change) -> dict[str, Any]:
    if c.fmt == "allocation":
        return {
            "field": "amount",
            "old": {"amount": c.old[0], "share": round(c.old[1], 6)},
            "new": {"amount": c.new[0], "share": round(c.new[1], 6)},
        }
    return {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)}


def _item_json(it: ItemDiff) -> dict[str, Any]:
    out: dict[str, Any] = {"id": it.id, "change": it.change}
    if it.change == "changed":
        out["changes"] = [_change_json(c) for c in it.changes]
    elif it.change == "added":
        out["new"] = _plain(it.new)
    else:
        out["old"] = _plain(it.old)
    return out


def _phase_json(it: ItemDiff) -> dict[str, Any]:
    """A phase, with its goals (``plan.phases[].goals``) added, removed or changed."""
    return {**_item_json(it), "goals": [_item_json(g) for g in it.goals]}


def _finding_json(f: FindingRecord) -> dict[str, Any]:
    return {
        "file": f.file,
        "line": f.line,
        "rule": f.rule,
        "text": f.text,
        "severity": f.severity,
        "state": f.state,
        "column": f.column,
        "draft": f.draft,
        "message": f.message,
    }


def to_json(d: SiteDiff) -> dict[str, Any]:
    """The diff as plain data (``json.dumps``-able)."""
    plans = []
    for p in d.plans:
        plans.append(
            {
                "id": p.id,
                "change": p.change,
                "file": p.file,
                "old_file": p.old_file,
                "title": p.title,
                "currency": p.currency,
                "fields": [_change_json(c) for c in p.fields],
                "goals": [_item_json(i) for i in p.goals],
                "budget": [_change_json(c) for c in p.budget],
                "allocations": [_item_json(i) for i in p.allocations],
                "personas": [_item_json(i) for i in p.personas],
                "phases": [_phase_json(i) for i in p.phases],
                "risks": [_item_json(i) for i in p.risks],
                "findings": {
                    "new": [_finding_json(f) for f in p.new_findings],
                    "resolved": [_finding_json(f) for f in p.resolved_findings],
                },
            }
        )
    pages = [
        {
            "file": pg.file,
            "findings": {
                "new": [_finding_json(f) for f in pg.new_findings],
                "resolved": [_finding_json(f) for f in pg.resolved_findings],
            },
        }
        for pg in d.pages
    ]
    return {
        "version": 1,
        "base": d.base,
        "head": d.head,
        "changed": not d.empty,
        "summary": summary_line(d),
        "notes": list(d.notes),
        "plans": plans,
        "pages": pages,
    }
