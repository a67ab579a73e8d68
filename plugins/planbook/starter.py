"""A new plan repository (``planbook init``): configuration, a first plan with data, a
persona, workflows, editor settings and a README, in Chinese or English.

Plain Python: the CLI passes the folder, the language and today's date. The files come
from ``templates/starter/`` (``common/`` for both languages, ``zh/`` or ``en/`` for the
rest) with ``@@NAME@@`` placeholders, the plan and persona from the ``planbook new``
templates' text, and the metric file from :func:`sample_rows`, so a fresh repository
builds with ``mkdocs build --strict`` and passes ``planbook check``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import __version__
from .scaffold import ScaffoldError, render, template_path, values
from .views.render_env import shipped_templates

PLAN_ID = "first-plan"
PERSONA_ID = {"zh": "li-ming", "en": "alex-chen"}
DATA_FILE = f"data/{PLAN_ID}/ads.csv"


class InitError(ScaffoldError):
    """The folder cannot take a new plan repository."""


@dataclass(frozen=True)
class Starter:
    """What ``planbook init`` wrote."""

    root: Path
    files: tuple[Path, ...]


def plan_start(today: date) -> date:
    """The first plan starts on the first day of last month: it has weeks of data."""
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def sample_rows(start: date, today: date) -> str:
    """A small ads export from ``start`` to the day before ``today`` (at least 28 days).

    Deterministic: the same dates give the same bytes. Paid channels (sem, social) carry
    impressions, clicks, spend, conversions and revenue; organic search (seo) sessions.
    """
    days = max((today - start).days, 28)
    lines = ["date,channel,impressions,clicks,spend,conversions,revenue,sessions"]
    for i in range(days):
        day = (start + timedelta(days=i)).isoformat()
        sem_imp = 20_000 + 120 * i
        sem_clk = sem_imp * (48 + i % 5) // 1000
        sem_conv = sem_clk * (3 + i % 2) // 100
        lines.append(
            f"{day},sem,{sem_imp},{sem_clk},{sem_clk * 2.4:.2f},{sem_conv},{sem_conv * 180},"
        )
        soc_imp = 35_000 + 200 * (i % 7)
        soc_clk = soc_imp * (12 + i % 3) // 1000
        soc_conv = soc_clk * 2 // 100
        lines.append(
            f"{day},social,{soc_imp},{soc_clk},{soc_clk * 1.1:.2f},{soc_conv},{soc_conv * 150},"
        )
        lines.append(f"{day},seo,,,,,,{1_800 + 15 * i}")
    return "".join(line + "\n" for line in lines)


def _placeholders(language: str, today: date, site_name: str | None) -> dict[str, str]:
    start = plan_start(today)
    vals = values(PLAN_ID, "", start - timedelta(days=1))
    title = {"zh": "第一份营销计划", "en": "Our first marketing plan"}[language]
    persona = {"zh": "李明", "en": "Alex Chen"}[language]
    name = site_name or {"zh": "营销计划", "en": "Marketing plans"}[language]
    vals.update(
        TITLE=title,
        SITE_NAME=json.dumps(name, ensure_ascii=False),
        SITE_TITLE=name,
        PERSONA_ID=PERSONA_ID[language],
        PERSONA_NAME=persona,
        DATA_FILE=DATA_FILE,
        VERSION=__version__,
        GOAL_DEADLINE=vals["END"],
    )
    return vals


def starter_files(language: str, today: date, site_name: str | None = None) -> dict[str, str]:
    """Relative path -> text of every file of a new repository."""
    if language not in ("zh", "en"):
        raise InitError(f"unknown language '{language}': zh or en")
    vals = _placeholders(language, today, site_name)
    out: dict[str, str] = {}
    base = shipped_templates() / "starter"
    for folder in (base / "common", base / language):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            rel = path.relative_to(folder).as_posix().replace("dot-", ".", 1)
            text = path.read_text(encoding="utf-8")
            out[rel] = render(text, vals) if rel.endswith(".md") else _fill(text, vals)
    persona = template_path("persona", None, language).read_text(encoding="utf-8")
    out[f"content/personas/{PERSONA_ID[language]}.md"] = render(
        persona, values(PERSONA_ID[language], vals["PERSONA_NAME"], today)
    )
    out[DATA_FILE] = sample_rows(plan_start(today), today)
    return dict(sorted(out.items()))


def _fill(text: str, vals: dict[str, str]) -> str:
    for key, value in vals.items():
        text = text.replace(f"@@{key}@@", value)
    if "@@" in text.replace("@@@", ""):
        start = text.index("@@")
        raise InitError(
            f"template placeholder {text[start : text.index('@@', start + 2) + 2]} has no value"
        )
    return text


def init_site(
    root: Path, *, language: str, today: date, site_name: str | None = None, force: bool = False
) -> Starter:
    """Write a new plan repository into ``root`` (created when missing).

    Refuses (:class:`InitError`) when any of its files exists, unless ``force``."""
    files = starter_files(language, today, site_name)
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} is not a folder")
    clashes = [rel for rel in files if (root / rel).exists()]
    if clashes and not force:
        listed = ", ".join(clashes[:5]) + (" …" if len(clashes) > 5 else "")
        raise InitError(
            f"{root} already has {listed}: nothing was written (use --force to overwrite)"
        )
    written = []
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return Starter(root, tuple(written))
