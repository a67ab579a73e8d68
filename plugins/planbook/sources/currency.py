"""The currency a metric file states, and a plan's figures kept in one currency.

Exports write their currency in three places, and the number parser drops it from the
cells (:mod:`.values`): a column (Google Ads and Microsoft Ads ``Currency code``, TikTok
and LinkedIn ``Currency``, 货币 / 币种), the end of a money header (Meta ``Amount spent
(USD)``, ``消耗(元)``), and the money cells themselves (``$1,234.56``, ``£100``, ``US$``,
``¥``, ``RMB``, ``元``). :func:`stated` reads them when a file is parsed and the table
keeps them (:attr:`.table.Table.currency`, and its money measures,
:attr:`.table.Table.money`). :func:`withhold` compares them with a plan's ``currency``:
the money of a file in another currency is not added to the plan's figures (a figure
never adds dollars to yuan; no exchange rate is applied), its other measures still
count, and an error at the plan's ``metrics`` entry says what the file's currency is,
where it was read, and what to do.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..columns import MONEY_MEASURES
from ..diagnostics import Diagnostic, Severity
from ..frontmatter import Locations, PathKey, format_path
from ..messages import msg
from .profiles import normalize_header
from .values import MISSING, is_numeric

if TYPE_CHECKING:
    from .combine import Source
    from .headers import Column
    from .profiles import Profile

__all__ = [
    "CURRENCY_COLUMNS",
    "SIGNS",
    "Stated",
    "codes_of",
    "currency_columns",
    "in_plan_currency",
    "metrics_entry",
    "money_columns",
    "stated",
    "withhold",
]

# Normalised headers of a column that holds the file's currency.
CURRENCY_COLUMNS = frozenset(
    {
        "currency",
        "currency code",
        "currencycode",
        "account currency",
        "account currency code",
        "货币",
        "货币类型",
        "货币代码",
        "币种",
        "币种代码",
        "结算币种",
    }
)

_DOLLARS = frozenset({"USD", "AUD", "CAD", "HKD", "SGD", "NZD", "TWD", "MXN", "ARS", "CLP", "COP"})
# Currency signs and words as exports write them (after NFKC: ￥ is ¥), lower-case ->
# the ISO 4217 codes they may mean ("$" alone is one of the dollars, "¥" yuan or yen).
SIGNS: dict[str, frozenset[str]] = {
    "$": _DOLLARS,
    "us$": frozenset({"USD"}),
    "u.s.$": frozenset({"USD"}),
    "cn¥": frozenset({"CNY"}),
    "rmb": frozenset({"CNY"}),
    "元": frozenset({"CNY"}),
    "人民币": frozenset({"CNY"}),
    "人民币元": frozenset({"CNY"}),
    "¥": frozenset({"CNY", "JPY"}),
    "円": frozenset({"JPY"}),
    "日元": frozenset({"JPY"}),
    "hk$": frozenset({"HKD"}),
    "港元": frozenset({"HKD"}),
    "港币": frozenset({"HKD"}),
    "a$": frozenset({"AUD"}),
    "au$": frozenset({"AUD"}),
    "c$": frozenset({"CAD"}),
    "ca$": frozenset({"CAD"}),
    "s$": frozenset({"SGD"}),
    "sg$": frozenset({"SGD"}),
    "nt$": frozenset({"TWD"}),
    "nz$": frozenset({"NZD"}),
    "r$": frozenset({"BRL"}),
    "美元": frozenset({"USD"}),
    "€": frozenset({"EUR"}),
    "欧元": frozenset({"EUR"}),
    "£": frozenset({"GBP"}),
    "英镑": frozenset({"GBP"}),
    "₩": frozenset({"KRW"}),
    "₹": frozenset({"INR"}),
}

# Distinct values of a currency column read at most (a column of more is no currency
# column worth quoting: the first ones make the point).
MAX_VALUES = 10
# What a money cell holds besides its currency: digits, separators, sign, parentheses,
# percent, spaces (ASCII only: the same bytes in GB18030, whose second bytes are >= 0x40).
_NUMBER_PART = r"[0-9\s.,'()%+\-]+"
_SAFE_HEAD = frozenset(b"0123456789+-.,'( \t")
_SAFE_TAIL = frozenset(b"0123456789.,%) \t")
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "(", "〕": ")"})
_UNIT = re.compile(r"[(\[]\s*([^()\[\]]{1,12}?)\s*[)\]]\s*$")
_EXCEL_TEXT = re.compile(r'^="?|"$')


@functools.cache
def _iso() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def codes_of(text: str, *, any_case: bool = False) -> frozenset[str] | None:
    """The ISO 4217 codes ``text`` (a sign, a code, a word) may mean; ``None`` when it is
    none of them. A code counts in capitals only (``USD``; ``Clicks (all)`` is no Albanian
    lek), in any case with ``any_case`` (a currency column's value)."""
    t = unicodedata.normalize("NFKC", text).strip()
    found = SIGNS.get(t.lower())
    if found is not None:
        return found
    code = t.upper()
    if len(t) == 3 and t.isascii() and (any_case or t.isupper()) and code in _iso():
        return frozenset({code})
    return None


@dataclass(frozen=True)
class Stated:
    """One place a file states its currency: ``said`` as written (``USD``, ``$``,
    ``元``), the ISO codes it may mean (``codes``; empty: none known, e.g. markup in a
    currency column), ``kind`` ``column`` (a currency column's value), ``header`` (a money
    header's unit) or ``cells`` (a sign in a money column's cells), ``header`` the
    column's header as written, ``example`` a cell that shows it (``cells``)."""

    said: str
    codes: frozenset[str]
    kind: str
    header: str
    example: str = ""

    def fits(self, currency: str) -> bool:
        return currency in self.codes


def _unit(header: str) -> str | None:
    """The text in brackets at the end of ``header`` (``Amount spent (USD)`` -> ``USD``)."""
    m = _UNIT.search(unicodedata.normalize("NFKC", header).translate(_BRACKETS).strip())
    return m.group(1) if m else None


def currency_columns(columns: Sequence[Column]) -> list[Column]:
    """The columns that hold the file's currency (:data:`CURRENCY_COLUMNS`)."""
    return [c for c in columns if normalize_header(c.header) in CURRENCY_COLUMNS]


def money_columns(columns: Sequence[Column], profile: Profile | None) -> list[Column]:
    """The measure columns that are amounts of money: spend and revenue, a column the
    export ``profile`` marks as money (``money:``), a header whose unit is a currency
    (``Budget (USD)``)."""
    out = []
    for c in columns:
        if c.kind not in ("measure", "auto"):
            continue
        unit = _unit(c.header)
        if (
            c.name in MONEY_MEASURES
            or (profile is not None and c.header in profile.money)
            or (unit is not None and codes_of(unit) is not None)
        ):
            out.append(c)
    return out


def stated(
    columns: Sequence[Column], frame: pd.DataFrame, binary: bool, profile: Profile | None
) -> tuple[tuple[Stated, ...], frozenset[str]]:
    """``(where the file states its currency, the names of its money columns)``, from the
    reader's raw columns ``c0 …`` (bytes in GB18030 when ``binary``). A money column the
    reader typed as numbers has no sign to read: nothing is looked at (the usual case);
    a text one is looked at by its first two and last bytes, and read further only when
    some cell has more than a number."""
    decode = "gb18030" if binary else "utf-8"
    money = money_columns(columns, profile)
    said: list[Stated] = []
    for c in currency_columns(columns):
        if f"c{c.index}" not in frame:
            continue
        for value in _distinct(frame[f"c{c.index}"], decode)[:MAX_VALUES]:
            codes = codes_of(value, any_case=True) or frozenset()
            said.append(Stated(value, codes, "column", c.header))
    for c in columns:
        if c.kind != "rate" and c not in money:
            continue
        unit = _unit(c.header)
        codes = None if unit is None else codes_of(unit)
        if unit is not None and codes is not None:
            said.append(Stated(unit, codes, "header", c.header))
    for c in money:
        if f"c{c.index}" in frame:
            for sign, codes, example in _signs(frame[f"c{c.index}"], decode):
                said.append(Stated(sign, codes, "cells", c.header, example))
    return tuple(dict.fromkeys(said)), frozenset(c.name for c in money)


def _arrow(s: pd.Series) -> Any:
    """The column as a pyarrow array (binary or string), or ``None`` for numbers and
    columns of Python objects."""
    import pyarrow as pa

    if isinstance(s.dtype, pd.ArrowDtype) or str(s.dtype) == "str":
        try:
            arr = (
                pa.chunked_array([pa.array(s.array)])
                if str(s.dtype) == "str"
                else s.array.__arrow_array__()
            )
        except (TypeError, ValueError, pa.ArrowException):
            return None
        kind = str(arr.type)
        return arr if kind in ("string", "large_string", "binary", "large_binary") else None
    return None


def _text(value: Any, decode: str) -> str:
    if isinstance(value, bytes):
        return value.decode(decode, "replace")
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _distinct(s: pd.Series, decode: str) -> list[str]:
    """A column's distinct values as text, trimmed, in the order they come, without the
    missing ones (``""``, ``-``, ``N/A`` …)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        values: list[Any] = list(s.cat.categories)
    else:
        arr = _arrow(s)
        if arr is not None:
            import pyarrow.compute as pc

            values = pc.unique(arr).to_pylist()
        else:
            values = list(pd.unique(s.dropna()))
    out = []
    for v in values:
        t = (
            _EXCEL_TEXT.sub("", _text(v, decode).strip())
            if isinstance(v, bytes | str)
            else _text(v, decode)
        )
        if t.strip() and t.strip().lower() not in MISSING:
            out.append(t.strip())
    return list(dict.fromkeys(out))


def _signs(s: pd.Series, decode: str) -> list[tuple[str, frozenset[str], str]]:
    """``(sign as written, the codes it may mean, a cell that shows it)`` for each
    distinct currency sign or code in a money column's cells (``$``, ``US$``, ``£``,
    ``元``, ``USD``)."""
    if is_numeric(s.dtype) or s.dtype == np.float64:
        return []
    arr = _arrow(s)
    if arr is None:
        cells = [c for c in pd.unique(s.dropna()) if isinstance(c, str | bytes)]
        residues = {}
        for cell in cells:
            text = _text(cell, decode)
            residues.setdefault(re.sub(_NUMBER_PART, "", text), text)
        return _named(residues)
    import pyarrow as pa
    import pyarrow.compute as pc

    data = arr.cast(pa.large_binary()) if "string" in str(arr.type) else arr
    heads = pc.unique(pc.binary_slice(data, 0, 2)).to_pylist()
    tails = pc.unique(pc.binary_slice(data, -1, None)).to_pylist()
    if all(set(h) <= _SAFE_HEAD for h in heads if h) and all(
        set(t) <= _SAFE_TAIL for t in tails if t
    ):
        return []  # numbers only: the usual text column (a `;` or TAB file)
    rest = pc.replace_substring_regex(data, pattern=_NUMBER_PART, replacement="")
    found = pc.unique(rest).to_pylist()
    residues = {}
    for r in found:
        if not r:
            continue
        at = pc.index(rest, r).as_py()
        residues[_text(r, decode)] = _text(data[at].as_py(), decode)
    return _named(residues)


def _named(residues: dict[str, str]) -> list[tuple[str, frozenset[str], str]]:
    """The residues (a cell without its number) that are a currency, with their codes and
    their cell."""
    out: dict[str, tuple[str, frozenset[str], str]] = {}
    for residue, cell in residues.items():
        # full-width digits (５１０) are numbers too once NFKC has made them ASCII
        sign = re.sub(_NUMBER_PART, "", unicodedata.normalize("NFKC", residue))
        sign = _EXCEL_TEXT.sub("", sign.strip("万亿")).strip()
        codes = codes_of(sign) if sign else None
        if codes is not None and sign not in out:
            out[sign] = (sign, codes, cell.strip())
    return list(out.values())


# --------------------------------------------------------------------------- plans


def in_plan_currency(
    store: Any,
    sources: Sequence[Source],
    plan: Any,
    file: str,
    locations: Locations,
    diags: list[Diagnostic],
) -> list[Source]:
    """:func:`withhold` for a plan (its ``currency`` and ``metrics``) whose sources
    ``store`` gathered: the sources to combine; the errors go to ``diags``."""
    entry = metrics_entry(store, plan.metrics, locations=locations)
    kept, errors = withhold(sources, plan.currency, entry=entry, file=file)
    diags.extend(errors)
    return kept


def withhold(
    sources: Sequence[Source],
    currency: str,
    *,
    entry: Callable[[str], tuple[int | None, str]],
    file: str,
) -> tuple[list[Source], list[Diagnostic]]:
    """A plan's ``sources`` with the money measures of each file whose stated currency is
    not the plan's ``currency`` withheld (:attr:`.combine.Source.withheld`: missing on
    every row of the file, so a sum leaves them out and a ratio over them leaves the
    file's rows out, never dollars added to yuan), and an error for each such file at its
    ``metrics`` entry (``entry(path)``: its line and field in the page ``file``). A file
    that states no currency, or the plan's, is unchanged."""
    out: list[Source] = []
    diags: list[Diagnostic] = []
    exact = {
        src.table.path: {c for st in src.table.currency for c in st.codes if len(st.codes) == 1}
        for src in sources
    }
    for src in sources:
        table = src.table
        wrong = [st for st in table.currency if not st.fits(currency)]
        money = tuple(m for m in table.money if m in table.measures)
        if not wrong or not money:
            out.append(src)
            continue
        out.append(replace(src, withheld=money))
        line, fld = entry(table.path)
        diags.append(
            Diagnostic(
                file,
                line,
                fld,
                "data/currency-mismatch",
                Severity.ERROR,
                msg(
                    "data/currency-mismatch",
                    path=table.path,
                    stated=[_said(st) for st in _first_of_each(wrong)[:3]],
                    plan=currency,
                    measures=list(money),
                    fix=_fix(wrong, currency, exact, table.path),
                ),
            )
        )
    return out, diags


def _first_of_each(said: Sequence[Stated]) -> list[Stated]:
    """The first place each currency is stated (``USD`` in three money headers: once)."""
    first: dict[str, Stated] = {}
    for st in said:
        first.setdefault(st.said, st)
    return list(first.values())


def _said(st: Stated) -> str:
    where = {
        "column": msg("data/currency.column", header=st.header),
        "header": msg("data/currency.header", header=st.header),
        "cells": msg("data/currency.cells", header=st.header, example=st.example),
    }[st.kind]
    return msg("data/currency.stated", value=st.said, where=where)


def _fix(wrong: Sequence[Stated], currency: str, exact: dict[str, set[str]], path: str) -> str:
    """What to do: set the plan's currency to the file's, unless that cannot fit (the
    plan's other files state another currency; the file's sign may mean several)."""
    codes = frozenset.intersection(*(st.codes for st in wrong))
    others = sorted({c for other, found in exact.items() if other != path for c in found} - codes)
    if others:
        return msg("data/currency-mismatch.mixed", plan=currency, others=others)
    if len(codes) == 1:
        [code] = codes
        return msg("data/currency-mismatch.set", code=code, plan=currency)
    if codes:
        shown = sorted(codes)
        return msg(
            "data/currency-mismatch.ambiguous",
            codes=shown[:4] + (["…"] if len(shown) > 4 else []),
            plan=currency,
        )
    return msg("data/currency-mismatch.unknown", plan=currency)


def metrics_entry(
    store: Any,
    metrics: Sequence[Any],
    *,
    locations: Locations,
    prefix: PathKey = ("plan", "metrics"),
) -> Callable[[str], tuple[int | None, str]]:
    """``path -> (line, field)`` of the first ``metrics`` entry whose pattern reaches the
    file ``path`` (as :meth:`planbook.data.DataStore.gather` places its messages); the
    ``metrics`` list itself when none does."""
    found: dict[str, tuple[int | None, str]] = {}
    for i, source in enumerate(metrics):
        if getattr(source, "connection", None):
            continue
        key: PathKey = (*prefix, i, "path") if locations.has((*prefix, i, "path")) else (*prefix, i)
        pattern = source.path if hasattr(source, "path") else str(source)
        paths, _ = store.resolve(pattern, file="", line=None, field="")
        for p in paths:
            found.setdefault(_rel(store.root, p), (locations.line(key), format_path(key)))
    whole = (locations.line(prefix), format_path(prefix))
    return lambda path: found.get(path, whole)


def _rel(root: Path, path: Path) -> str:
    """``path`` as a table names its file: relative to the site's root."""
    full = path if path.is_absolute() else Path(root) / path
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return full.as_posix()
