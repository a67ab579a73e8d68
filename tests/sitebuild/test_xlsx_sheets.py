"""Workbooks as a user sees them (outside test, stop 30): the first *visible* sheet is
read (a hidden old copy with ten times the spend was read before), and a 日期 merged over
the rows of one day dates each of them (they were dropped as rows without a date). A
merged number stays in its first row: repeated, it would be counted once per row."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from planbook.data import DataStore

HEADER = ["日期", "推广计划", "展现量", "点击量", "消费", "转化数"]
ROWS = [
    ["2026-09-01", "品牌词", 1000, 50, 120.5, 3],
    ["2026-09-01", "产品词", 2000, 80, 300.25, 5],
    ["2026-09-03", "品牌词", 1500, 60, 99.25, 2],
]


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _xlsx(sheets: list[tuple[str, list[list[object]], bool, list[str]]]) -> bytes:
    """A minimal workbook (name, rows, hidden, merged ranges per sheet): inline strings,
    plain numbers, ``<mergeCells>`` and ``state="hidden"`` as Excel writes them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        parts = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
            '-officedocument.spreadsheetml.sheet.main+xml"/>' + parts + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PKG}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {_NS} xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"'
                + (' state="hidden"' if hidden else "")
                + "/>"
                for i, (name, _, hidden, _) in enumerate(sheets, start=1)
            )
            + "</sheets></workbook>",
        )
        for i, (_, rows, _, merges) in enumerate(sheets, start=1):
            xml = []
            for r, row in enumerate(rows, start=1):
                cells = []
                for c, v in enumerate(row):
                    ref = f"{chr(65 + c)}{r}"
                    if v is None:
                        continue
                    if isinstance(v, tuple):  # ("f", formula, saved value or None)
                        saved = "" if v[2] is None else f"<v>{v[2]}</v>"
                        cells.append(f'<c r="{ref}"><f>{escape(v[1])}</f>{saved}</c>')
                    elif isinstance(v, (int, float)):
                        cells.append(f'<c r="{ref}"><v>{v!r}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
                xml.append(f'<row r="{r}">' + "".join(cells) + "</row>")
            merged = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
            z.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f"<worksheet {_NS}><sheetData>"
                + "".join(xml)
                + "</sheetData>"
                + (f'<mergeCells count="{len(merges)}">{merged}</mergeCells>' if merges else "")
                + "</worksheet>",
            )
    return out.getvalue()


def _book(*, hidden_first: bool = False, merged: bool = False) -> bytes:
    rows: list[list[object]] = [HEADER, *[list(r) for r in ROWS]]
    merges = []
    if merged:
        rows[2][0] = None
        merges.append("A2:A3")  # 2026-09-01 over its two rows, as Chinese reports do
        rows[3][5] = None
        merges.append("F3:F4")  # a merged number: counted in its first row only
    sheets = [("Sheet1", rows, False, merges)]
    if hidden_first:
        old = [HEADER] + [[*r[:4], r[4] * 10, r[5]] for r in ROWS]  # an old copy, x10
        sheets.insert(0, ("old", old, True, []))
    return _xlsx(sheets)


def _load(root: Path, content: bytes):
    (root / "data").mkdir(exist_ok=True)
    path = root / "data" / "r.xlsx"
    path.write_bytes(content)
    return DataStore(root).load(path)


def test_the_first_visible_sheet_is_read(tmp_path: Path) -> None:
    t = _load(tmp_path, _book(hidden_first=True))
    assert list(t.diagnostics) == []
    assert t.frame["spend"].sum() == 520.0


def _reports_merges() -> bool:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(_book())).get_sheet_by_index(0)
    return hasattr(sheet, "merged_cell_ranges")


def test_a_merged_date_dates_each_row_under_it(tmp_path: Path) -> None:
    t = _load(tmp_path, _book(merged=True))
    if not _reports_merges():  # python-calamine before merged ranges: said, not guessed
        assert [(d.rule, d.line) for d in t.diagnostics] == [("data/missing-date", 3)]
        return
    assert list(t.diagnostics) == []
    assert [str(d)[:10] for d in t.frame["date"]] == ["2026-09-01", "2026-09-01", "2026-09-03"]
    assert t.frame["spend"].sum() == 520.0
    conversions = t.frame["conversions"].tolist()
    assert conversions[:2] == [3.0, 5.0] and conversions[2] != conversions[2]  # NaN: not repeated


PLAN = """---
plan:
  id: p
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/r.xlsx]
  goals:
    - {id: spend, statement: 花费 1000, kpi: spend, baseline: 0, target: 1000, deadline: 2026-12-31}
---
# P

{{ kpi_table() }}
"""


def test_a_site_reads_the_visible_merged_sheet(build_site) -> None:
    wb = _book(hidden_first=True, merged=_reports_merges())
    built = build_site({"p.md": PLAN}, {"r.xlsx": wb})
    assert built.error is None, built.logged(logging.ERROR)
    row = built.html("p/index.html").select_one('tr[data-goal="spend"]')
    assert row is not None and "¥520" in row.get_text(" ", strip=True)


def test_a_formula_without_its_saved_value_is_said(tmp_path: Path) -> None:
    """openpyxl and many exports write formulas without calculating them: calamine reads
    such a cell as empty, and the spend it holds was silently missing (stop 30)."""
    from planbook.messages import say

    rows: list[list[object]] = [HEADER, *[list(r) for r in ROWS]]
    rows[3][4] = ("f", "SUM(40,59.25)", None)  # no <v>
    rows[2][4] = ("f", "SUM(100,200.25)", 300.25)  # saved by Excel: read
    t = _load(tmp_path, _xlsx([("Sheet1", rows, False, [])]))
    (d,) = t.diagnostics
    assert (d.rule, d.severity.value) == ("data/xlsx-formula", "warning")
    assert d.message == (
        "1 formula cell of sheet 'Sheet1' without a saved value (the workbook was written by a "
        "program that does not calculate): they read as empty; open the file in Excel or WPS "
        "and save it"
    )
    assert say(d.message, "zh") == (
        "工作表 'Sheet1' 中有 1 个公式单元格没有保存计算结果（工作簿由不计算公式的程序生成），"
        "读出来是空的；请用 Excel 或 WPS 打开并保存后再放入"
    )
    assert t.frame["spend"].tolist()[:2] == [120.5, 300.25]
