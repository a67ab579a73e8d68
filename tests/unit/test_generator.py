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

from planbook.data import DataStore

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


def _store(files: dict[Path, bytes], root: Path) -> DataStore:
    """A loader over the generated files, written under ``root/data``."""
    for rel, raw in files.items():
        path = root / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    return DataStore(root)


def _rows(raw: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode(encoding))))


def test_baidu_export_is_shaped_as_downloaded(
    runs: tuple[dict[Path, bytes], dict[Path, bytes]],
) -> None:
    """百度营销's shape (profile baidu-search): GBK, a 数据生成时间 preamble padded with
    commas and a blank line, the real header, and a 合计 row that adds up the others."""
    raw = runs[0][GBK_FILE]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = _rows(raw, "gb18030")
    assert rows[0][0].startswith("数据生成时间：") and set(rows[0][1:]) == {""}
    header = rows.index([])  # the blank line above the header
    assert rows[header + 1][:6] == ["日期", "推广计划", "账户", "展现", "点击", "消费"]
    body, total = rows[header + 2 : -1], rows[-1]
    assert total[1] == "合计" and total[0] == ""
    for col in (3, 4, 8):
        assert int(total[col].replace(",", "")) == sum(int(r[col].replace(",", "")) for r in body)
    assert any("," in r[3] for r in body), "expected thousands separators in 展现"
    assert all(r[6].endswith("%") or r[6] == "-" for r in body), "点击率 as the export writes it"


def test_example_exports_load_as_their_platform(
    runs: tuple[dict[Path, bytes], dict[Path, bytes]], tmp_path: Path
) -> None:
    expected = {
        GBK_FILE: ("baidu-search", "gb18030"),
        Path("us-launch/google-ads.csv"): ("google-ads", "utf-8"),
        Path("us-launch/meta-ads.csv"): ("meta-ads", "utf-8-sig"),
    }
    store = _store(runs[0], tmp_path)
    for rel in runs[0]:
        table = store.load(tmp_path / "data" / rel)
        problems = [d for d in table.diagnostics if d.severity != "info"]
        assert not problems, (rel, problems)
        if rel in expected:
            assert (table.profile, table.encoding) == expected[rel]
            assert [d.rule for d in table.diagnostics if d.rule == "data/totals-row"], rel
    assert runs[0][Path("spring-launch/ocean-engine.csv")].startswith(b"\xef\xbb\xbf")
    web = runs[0][Path("spring-launch/web-analytics.csv")].decode()
    assert web.splitlines()[1].startswith("2026/05/24,")
    google = _rows(runs[0][Path("us-launch/google-ads.csv")], "utf-8")
    assert google[0] == ["Campaign report"] and google[2][0] == "Day"
    assert google[-1][0] == "Total: Account"
    assert all(row[5].startswith("$") for row in google[3:]), "Cost is written like $1,234.56"
    assert any("," in row[2] for row in google[3:]), "Impr. has thousands separators"
    meta = _rows(runs[0][Path("us-launch/meta-ads.csv")], "utf-8-sig")
    assert meta[1][2] == "" and meta[1][3] == "", "Meta's account summary row comes first"


def test_clicks_never_exceed_impressions(
    runs: tuple[dict[Path, bytes], dict[Path, bytes]], tmp_path: Path
) -> None:
    store = _store(runs[0], tmp_path)
    for rel in runs[0]:
        frame = store.load(tmp_path / "data" / rel).frame
        if "clicks" in frame and "impressions" in frame:
            both = frame[["clicks", "impressions"]].dropna()
            assert (both["clicks"] <= both["impressions"]).all(), rel


def test_committed_data_matches_a_fresh_run(
    runs: tuple[dict[Path, bytes], dict[Path, bytes]],
) -> None:
    fresh = runs[0]
    committed = ROOT / "data"
    stale = []
    for rel, content in fresh.items():
        path = committed / rel
        if rel.suffix == ".parquet" and path.is_file():
            # Parquet files name the pyarrow version that wrote them: compare the data.
            import pyarrow.parquet as pq

            if not pq.read_table(path).equals(pq.read_table(io.BytesIO(content))):
                stale.append(str(rel))
        elif not path.is_file() or path.read_bytes() != content:
            stale.append(str(rel))
    assert not stale, (
        f"data/ differs from a fresh run of tools/generate_data.py for {stale}; "
        "change the generator and run `python tools/generate_data.py`, never edit data/ by hand"
    )
