"""Cell text -> numbers and dates, vectorised over a column.

Exports write numbers with thousands separators (``1,234`` ``1，234``), currency
signs and codes (``¥ ￥ $ € £ CN¥ US$ RMB 元``), percent signs (``5.2%`` -> 0.052),
full-width digits, ``(1,234)`` for negatives, ``万`` / ``亿`` multipliers and, in
European locales, decimal commas (``1.234,56``). Dates come as ISO, slashes, dots,
``2026年9月1日``, ``YYYYMMDD`` (GA4), ``Sep 1, 2026`` (Mailchimp), ``9/1/2026``
(US) or ``01.09.2026``; a profile may give the exact ``strptime`` format.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MISSING",
    "NAT",
    "NS_DAYS",
    "DateFormatError",
    "decimal_styles",
    "in_ns_range",
    "is_numeric",
    "is_text",
    "parse_dates",
    "parse_numbers",
    "to_text",
]

# Compared lower-case after trimming: a missing value, not an error.
MISSING = frozenset(["", "-", "--", "—", "——", "n/a", "na", "#n/a", "null", "nan", "none", "/"])

_CURRENCY = r"(?i)(?:cn¥|us\$|hk\$|a\$|rmb|cny|usd|eur|hkd|gbp|jpy|[¥$€£元])"
_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
# A thousands separator (by the decimal mark) anywhere but between a digit and exactly
# three digits, or after more than three digits: the text is no number.
_UNGROUPED = {
    mark: re.compile(rf"(?<!\d){sep}|{sep}(?!\d{{3}}(?!\d))|\d{{4}}{sep}")
    for mark, sep in ((".", ","), (",", r"\."))
}


def is_text(dtype: Any) -> bool:
    if isinstance(dtype, pd.ArrowDtype):
        return str(dtype.pyarrow_dtype) in ("string", "large_string")
    return pd.api.types.is_string_dtype(dtype) or dtype is np.dtype(object)


def is_numeric(dtype: Any) -> bool:
    if isinstance(dtype, pd.ArrowDtype):
        return dtype.kind in "iuf"
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def to_text(s: pd.Series) -> pd.Series:
    """Any column -> ``str`` dtype, ``""`` for missing (never NaN: NFKC and regexes
    below must only ever see text)."""
    if not is_text(s.dtype) or s.dtype == object:
        s = s.astype(object).where(s.notna(), "")
    return s.astype("str").fillna("")


def _nfkc(s: pd.Series) -> pd.Series:
    """NFKC only for the values that are not ASCII (full-width digits, ￥, ，, ％)."""
    non_ascii = ~s.str.isascii().fillna(True).astype(bool)
    if non_ascii.any():
        s = s.copy()
        s[non_ascii] = [unicodedata.normalize("NFKC", str(v)) for v in s[non_ascii]]
    return s


def _flag(s: pd.Series) -> np.ndarray:
    return s.fillna(False).astype(bool).to_numpy(dtype=bool)


def decimal_styles(columns: list[list[str]]) -> list[str | None]:
    """Per column (given as its texts): ``","`` when its numbers unambiguously use a
    decimal comma (``1.234,56``, ``1,5``), ``"."`` when they unambiguously use a decimal
    point (``1,234.56``, ``1.5``), ``"?"`` when both appear, ``None`` when nothing tells
    (integers, or only ``1,234``-style values). One pass over all of them: a file of
    thousands of columns pays the vectorised calls once, not once per column."""
    sizes = np.array([len(c) for c in columns], dtype=np.int64)
    flat = pd.Series([v for c in columns for v in c], dtype="str").fillna("")
    t = _nfkc(flat.str.strip()).str.replace(_CURRENCY, "", regex=True).str.strip()
    comma = _flag(
        t.str.contains(r"^[-+(]?\d{1,3}(?:\.\d{3})+,\d+%?\)?$|^[-+(]?\d+,(?:\d{1,2}|\d{4,})%?\)?$")
    )
    point = _flag(
        t.str.contains(r"^[-+(]?\d{1,3}(?:,\d{3})+\.\d+%?\)?$|^[-+(]?\d+\.(?:\d{1,2}|\d{4,})%?\)?$")
    )
    owner = np.repeat(np.arange(len(columns)), sizes)  # the column of each value
    has_comma = np.bincount(owner[comma], minlength=len(columns)) > 0
    has_point = np.bincount(owner[point], minlength=len(columns)) > 0
    styles: list[str | None] = []
    for c, pt in zip(has_comma.tolist(), has_point.tolist(), strict=True):
        styles.append("?" if c and pt else "," if c else "." if pt else None)
    return styles


def parse_numbers(values: pd.Series, decimal: str = ".") -> tuple[np.ndarray, np.ndarray]:
    """Parse exported number text, vectorised.

    Returns ``(float64 values, bad mask)``: missing markers give NaN and are not
    bad; anything else that is not a number is NaN and bad. Values beyond the float
    range come back as ``inf``: the caller reports them (they are never summed).
    ``-0`` is 0 (no negative zero, whichever reader read the cell).
    ``decimal=","`` reads ``1.234,56`` as 1234.56.
    """
    s = _nfkc(to_text(values).str.strip())
    missing = s.str.lower().isin(MISSING).to_numpy(dtype=bool)
    t = s.str.replace(_CURRENCY, "", regex=True)
    # A thousands separator groups three digits: `12,50` or `1,5` under a decimal point
    # (`1.5` under a decimal comma) is not a number the file means, never 1250 or 15.
    ungrouped = _flag(t.str.contains(_UNGROUPED[decimal]))
    if decimal == ",":
        t = t.str.replace(r"[.\s'’]", "", regex=True).str.replace(",", ".", regex=False)
    else:
        t = t.str.replace(r"[,\s'’]", "", regex=True)
    neg = _flag(t.str.fullmatch(r"\(.*\)"))
    t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    pct = _flag(t.str.endswith("%"))
    t = t.str.replace(r"%$", "", regex=True)
    wan = _flag(t.str.endswith("万"))
    yi = _flag(t.str.endswith("亿"))
    t = t.str.replace(r"[万亿]$", "", regex=True)
    ok = _flag(t.str.fullmatch(_NUM)) & ~ungrouped
    infinite = _flag(t.str.fullmatch(r"(?i)[-+]?inf(?:inity)?"))
    out = np.full(len(t), np.nan)
    if ok.any():
        out[ok] = np.asarray(t[ok].tolist(), dtype=np.float64)
    if infinite.any():
        out[infinite] = np.where(t[infinite].str.startswith("-"), -np.inf, np.inf)
        ok = ok | infinite
    scale = np.where(pct, 0.01, 1.0) * np.where(neg, -1.0, 1.0)
    scale = scale * np.where(wan, 1e4, 1.0) * np.where(yi, 1e8, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        out = out * scale + 0.0  # -0 is 0 (the fast reader reads `-0` as an integer)
    bad = ~ok & ~missing
    out[missing] = np.nan
    return out, bad


# --------------------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_TIME = r"(?:(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?)?"
_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME + r"$", re.I
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_XYY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})" + _TIME + r"$", re.I)
_MDY_NAME = re.compile(
    r"^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME + r"$", re.I
)
_DMY_NAME = re.compile(r"^(\d{1,2})[\s\-]+([a-z]{3,9})\.?[\s\-,]+(\d{4})" + _TIME + r"$", re.I)


class DateFormatError(ValueError):
    """Slash dates whose day/month order nothing in the column settles; ``example`` is
    one of them (the message catalogue says it in the site's language)."""

    def __init__(self, example: str) -> None:
        super().__init__(f"dates such as {example!r} could be day/month or month/day")
        self.example = example


def _ymd(text: str, order: str) -> tuple[int, int, int] | None:
    m = _YMD.match(text) or _COMPACT.match(text)
    if m:
        return int(m[1]), int(m[2]), int(m[3])
    m = _XYY.match(text)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        return (y, a, b) if order == "mdy" else (y, b, a)
    m = _MDY_NAME.match(text)
    if m and m[1].lower() in _MONTHS:
        return int(m[3]), _MONTHS[m[1].lower()], int(m[2])
    m = _DMY_NAME.match(text)
    if m and m[2].lower() in _MONTHS:
        return int(m[3]), _MONTHS[m[2].lower()], int(m[1])
    m = _SERIAL.fullmatch(text)
    if m and _SERIALS[0] <= int(m[1]) <= _SERIALS[1]:
        day = _EXCEL_EPOCH + timedelta(days=int(m[1]))
        return day.year, day.month, day.day
    return None


# An Excel date serial (days since 1899-12-30) in a cell whose format is not a date
# ("General": 46266 is 2026-09-01): a workbook date seen as its number. Five digits,
# 1954-10-03 to 2119-01-11: nothing else writes a date column that way.
_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
_SERIALS = (20_000, 80_000)
_EXCEL_EPOCH = date(1899, 12, 30)


def _slash_order(texts: list[str]) -> str:
    """``mdy`` or ``dmy`` for ``x/y/yyyy`` dates: a first part over 12 means day first,
    a second part over 12 month first; neither is ambiguous."""
    first = second = False
    for t in texts:
        m = _XYY.match(t)
        if m:
            first |= int(m[1]) > 12
            second |= int(m[2]) > 12
    if first and not second:
        return "dmy"
    if second and not first:
        return "mdy"
    if any(_XYY.match(t) for t in texts):
        raise DateFormatError(next(t for t in texts if _XYY.match(t)))
    return "mdy"


# The days (since 1970-01-01) whose midnight ``datetime64[ns]`` holds, 1677-09-22 to 2262-04-11:
# numpy turns a day beyond them into a date of another century without a word (2600-01-05
# became 2015-06-17), so such a day is unreadable (issue 12, loader3).
NS_DAYS = (-106_751, 106_751)

# NaT as the int64 behind a datetime64 array of any unit.
NAT = np.iinfo(np.int64).min


def in_ns_range(days: np.ndarray) -> np.ndarray:
    """Which of ``days`` (``datetime64[D]``) ``datetime64[ns]`` holds."""
    numbers = days.astype(np.int64)
    return (numbers >= NS_DAYS[0]) & (numbers <= NS_DAYS[1])


def parse_dates(texts: list[str], fmt: str | None = None, order: str | None = None) -> np.ndarray:
    """Distinct date texts -> ``datetime64[ns]`` at midnight (NaT when unreadable).

    ``fmt`` is a ``strptime`` format (from a profile); without it the formats in the
    module docstring are recognised. ``order`` (``mdy``/``dmy``) settles slash dates;
    without it the column decides, or :class:`DateFormatError` is raised.
    """
    out = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[ns]")
    norm = [unicodedata.normalize("NFKC", t).strip() for t in texts]
    if fmt:
        parsed = pd.to_datetime(pd.Series(norm, dtype=object), format=fmt, errors="coerce")
        values = pd.DatetimeIndex(parsed).as_unit("ns").normalize().to_numpy()
        return values
    order = order or _slash_order(norm)
    for i, t in enumerate(norm):
        ymd = _ymd(t, order)
        if ymd is None:
            continue
        y, m, d = ymd
        try:
            day = np.datetime64(f"{y:04d}-{m:02d}-{d:02d}", "D")
        except ValueError:
            continue
        if NS_DAYS[0] <= day.astype(np.int64) <= NS_DAYS[1]:  # beyond: unreadable (NaT)
            out[i] = day.astype("datetime64[ns]")
    return out
