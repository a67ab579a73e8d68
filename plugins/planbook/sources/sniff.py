"""What a file in ``data/`` that is not a table is, said so that its owner knows what to
do (an Excel 97-2003 workbook, a web page saved under a spreadsheet's name)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..messages import Message, msg

__all__ = ["is_web_page", "not_a_table"]


def not_a_table(raw: str, paths: Sequence[Path]) -> Message:
    """Why ``raw`` (a path in ``data/``) is not read, and what to do: an Excel 97-2003
    workbook or a web page saved under a spreadsheet's name (which many Chinese
    back-ends hand out) is said as such."""
    first = paths[0]
    try:
        with first.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        head = b""
    if is_web_page(head):
        return msg("data/not-csv.html", path=raw)
    if first.suffix.lower() == ".xls":
        return msg("data/not-csv.xls", path=raw)
    return msg("data/not-csv", path=raw)


def is_web_page(head: bytes) -> bool:
    """Whether a file's first bytes are HTML (a report page saved as .csv or .xls)."""
    start = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<html", b"<!doctype html", b"<table", b"<head", b"<meta"))
