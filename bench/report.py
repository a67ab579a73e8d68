"""The results table of `make bench`: measured figures in, one Markdown table out.

Only the targets (issue 12) are written here; every figure comes from the run's
results (the dict `bench/run.py` also writes to ``results.json``). A case whose part
did not run is left out; a figure that is missing shows as "—".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DASH = "—"


@dataclass(frozen=True)
class Target:
    """``value <op> limit``, shown as e.g. ``≤ 1.5×``."""

    op: str  # "<=" or ">="
    limit: float
    unit: str = "×"

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        compare: Callable[[float, float], bool] = operator.le if self.op == "<=" else operator.ge
        return compare(value, self.limit)

    def __str__(self) -> str:
        sign = "≤" if self.op == "<=" else "≥"
        return f"{sign} {self.limit:g}{self.unit}"


# The targets of issue 12 (the only figures this harness does not measure).
TARGETS: dict[str, Target] = {
    "build": Target("<=", 1.5),
    "build_5m": Target("<=", 2.0),
    "build_1000": Target("<=", 1.3),
    "build_memory": Target("<=", 3.0, "× CSV"),
    "charts": Target("<=", 1.8),
    "serve_page": Target("<=", 1.2),
    "serve_csv": Target("<=", 2.0, " s"),
    "serve_memory": Target("<=", 1.10),
    "loader": Target(">=", 0.7),
    "loader_gbk": Target("<=", 1.5),
    "loader_memory": Target("<=", 3.0, "× file"),
}


@dataclass(frozen=True)
class Row:
    case: str
    planbook: str = DASH
    bare: str = DASH
    peer: str = DASH
    ratio: float | None = None  # shown in the ratio column
    value: float | None = None  # compared with the target (default: the ratio)
    target: Target | None = None
    note: str = ""
    error: str = ""  # the part failed: shown instead of the verdict

    @property
    def checked(self) -> float | None:
        return self.ratio if self.value is None else self.value

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.checked)


def seconds(v: float | None) -> str:
    return DASH if v is None else f"{v:.2f} s"


def megabytes(kb: float | None) -> str:
    return DASH if kb is None else f"{kb / 1024:,.0f} MB"


def rate(v: float | None) -> str:
    return DASH if v is None else f"{v / 1e6:.2f} M rows/s"


def short_error(text: object, limit: int = 160) -> str:
    """The first line of an error message, cut to ``limit`` characters."""
    line = str(text or "").strip().splitlines()[0] if str(text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def _rows_label(rows: int) -> str:
    if rows >= 1_000_000 and rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M rows"
    if rows >= 1_000 and rows % 1_000 == 0:
        return f"{rows // 1_000}k rows"
    return f"{rows:,} rows"


def _build_rows(case: Mapping[str, Any]) -> list[Row]:
    """Rows of one build case (see ``run.build_case``)."""
    size = f"{case['pages']:,} plans, {_rows_label(case['rows'])}"
    bare, pb = case.get("bare") or {}, case.get("planbook") or {}
    peer, charts = case.get("peer") or {}, case.get("charts") or {}
    target = TARGETS.get(case.get("target", "build"))
    failed = "; ".join(
        f"{v}: {short_error(case[v]['error'])}"
        for v in ("bare", "planbook", "charts", "peer")
        if (case.get(v) or {}).get("error")
    )
    out = []
    if pb:
        out.append(
            Row(
                f"build, {size}, every section",
                seconds(pb.get("seconds")),
                seconds(bare.get("seconds")),
                seconds(peer.get("seconds")) if peer else DASH,
                _ratio(pb.get("seconds"), bare.get("seconds")),
                target=target,
                note="; ".join(n for n in (case.get("note", ""), _paired_note(pb)) if n),
                error=failed,
            )
        )
        extra = case.get("extra_peak_over_csv")
        out.append(
            Row(
                f"peak memory above bare, {size} (CSV {case.get('csv_mb', 0):.0f} MB)",
                megabytes(pb.get("peak_rss_kb")),
                megabytes(bare.get("peak_rss_kb")),
                megabytes(peer.get("peak_rss_kb")) if peer else DASH,
                value=extra,
                target=TARGETS["build_memory"],
                note=DASH if extra is None else f"{extra:.2f}× CSV",
                error=failed,
            )
        )
    if charts:
        out.append(
            Row(
                f"build with charts, {size}",
                seconds(charts.get("seconds")),
                seconds(bare.get("seconds")),
                DASH,
                _ratio(charts.get("seconds"), bare.get("seconds")),
                target=TARGETS["charts"],
                note="; ".join(n for n in (_paired_note(charts), _peak_note(charts)) if n),
                error=failed,
            )
        )
    if peer:
        out.append(
            Row(
                f"peer: table-reader, {case.get('peer_rows', 50)}-row table per page, {size}",
                seconds(pb.get("seconds")) if pb else DASH,
                seconds(bare.get("seconds")),
                seconds(peer.get("seconds")),
                _ratio(peer.get("seconds"), bare.get("seconds")),
                note="ratio: peer / bare",
            )
        )
    return out


def _paired_note(variant: Mapping[str, Any]) -> str:
    """Each round's ratio to the bare build of its round (``run._paired``)."""
    if variant.get("paired_ratio") is None:
        return ""
    return (
        f"per round {variant['paired_ratio']:.2f}× "
        f"({variant['paired_low']:.2f}-{variant['paired_high']:.2f})"
    )


def _peak_note(variant: Mapping[str, Any]) -> str:
    """A variant's peak memory, for the note of its row (no target of its own)."""
    extra = variant.get("extra_peak_over_csv")
    if extra is None or not variant.get("peak_rss_kb"):
        return ""
    return f"peak {variant['peak_rss_kb'] / 1024:.0f} MB, {extra:.2f}× CSV above bare"


def _build_alone(planbook: float | None, bare: float | None) -> str:
    """The rebuild alone (MkDocs' "Documentation built in"), without the watcher's delay."""
    if planbook is None or bare is None:
        return ""
    ratio = _ratio(planbook, bare)
    return f"build alone {planbook:.2f} s vs {bare:.2f} s" + (f" = {ratio:.2f}×" if ratio else "")


def _serve_rows(serve: Mapping[str, Any]) -> list[Row]:
    pb, bare = serve.get("planbook") or {}, serve.get("bare") or {}
    size = f"{serve['pages']:,} plans, {_rows_label(serve['rows'])}"
    failed = "; ".join(
        f"{k}: {short_error(v['error'])}"
        for k, v in (("bare", bare), ("Planbook", pb))
        if v.get("error")
    )
    out = [
        Row(
            f"serve, edit a plan page → reload, {size}",
            seconds(pb.get("page_edit_s")),
            seconds(bare.get("page_edit_s")),
            DASH,
            _ratio(pb.get("page_edit_s"), bare.get("page_edit_s")),
            target=TARGETS["serve_page"],
            note=_build_alone(pb.get("page_edit_build_s"), bare.get("page_edit_build_s")),
            error=failed if "page_edit_s" not in pb or "page_edit_s" not in bare else "",
        )
    ]
    wanted = serve.get("csv_edits", 0)
    if wanted:
        done = len(pb.get("csv_edits") or [])
        error = "" if "csv_edit_s" in pb else failed or f"{done} of {wanted} CSV edits"
        out.append(
            Row(
                f"serve, edit one CSV row → reload (median of {wanted})",
                seconds(pb.get("csv_edit_s")),
                value=pb.get("csv_edit_s"),
                target=TARGETS["serve_csv"],
                note=(
                    f"slowest {seconds(pb.get('csv_edit_max_s'))}; build alone "
                    f"{seconds(pb.get('csv_edit_build_s'))}"
                    if not error
                    else ""
                ),
                error=error,
            )
        )
        out.append(
            Row(
                f"serve, resident memory after {wanted} CSV edits / after the first build",
                f"{megabytes(pb.get('rss_after_csv_edits_kb'))} / "
                f"{megabytes(pb.get('rss_first_build_kb'))}",
                megabytes(bare.get("rss_first_build_kb")),
                DASH,
                pb.get("rss_growth"),
                target=TARGETS["serve_memory"],
                error=error,
            )
        )
    return out


def _per_second(rows: int, s: float | None) -> float | None:
    return None if not s else rows / s


def _ms_seconds(v: float | None) -> str:
    """Seconds to the millisecond (a read of a million rows takes a few tenths)."""
    return DASH if v is None else f"{v:.3f} s"


def _loader_rows(data: Mapping[str, Any]) -> list[Row]:
    rows = data["rows"]
    size = f"{_rows_label(rows)}, {data.get('file_mb', 0):.0f} MB"
    first_ours, first_pa = data.get("first_read_planbook_s"), data.get("first_read_pyarrow_s")
    warm_ours, warm_pa = data.get("planbook_s"), data.get("pyarrow_s")
    best = data.get("ratio_vs_pyarrow_best")
    return [
        # the target: the first read, what a build's read costs
        Row(
            f"loader first read vs pyarrow.csv.read_csv, {size} UTF-8",
            rate(_per_second(rows, first_ours)),
            rate(_per_second(rows, first_pa)),
            DASH,
            data.get("first_read_ratio_vs_pyarrow"),
            target=TARGETS["loader"],
            note=(
                "each in a fresh interpreter, imports before the clock: "
                f"{_ms_seconds(first_ours)} vs {_ms_seconds(first_pa)} (median of "
                f"{data.get('repeat', DASH)}); bare column: pyarrow"
            ),
        ),
        Row(
            f"loader warm reads vs pyarrow.csv.read_csv, {size} UTF-8",
            rate(data.get("planbook_rows_per_s")),
            rate(data.get("pyarrow_rows_per_s")),
            DASH,
            data.get("ratio_vs_pyarrow"),
            note=(
                "later reads in one process, interleaved: "
                f"{_ms_seconds(warm_ours)} vs {_ms_seconds(warm_pa)} (median of "
                f"{data.get('repeat', DASH)}; best of each "
                f"{DASH if best is None else f'{best:.2f}×'}); bare column: pyarrow"
            ),
        ),
        Row(
            "loader, GBK file vs its UTF-8 twin",
            seconds(data.get("gbk_s")),
            seconds(data.get("utf8_zh_s")),
            DASH,
            data.get("gbk_vs_utf8"),
            target=TARGETS["loader_gbk"],
            note="bare column: the UTF-8 twin",
        ),
        Row(
            "loader peak memory over the file size",
            f"{data['peak_rss_delta_mb']:.0f} MB" if "peak_rss_delta_mb" in data else DASH,
            DASH,
            DASH,
            data.get("peak_rss_over_file"),
            target=TARGETS["loader_memory"],
            note=(
                f"pyarrow alone {data['pyarrow_peak_rss_over_file']:.2f}×"
                if "pyarrow_peak_rss_over_file" in data
                else ""
            ),
        ),
    ]


def rows_of(results: Mapping[str, Any]) -> list[Row]:
    """The table's rows for whatever parts ``results`` holds."""
    out: list[Row] = []
    for case in results.get("build") or []:
        out += _build_rows(case)
    if results.get("serve"):
        out += _serve_rows(results["serve"])
    if results.get("loader"):
        out += _loader_rows(results["loader"])
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _met(row: Row) -> str:
    if row.error:
        return "**failed**"
    met = row.met
    if met is None:
        return DASH
    return "yes" if met else "**no**"


def markdown(rows: Iterable[Row]) -> str:
    """One Markdown table: case | Planbook | bare | peer | ratio | target | met? | note."""
    lines = [
        "| case | Planbook | bare | peer | ratio | target | met? | note |",
        "|---|---:|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        ratio = DASH if r.ratio is None else f"{r.ratio:.2f}×"
        note = f"{r.note}; {r.error}" if r.note and r.error else r.note or r.error
        cells = (r.case, r.planbook, r.bare, r.peer, ratio, str(r.target or DASH), _met(r), note)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"
