"""An export's headers -> columns: the alias table and canonical names, and how each
column is read (the date, a dimension, a measure, an export's own rate or average, a
non-additive count, skipped), with the export profile's and the site's mappings first.
:mod:`.files` maps a file's headers through :func:`map_columns`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .. import columns as cols
from ..diagnostics import Severity
from ..messages import msg
from .profiles import Profile, normalize_header, slugify, strip_unit
from .table import quote

# Header words that mark an export's own rates and averages (never summed).
RATE_HEADER = re.compile(
    r"(?:^|[^a-z])(?:ctr|cpc|cpm|cpa|cpv|cpl|cpe|cpi|roas|roi|arpu|aov|frequency|avg|average)"
    r"(?:$|[^a-z])|\brate\b|率|平均|均价|单价|成本|频次|占比|\bper\b|%|/\s*(?:conv|click|impr)",
)
RATE_KPI = {
    "ctr": "ctr",
    "cpc": "cpc",
    "cpm": "cpm",
    "cpa": "cpa",
    "roas": "roas",
    "roi": "roi",
    "aov": "aov",
    "点击率": "ctr",
    "平均点击价格": "cpc",
    "点击均价": "cpc",
    "千次展现成本": "cpm",
    "千次曝光成本": "cpm",
    "转化率": "cvr",
    "转化成本": "cpa",
    "conv. rate": "cvr",
    "conversion rate": "cvr",
    "avg. cpc": "cpc",
    "avg. cpm": "cpm",
    "cost / conv.": "cpa",
    "open rate": "open_rate",
    "打开率": "open_rate",
}
NON_ADDITIVE = {"reach": "reach", "users": "users", "followers": "followers"}


def alias_table(site: Mapping[str, str] | None) -> dict[str, str]:
    table = {normalize_header(k): v for k, v in cols.ALIASES.items()}
    for canonical in (cols.DATE, *cols.DIMENSIONS, *cols.MEASURES, *NON_ADDITIVE):
        table.setdefault(canonical, canonical)
        table.setdefault(canonical.replace("_", " "), canonical)
    for k, v in (site or {}).items():
        table[normalize_header(str(k))] = str(v)
    return table


def canonical(header: str, aliases: Mapping[str, str]) -> tuple[str, bool]:
    """(canonical name, known) for an exported header."""
    h = normalize_header(header)
    candidates = [h]
    stripped = strip_unit(h)
    if stripped and stripped != h:
        candidates.append(stripped)
    for c in candidates:
        for variant in (c, c.replace("_", " "), c.replace(" ", "_")):
            if variant in aliases:
                return aliases[variant], True
    return slugify(header), False


@dataclass
class Column:
    index: int
    header: str
    name: str
    known: bool
    # "date" | "dimension" | "measure" | "auto" | "rate" | "skip" | "until" (the last day
    # a row covers, where the date column is its first: _span_end)
    kind: str
    rate_kpi: str | None = None
    non_additive: bool = False


_SPAN_WORDS = (
    ("starts", "ends"),
    ("start", "end"),
    ("from", "to"),
    ("开始", "结束"),
    ("起始", "结束"),
)


def _span_end(header: str) -> str:
    """The normalised header of the column that ends the span a date column starts
    (``Reporting starts`` -> ``reporting ends``, ``开始日期`` -> ``结束日期``); the
    header itself when it names no start."""
    h = normalize_header(header)
    for start, end in _SPAN_WORDS:
        if start in h:
            return h.replace(start, end, 1)
    return h


def map_columns(
    headers: list[str],
    aliases: Mapping[str, str],
    site: Mapping[str, str],
    profile: Profile | None,
    diag: Callable[..., None],
    line: int = 1,
) -> list[Column] | None:
    """Each header's :class:`Column`: its canonical name (the ``site``'s aliases, else the
    export ``profile``'s mapping, else the built-in ``aliases``) and how it is read;
    ``None`` when no column is the date. Problems go to ``diag`` (:meth:`.files.Parser.diag`),
    at ``line`` (the header's)."""
    columns: list[Column] = []
    seen: dict[str, Column] = {}
    for i, header in enumerate(headers):
        rate_kpi: str | None = None
        non_additive = False
        target = None if profile is None else profile.columns.get(header)
        if normalize_header(header) in site:
            target = site[normalize_header(header)]
        if target == "ignore":
            columns.append(Column(i, header, slugify(header) or f"column_{i + 1}", True, "skip"))
            continue
        if target is None and profile is not None:
            if header in profile.rates:
                rate_kpi = profile.rates.get(header) or None
                name = slugify(header) or f"column_{i + 1}"
                columns.append(Column(i, header, name, True, "rate", rate_kpi))
                continue
            if header in profile.non_additive:
                target = profile.non_additive.get(header)
                non_additive = True
        if target:
            name, known = target, True
        else:
            name, known = canonical(header, aliases)
        if not name:
            name = f"column_{i + 1}"
        if name in NON_ADDITIVE:
            non_additive = True
        if name == cols.DATE:
            kind = "date"
        elif name in cols.DIMENSIONS:
            kind = "dimension"
        elif name in cols.MEASURES or name in NON_ADDITIVE:
            kind = "measure"
        elif name == "id" or name.endswith("_id"):
            kind = "dimension"
        elif RATE_HEADER.search(normalize_header(header)):
            kind = "rate"
            h = strip_unit(normalize_header(header))
            rate_kpi = RATE_KPI.get(h)
        else:
            kind = "auto"
        col = Column(i, header, name, known, kind, rate_kpi, non_additive)
        if name in seen and kind != "rate":
            first = seen[name]
            diag(
                Severity.ERROR,
                "data/duplicate-column",
                msg(
                    "data/duplicate-column",
                    first=first.header.strip(),
                    first_col=first.index + 1,
                    second=header.strip(),
                    second_col=i + 1,
                    name=name,
                ),
                line,
                name,
            )
            col.kind = "skip"
        else:
            seen[name] = col
        columns.append(col)
    if cols.DATE not in seen:
        # A profile may ignore a date column that another layout of the same export
        # needs (Meta: `Reporting starts` when there is no `Day` breakdown).
        for col in columns:
            if col.kind == "skip" and canonical(col.header, aliases) == (cols.DATE, True):
                col.name, col.kind = cols.DATE, "date"
                seen[cols.DATE] = col
                # ... and then each row covers that day to its partner's (Meta:
                # `Reporting ends`): a row over several days is refused (convert).
                partner = _span_end(col.header)
                for end in columns:
                    if end.kind == "skip" and normalize_header(end.header) == partner:
                        end.kind = "until"
                break
    if cols.DATE not in seen:
        shown = ", ".join(quote(h.strip(), 30) for h in headers[:8]) or "none"
        more = msg("more", n=len(headers) - 8) if len(headers) > 8 else ""
        said = (
            msg("data/no-date-column.export", shown=shown, more=more, platform=profile.platform)
            if profile is not None
            else msg("data/no-date-column", shown=shown, more=more)
        )
        diag(Severity.ERROR, "data/no-date-column", said, line)
        return None
    return columns
