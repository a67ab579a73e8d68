"""A sheet's extent is read from its cells' references before python-calamine reads it
(outside report, finding 7: one cell at XFD1048576 in a 1.6 KB workbook made calamine
ask for 512 GB, and the process aborted). Workbooks are written here with zipfile."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from planbook.data import DataStore, Table
from planbook.messages import say
from planbook.sources import xlsx, xlsx_extent
from planbook.sources.xlsx_extent import Unmeasurable, column_number, sheet_extent

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>date</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>channel</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>clicks</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>2026-09-01</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>sem</t></is></c><c r="C2"><v>5</v></c></row>'
)
FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


def workbook(cells: str, dimension: str = "A1:C2", head: str = "") -> bytes:
    """A one-sheet workbook ('S') whose sheetData holds ``cells``."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{head}<worksheet xmlns="{_MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
            '-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def extent(data: bytes, limit: int = 0) -> tuple[int, int]:
    """The exact extent (over a limit of 0 cells), or the quick one under ``limit``."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return sheet_extent(z, "xl/worksheets/sheet1.xml", limit)


def calamine(data: bytes) -> tuple[int, int]:
    """(rows, columns) python-calamine hands over from A1."""
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_name("S")
        .to_python(skip_empty_area=False)
    )
    return len(rows), max((len(r) for r in rows), default=0)


def _load(root: Path, data: bytes) -> Table:
    path = root / "data" / "x.xlsx"
    path.write_bytes(data)
    return DataStore(root).load(path)


class _Book:
    """python-calamine's workbook, except that reading a sheet fails the test: where a
    refusal regresses, the test fails instead of aborting the test run."""

    def __init__(self, book: object) -> None:
        self.book = book

    def __getattr__(self, name: str) -> object:
        if name == "get_sheet_by_name":
            raise AssertionError("the sheet was handed to python-calamine")
        return getattr(self.book, name)

    @classmethod
    def from_path(cls, path: str) -> _Book:
        return cls(CalamineWorkbook.from_path(path))

    @classmethod
    def from_filelike(cls, data: object) -> _Book:
        return cls(CalamineWorkbook.from_filelike(data))


@pytest.fixture
def no_sheet_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", _Book)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "sheet 'S' spans 1,048,576 rows × 16,384 columns from A1 to its last cell "
            "(17,179,869,184 cells), over the 10,000,000 a sheet may have: not read; delete "
            "what lies outside the table (or copy the table to a new sheet) and save it",
        ),
        (
            "zh",
            "工作表 'S' 从 A1 到最后一个单元格共 1,048,576 行 × 16,384 列（17,179,869,184 "
            "个单元格），超过每个工作表最多 10,000,000 个单元格的上限，未读取：请删除表格以外的"
            "内容（或把表格复制到新工作表）后保存",
        ),
    ],
)
@pytest.mark.usefixtures("no_sheet_read")
def test_one_far_cell_refuses_the_sheet_before_calamine_reads_it(
    root: Path, language: str, said: str
) -> None:
    t = _load(root, workbook(ROWS + FAR, "A1:XFD1048576"))
    (d,) = t.diagnostics
    assert (d.file, d.rule) == ("data/x.xlsx", "data/xlsx")
    assert say(d.message, language) == said


def test_the_limit_is_on_rows_times_columns(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_CELLS", 6)  # the sheet: 2 rows × 3 columns
    assert _load(root, workbook(ROWS)).diagnostics == ()
    monkeypatch.setattr(xlsx, "MAX_CELLS", 5)
    (d,) = _load(root, workbook(ROWS)).diagnostics
    assert say(d.message, "en").startswith("sheet 'S' spans 2 rows × 3 columns from A1")


def test_a_lying_dimension_and_far_cells_without_a_value_are_read(root: Path) -> None:
    styled = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    for data in (workbook(ROWS, "A1:XFD1048576"), workbook(ROWS + styled)):
        t = _load(root, data)
        assert t.diagnostics == ()
        assert t.frame["clicks"].tolist() == [5.0]


CASES = {
    "plain": ROWS,
    "styled blank": ROWS + '<row r="900"><c r="Z900" s="1"/></row>',
    "no references": "<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>"
    "<row><c><v>4</v></c></row>",
    "after a reference": '<row r="3"><c r="D3"><v>1</v></c><c><v>2</v></c></row>',
    "row reference only": '<row r="7"><c><v>2</v></c></row>',
    "lower case": '<row r="1"><c r="A1"><v>1</v></c><c r="j9"><v>3</v></c></row>',
    "r not first": '<row r="1"><c s="1" r="J9"><v>1</v></c></row>',
    "single quotes": "<row r='1'><c r='A1'><v>1</v></c><c r='K9'><v>1</v></c></row>",
    "quoted >": '<row r="1"><c foo=">" r="L9"><v>3</v></c></row>',
    "prefixed": f'<x:row xmlns:x="{_MAIN}" r="9"><x:c r="J9"><x:v>3</x:v></x:c></x:row>',
    "four letters": '<row r="1"><c r="A1"><v>1</v></c><c r="AAAA2"><v>1</v></c></row>',
    "empty rows": ROWS + '<row r="5000"/>',
}


@pytest.mark.parametrize("cells", CASES.values(), ids=list(CASES))
def test_the_extent_is_calamines(cells: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = workbook(cells)
    want = calamine(data)
    assert extent(data) == want
    for size in (1, 2, 3, 7, 16, 64):  # a tag cut anywhere by the chunks
        monkeypatch.setattr(xlsx_extent, "CHUNK", size)
        assert extent(data) == want, size


def test_under_the_limit_the_references_alone_tell_at_least_the_extent() -> None:
    styled = workbook(CASES["styled blank"])
    assert extent(styled, limit=900 * 26) == (900, 26)  # the blank cell counted
    assert extent(styled, limit=900 * 26 - 1) == (2, 3)  # over it: exact
    for cells in CASES.values():
        data = workbook(cells)
        quick, exact = extent(data, limit=10**9), extent(data)
        assert quick[0] >= exact[0] and quick[1] >= exact[1]


def test_column_numbers() -> None:
    assert [column_number(c) for c in (b"A", b"z", b"AA", b"XFD", b"AAAA")] == [
        1,
        26,
        27,
        16384,
        18279,
    ]


@pytest.mark.parametrize(
    "cells",
    [
        '<row r="1"><c r="&#88;FD1048576"><v>1</v></c></row>',  # an escaped reference
        '<row r="1"><c r="A1"><v>1</v></c><c foo="<" r=\'XFD1048576\'><v>1</v></c></row>',
    ],
    ids=["escaped", "< in a value"],
)
@pytest.mark.usefixtures("no_sheet_read")
def test_what_cannot_be_followed_is_refused(
    cells: str, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_extent, "CHUNK", 40)  # the '<' of the second case: a cut
    with pytest.raises(Unmeasurable):
        extent(workbook(cells))
    (d,) = _load(root, workbook(cells)).diagnostics
    assert d.rule == "data/xlsx"
    assert say(d.message, "en") == (
        "cannot tell how far sheet 'S' reaches from its cells (not an .xlsx workbook, or "
        "malformed XML): not read; open the file in Excel or WPS and save it as .xlsx"
    )
    assert say(d.message, "zh") == (
        "无法从单元格判断工作表 'S' 的范围（不是 .xlsx 工作簿，或 XML 格式有误），未读取："
        "请用 Excel 或 WPS 打开后另存为 .xlsx"
    )


def test_a_tag_over_the_limit_is_refused_and_a_long_text_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xlsx_extent, "CHUNK", 64)
    monkeypatch.setattr(xlsx_extent, "TAG_LIMIT", 100)
    long_text = ROWS.replace("<sheetData>", "") + " " * 1000
    assert extent(workbook(long_text + '<row r="4"><c r="B4"><v>1</v></c></row>')) == (4, 3)
    long_tag = f'<row r="1"><c x="{"y" * 1000}" r="XFD1048576"><v>1</v></c></row>'
    with pytest.raises(Unmeasurable):
        extent(workbook(long_tag))
