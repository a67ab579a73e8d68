"""A metric file of thousands of columns (outside report, finding 5: 2,000 measure columns
and 3 rows took 52 s, 5,000 more than 120 s): the row rules cost a pass per column, not a
copy of every column per column, the columns' texts are parsed together, and a header past
:data:`~planbook.sources.files.MAX_COLUMNS` is refused with a message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planbook.data import DataStore, Table
from planbook.messages import say
from planbook.sources import decimal_mark, exact, files, row_values
from planbook.sources.headers import Column


def _load(root: Path, text: str, name: str = "wide.csv") -> Table:
    path = root / "data" / name
    path.write_text(text, encoding="utf-8")
    return DataStore(root).load(path)


def _wide(k: int, rows: int = 3, sep: str = ",", value: str = "1") -> str:
    header = sep.join(["date", "channel", "clicks", *(f"m{i}" for i in range(k))])
    lines = [
        sep.join([f"2026-09-0{r + 1}", "sem", str(r + 1), *([value] * k)]) for r in range(rows)
    ]
    return "\n".join([header, *lines]) + "\n"


def test_a_wide_file_is_read_whole(root: Path, engine: str) -> None:
    # 300 unknown number columns, 300 unknown text columns, one bad number in `clicks`
    k = 300
    header = ",".join(["date", "channel", "clicks", *(f"m{i}" for i in range(k))])
    header += "," + ",".join(f"d{i}" for i in range(k))
    lines = [header]
    for r in range(3):
        clicks = "abc" if r == 1 else str(r + 1)
        numbers = [str(i + r) for i in range(k)]
        names = [f"v{i}-{r}" for i in range(k)]
        lines.append(",".join([f"2026-09-0{r + 1}", "sem", clicks, *numbers, *names]))
    t = _load(root, "\n".join(lines) + "\n")
    assert t.measures == ("clicks", *(f"m{i}" for i in range(k)))
    assert t.dimensions == ("channel", *(f"d{i}" for i in range(k)))
    assert [d.rule for d in t.diagnostics] == ["data/bad-number"]
    assert t.diagnostics[0].field == "clicks"
    f = t.frame
    assert f["m7"].tolist() == [7.0, 9.0]  # rows 1 and 3 (row 2's clicks is no number)
    assert f["d299"].tolist() == ["v299-0", "v299-2"]


def test_the_decimal_comma_of_many_text_columns_is_told_together(root: Path) -> None:
    t = _load(root, _wide(200, sep=";", value="1,5"))
    assert t.diagnostics == ()
    assert t.frame["m199"].tolist() == [1.5, 1.5, 1.5]
    # both marks, in different columns: refused as one column with both is
    text = _wide(200, sep=";", value="1,5").replace(";1,5\n", ";1.25\n")
    (d,) = _load(root, text, "mixed.csv").diagnostics
    assert d.rule == "data/decimal"
    assert "'m0'" in d.message and "'m199'" in d.message


def test_the_row_rules_never_delete_frame_columns_one_by_one(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each ``del frame[name]`` copies the frame's list of columns: quadratic."""
    deleted: list[object] = []
    original = pd.DataFrame.__delitem__

    def spy(self: pd.DataFrame, key: object) -> None:
        deleted.append(key)
        original(self, key)

    monkeypatch.setattr(pd.DataFrame, "__delitem__", spy)
    t = _load(root, _wide(50))
    assert len(t.measures) == 51
    assert deleted == []


def test_the_raw_frame_lets_go_of_the_columns_freed_at_once() -> None:
    frame = pd.DataFrame({"c0": np.arange(3.0), "c1": ["a", "b", "c"]})
    raw = exact.Raw(frame, False, lambda r: r, cell=lambda row, col: "")
    columns = raw.columns(["c0"])
    assert list(columns) == ["c0", "c1"] and list(raw.frame.columns) == ["c1"]
    assert columns["c0"].tolist() == [0.0, 1.0, 2.0]
    # without a way to read a cell again the frame keeps them (messages quote from it)
    kept = exact.Raw(frame, False, lambda r: r)
    kept.columns(["c0"])
    assert kept.frame is frame and frame.shape == (3, 2)


def test_many_text_columns_are_parsed_in_one_pass(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers: list[int] = []
    styles: list[int] = []
    parse, style = row_values.parse_numbers, decimal_mark.decimal_styles

    def parse_spy(values: pd.Series, decimal: str = ".") -> tuple[np.ndarray, np.ndarray]:
        numbers.append(len(values))
        return parse(values, decimal)

    def style_spy(columns: list[list[str]]) -> list[str | None]:
        styles.append(len(columns))
        return style(columns)

    monkeypatch.setattr(row_values, "parse_numbers", parse_spy)
    monkeypatch.setattr(decimal_mark, "decimal_styles", style_spy)
    t = _load(root, _wide(400, sep=";", value="2,5"))
    assert len(t.measures) == 401 and t.diagnostics == ()
    assert numbers == [3 + 400]  # clicks' three values and one for each other column
    assert styles == [401]


def test_a_long_file_converts_its_columns_one_by_one() -> None:
    """The common case keeps its peak: a column of many rows is converted (and its raw
    text freed) before the next one is read."""
    cols = [Column(i, f"m{i}", f"m{i}", False, "measure") for i in range(5)]
    assert row_values.batches(cols, 1_000_000) == [[c] for c in cols]
    assert row_values.batches(cols, row_values.BATCH_CELLS // 2) == [cols[:2], cols[2:4], cols[4:]]
    assert row_values.batches(cols, 3) == [cols]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "the header has 11 columns, more than the 10 a metric file may have; not read: "
            "export only the columns the plans use",
        ),
        ("zh", "表头有 11 列，超过指标文件最多 10 列的上限，未读取：请只导出计划用到的列"),
    ],
)
def test_a_header_past_the_column_limit_is_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    monkeypatch.setattr(files, "MAX_COLUMNS", 10)
    t = _load(root, _wide(8))
    (d,) = t.diagnostics
    assert (d.rule, d.line, d.file) == ("data/too-many-columns", 1, "data/wide.csv")
    assert say(d.message, language) == said
    assert _load(root, _wide(7), "ten.csv").diagnostics == ()  # 10 columns: read


def test_the_column_limit_is_said_with_thousands_separators(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (d,) = _load(root, _wide(files.MAX_COLUMNS - 2)).diagnostics
    assert say(d.message, "en").startswith("the header has 6,001 columns, more than the 6,000 ")
    assert say(d.message, "zh").startswith("表头有 6,001 列，超过指标文件最多 6,000 列")
