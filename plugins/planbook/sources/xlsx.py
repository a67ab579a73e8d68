"""Excel downloads (巨量千川 and many Chinese report centres are Excel only).

Read with python-calamine (Rust, no formula evaluation, no macros run). Each cell
becomes the text a CSV export of the same sheet would hold, so the rest of the
loader treats both alike: dates as ISO, whole numbers without ``.0``, other
numbers with as many digits as they need.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

from ..messages import msg

__all__ = ["XlsxError", "is_xlsx", "sheet_records"]

_ZIP = b"PK\x03\x04"
SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


class XlsxError(ValueError):
    """A workbook that cannot be read, or a sheet it does not have."""


def is_xlsx(path: str, head: bytes) -> bool:
    return path.lower().endswith(SUFFIXES) or head.startswith(_ZIP)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, float):
        if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return str(v)


def sheet_records(
    source: bytes | Path, sheet: str | None
) -> tuple[str, list[tuple[int, list[str]]], int]:
    """``(sheet name, [(row number, cells as text)], formula cells without a saved value)``
    of the chosen sheet (the first visible one when ``sheet`` is ``None``); row numbers
    are Excel's, 1-based."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        if isinstance(source, Path):
            book = CalamineWorkbook.from_path(str(source))
        else:
            book = CalamineWorkbook.from_filelike(io.BytesIO(source))
    except (CalamineError, ValueError, OSError) as e:
        raise XlsxError(msg("data/xlsx.unreadable", error=e)) from e
    names = list(book.sheet_names)
    if not names:
        raise XlsxError(msg("data/xlsx.no-sheets"))
    if sheet is None:
        # The first sheet a user sees: a hidden one (an old copy, a lookup table) is
        # never what the workbook shows first.
        name = next(iter(_visible(book)), names[0])
    elif sheet in names:
        name = sheet
    else:
        shown = ", ".join(repr(n) for n in names[:10])
        raise XlsxError(msg("data/xlsx.no-sheet", sheet=sheet, shown=shown))
    _check_extent(source, names.index(name), name)
    try:
        found = book.get_sheet_by_name(name)
        rows = found.to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as e:
        raise XlsxError(msg("data/xlsx.sheet", name=name, error=e)) from e
    _fill_merged(rows, getattr(found, "merged_cell_ranges", None))
    records = []
    for i, row in enumerate(rows, start=1):
        cells = [_cell(v) for v in row]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            records.append((i, cells))
    return name, records, unsaved_formulas(source, names.index(name))


def _visible(book: object) -> list[str]:
    """Names of the worksheets a user sees, in order (every sheet where python-calamine
    does not tell)."""
    try:
        meta = list(book.sheets_metadata)  # type: ignore[attr-defined]
    except AttributeError:
        return list(book.sheet_names)  # type: ignore[attr-defined]
    return [
        m.name
        for m in meta
        if str(m.visible).rsplit(".", 1)[-1] == "Visible"
        and str(m.typ).rsplit(".", 1)[-1] == "WorkSheet"
    ]


def _fill_merged(rows: list[list[object]], ranges: object) -> None:
    """A merged cell's text or date in every cell of its range, as Excel shows it across
    the merge (a 日期 merged over the rows of one day: each row is of that day). A merged
    number stays in its first cell only: repeated, it would be counted once per row.
    Where python-calamine does not report merged ranges (0.2.0, the lowest version
    pinned, does not), the cells under a merge stay empty and their rows are reported
    as rows without a date."""
    for (r0, c0), (r1, c1) in ranges or ():
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        if value is None or value == "" or isinstance(value, (int, float)):
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if row[c] is None or row[c] == "":
                    row[c] = value


# A cell's formula followed by the cell's end: no saved value (<v>) to read.
_UNSAVED = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*</c>")
_SHEET_XML_MAX = 64 << 20  # larger sheets are not scanned (a note costs no memory spike)


_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError, ET.ParseError)
# Cells a sheet may span, from A1 to its last cell: python-calamine holds a sheet as one
# dense block of them (32 bytes each) and this module as Python lists of the rows.
MAX_CELLS = 10_000_000


def _check_extent(source: bytes | Path, index: int, name: str) -> None:
    """Refuse sheet ``index`` (``name``) before python-calamine reads it when it spans
    more than :data:`MAX_CELLS`, or when its size cannot be told (a workbook that is not
    an ``.xlsx`` zip, a sheet XML this reading cannot follow): python-calamine would
    allocate the whole block, and a failed allocation aborts the process
    (:mod:`.xlsx_extent`)."""
    from .xlsx_extent import Unmeasurable, sheet_extent

    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as z:
            part = _sheet_part(z, index)
            if part is None:
                raise Unmeasurable("no sheet part")
            rows, columns = sheet_extent(z, part, MAX_CELLS)
    except (*_UNREADABLE, EOFError, RuntimeError, NotImplementedError, zlib.error) as e:
        # Unmeasurable is a ValueError; an encrypted or oddly compressed member, or a
        # damaged deflate stream, cannot be read either
        raise XlsxError(msg("data/xlsx.unmeasured", sheet=name)) from e
    if rows * columns > MAX_CELLS:
        raise XlsxError(
            msg(
                "data/xlsx.too-large",
                sheet=name,
                rows=rows,
                columns=columns,
                cells=rows * columns,
                limit=MAX_CELLS,
            )
        )


def _sheet_part(z: zipfile.ZipFile, index: int) -> str | None:
    """The zip member of sheet ``index`` (in workbook order), by the workbook's
    relationships; ``None`` when the workbook does not say."""
    # by local names: transitional and strict OOXML name their spaces apart
    ids = [
        next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        for el in ET.fromstring(z.read("xl/workbook.xml")).iter()
        if _local(el.tag) == "sheet"
    ]
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    target = targets.get(ids[index]) if index < len(ids) else None
    if not target:
        return None
    part = target.lstrip("/")
    part = part if part.startswith("xl/") else "xl/" + part
    z.getinfo(part)  # KeyError when the workbook names a member it does not hold
    return part


def unsaved_formulas(source: bytes | Path, index: int) -> int:
    """Formula cells of sheet ``index`` (in workbook order) stored without their value,
    as a program that does not calculate writes them (openpyxl, many exports): python-
    calamine reads no formula, so they read as empty. 0 for a workbook that is not an
    ``.xlsx`` zip or whose sheet part cannot be found."""
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as z:
            part = _sheet_part(z, index)
            if part is None or z.getinfo(part).file_size > _SHEET_XML_MAX:
                return 0
            return len(_UNSAVED.findall(z.read(part)))
    except _UNREADABLE:
        return 0


def _local(name: str) -> str:
    """An XML name without its namespace (``{ns}sheet`` -> ``sheet``)."""
    return name.rpartition("}")[2]
