"""The example data generator (tools/generate_data.py) is deterministic and is the
only source of the committed ``data/`` files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "generate_data.py"
GBK_FILE = Path("spring-launch/baidu-sem.csv")


def _run(out: Path, hash_seed: str) -> dict[Path, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=out.parent,  # the output must not depend on the working directory
        check=False,
    )
    assert result.returncode == 0, result.stderr
    files = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert files, "the generator wrote nothing"
    for rel in files:
        assert f"{rel.as_posix()}" in result.stdout.replace(os.sep, "/"), (
            f"{rel} not reported on stdout"
        )
    return files


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[Path, bytes], dict[Path, bytes]]:
    first = _run(tmp_path_factory.mktemp("run1") / "data", "1")
    second = _run(tmp_path_factory.mktemp("run2") / "data", "2")
    return first, second


def test_two_runs_are_byte_identical(runs: tuple[dict[Path, bytes], dict[Path, bytes]]) -> None:
    first, second = runs
    assert sorted(first) == sorted(second)
    different = [str(p) for p in first if first[p] != second[p]]
    assert not different, f"files differ between runs: {different}"


def test_baidu_export_is_gbk_with_a_totals_row(
    runs: tuple[dict[Path, bytes], dict[Path, bytes]],
) -> None:
    raw = runs[0][GBK_FILE]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["日期", "推广计划", "展现量", "点击量", "消费", "转化数"]
    assert rows[-1][0] == "合计"
    assert sum(r[0] == "合计" for r in rows) == 1
    # The totals row adds up the rows above it (numbers carry thousands separators).
    body = rows[1:-1]
    for col in (2, 3, 5):
        total = sum(int(r[col].replace(",", "")) for r in body)
        assert int(rows[-1][col].replace(",", "")) == total
    assert any("," in r[2] for r in body), "expected thousands separators in 展现量"


def test_encodings_and_shapes(runs: tuple[dict[Path, bytes], dict[Path, bytes]]) -> None:
    files = runs[0]
    assert files[Path("spring-launch/ocean-engine.csv")].startswith(b"\xef\xbb\xbf")
    for rel, raw in files.items():
        if rel == GBK_FILE:
            continue
        text = raw.decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(text)))
        assert header[0] in ("日期", "Date", "Day"), (rel, header)
    web = files[Path("spring-launch/web-analytics.csv")].decode()
    assert web.splitlines()[1].startswith("2026/05/24,")
    google = list(csv.reader(io.StringIO(files[Path("us-launch/google-ads.csv")].decode())))
    assert all(row[4].startswith("$") for row in google[1:]), "Cost is written like $1,234.56"
    assert any("," in row[2] for row in google[1:]), "Impr. has thousands separators"


def test_clicks_never_exceed_impressions(
    runs: tuple[dict[Path, bytes], dict[Path, bytes]],
) -> None:
    pairs = {
        GBK_FILE: ("展现量", "点击量", "gb18030"),
        Path("spring-launch/ocean-engine.csv"): ("展示数", "点击数", "utf-8-sig"),
        Path("spring-launch/tencent-ads.csv"): ("曝光量", "点击量", "utf-8"),
        Path("us-launch/google-ads.csv"): ("Impr.", "Clicks", "utf-8"),
        Path("us-launch/meta-ads.csv"): ("Impressions", "Link clicks", "utf-8"),
    }
    for rel, (impr, clicks, encoding) in pairs.items():
        reader = csv.DictReader(io.StringIO(runs[0][rel].decode(encoding)))
        for row in reader:
            if row[impr] and row[reader.fieldnames[0]] != "合计":
                assert int(row[clicks].replace(",", "")) <= int(row[impr].replace(",", "")), (
                    rel,
                    row,
                )


def test_committed_data_matches_a_fresh_run(
    runs: tuple[dict[Path, bytes], dict[Path, bytes]],
) -> None:
    fresh = runs[0]
    committed = ROOT / "data"
    stale = []
    for rel, content in fresh.items():
        path = committed / rel
        if not path.is_file() or path.read_bytes() != content:
            stale.append(str(rel))
    assert not stale, (
        f"data/ differs from a fresh run of tools/generate_data.py for {stale}; "
        "change the generator and run `python tools/generate_data.py`, never edit data/ by hand"
    )
