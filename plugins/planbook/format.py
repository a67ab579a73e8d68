"""Numbers, money, percentages and dates for the page, formatted by Babel."""

from __future__ import annotations

import functools
import math
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_precision,
    get_currency_symbol,
)
from markupsafe import escape as _escape

LOCALES = {"zh": "zh_CN", "en": "en_US"}


def html_text(value: Any) -> str:
    """``str(markupsafe.escape(value))``: ``value`` as HTML text, for markup written in
    Python. Text with nothing to escape (most cells: numbers, dates, words) is returned
    as it is, without the Markup object ``escape`` makes (the row writers escape a few
    hundred values per plan page); anything else goes through ``escape``."""
    kind = type(value)
    if kind is str:
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return str(_escape(value))
        return value
    if kind is int or kind is float:  # digits, a sign, a dot, e, inf, nan: nothing to escape
        return str(value)
    return str(_escape(value))


def nice_step(raw: float) -> float:
    """The 1-2-5 step at or above ``raw`` (0.3 -> 0.5, 1,234 -> 2,000)."""
    raw = abs(raw) or 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power


@functools.cache
def _symbol(currency: str, locale: str) -> str:
    return get_currency_symbol(currency, locale=locale)


@functools.cache
def _precision(currency: str) -> int:
    return get_currency_precision(currency)


def _grouped(value: float, digits: int) -> str:
    """``value`` with ``digits`` decimals and groups of three, as Babel writes it for
    zh_CN and en_US (``Formatter._plain``): the float's shortest repr, rounded half-even
    (Python's Decimal formatting, ~2 us instead of Babel's ~30)."""
    return format(Decimal(str(value)), f",.{digits}f")


def babel_locale(language: str) -> str:
    return LOCALES.get(language.split("_")[0].split("-")[0], "en_US")


def plain_number(value: float) -> str:
    """Locale-independent number for messages: ``1,234.5``."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def plain_percent(value: float, *, signed: bool = False, digits: int | None = None) -> str:
    """Locale-independent share for messages: ``0.034`` -> ``3.4%`` (four significant
    digits); ``signed``: a change, one decimal below ten percent (``+3.4%``, ``+25%``);
    ``digits``: that many decimals (two changes that would read the same)."""
    sign = "+" if signed else ""
    if digits is not None:
        return f"{value * 100:{sign}.{digits}f}%"
    if not signed:
        return f"{value * 100:.4g}%"
    return f"{value * 100:+.1f}%" if abs(value) < 0.1 else f"{value * 100:+.0f}%"


def plain_amount(value: float) -> str:
    """Locale-independent amount for messages, one decimal below 100: ``1,234``, ``12.5``."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def is_missing(value: float | None) -> bool:
    """No value to show: ``None``, NaN, or a value beyond the float range (the loader
    and the front-matter schema report those where they are written)."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


HUGE = 1e18
_NAN = math.nan  # the one NaN the caches key (Formatter's _memo)


def _compact_units(locale: Locale) -> tuple[tuple[int, int, str], ...] | None:
    """(magnitude, divisor, suffix) of each compact amount unit from 万 up, largest first,
    when every pattern Babel would use for an amount of ten thousand or more is a
    currency sign, zeros and a unit (zh_CN: ``¤0万``, ``¤00万``, ... ``¤000万亿``; one
    plural form): what :meth:`Formatter._compact` writes as Babel does. Else None."""
    try:
        forms = locale.compact_currency_formats["short"]
        patterns = {int(m): forms["other"][m].pattern for m in forms["other"]}
    except (KeyError, AttributeError, ValueError):
        return None
    if set(forms) != {"other"} or 10_000 not in patterns:
        return None
    units = []
    for magnitude, pattern in sorted(patterns.items(), reverse=True):
        if magnitude < 10_000:
            break
        found = re.fullmatch(r"¤(0+)([^0-9#.,;'¤%‰E@*\\s-]+)", pattern)
        if not found:
            return None
        units.append((magnitude, magnitude // 10 ** (len(found[1]) - 1), found[2]))
    return tuple(units)


@dataclass(frozen=True)
class Column:
    """How every cell of one table column reads (see :meth:`Formatter.column`): one
    money unit (1, 万 or 亿) and one number of decimals for all its cells."""

    kind: str  # number | decimal | percent | currency
    unit: float = 1.0
    digits: int | None = None  # None: the kind's default (money: 2 in 万 / 亿, else 0)


def _memo(method: Callable[..., str]) -> Callable[..., str]:
    """Cache a formatting method per instance: tables repeat values (targets, dates,
    totals) and Babel costs tens of microseconds per call."""
    name = method.__name__

    def wrapper(self: Formatter, *args: Any) -> str:
        # A value seen before is one dict lookup (a build makes ~80,000 calls, most of
        # them hits). -0.0 finds 0.0's entry (they are equal and hash alike); a huge
        # value is never stored, so it always reaches the check below.
        key = (name, *args)
        try:
            found = self._cache.get(key)  # no KeyError raised: a miss is frequent too
        except TypeError:  # unhashable: do not cache
            keep = False
        else:
            if found is not None:
                return found
            keep = True
            if self._older:  # the older generation, or the last build's (`mkdocs serve`)
                found = self._older.pop(key, None)
                if found is not None:  # still in use: into the current generation
                    self._keep(key, found)
                    return found
        value = args[0] if args else None
        if isinstance(value, float):
            if value != value:
                # NaN: every NaN object is a key of its own (NaN equals nothing, and hashes
                # by identity), so each one missed and was kept; one NaN, one entry
                args = (_NAN, *args[1:])
                key = (name, *args)
                found = self._cache.get(key) if keep else None
                if found is not None:
                    return found
            elif math.isfinite(value) and abs(value) >= HUGE:
                # Beyond what Babel's decimal context formats (1e300 raised
                # InvalidOperation), and beyond any real amount: scientific notation.
                return f"{value:.3g}"
            if value == 0.0:
                args = (0.0, *args[1:])  # -0.0 reads 0, and shares 0.0's cache entry
                key = (name, *args)
        elif value is True or value is False:
            # a bool is the int it equals (Decimal(str(True)) raised InvalidOperation)
            args = (int(value), *args[1:])
        result = method(self, *args)
        if keep:
            self._keep(key, result)
        return result

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


CACHED = 8192
ARRAY_FROM = 12  # new values that Formatter.values formats as one array


class Formatter:
    """Formats values for one language and currency."""

    def _keep(self, key: tuple, result: str) -> None:
        if len(self._cache) >= CACHED:
            self._older, self._cache = self._cache, {}
        self._cache[key] = result

    def __init__(self, language: str, currency: str = "CNY") -> None:
        self.language = language.split("_")[0]
        # A parsed Locale: Babel re-parses a locale name on every call (~0.3 ms each).
        self.locale = Locale.parse(babel_locale(language))
        self.currency = currency
        # Two generations of at most CACHED values each: a plan's own figures are
        # formatted on its page and rarely again (1,000 plans whose figures differ kept
        # ~57,000 values, ~9 MB, to the end of the build; issue 12); what is still asked
        # for moves from the older generation to the current one. Under `mkdocs serve`
        # the current generation becomes the older one when a build starts, and what
        # the build did not ask for again goes when it ends (new_build, end_build): a
        # data edit changes the figures, and old figures' texts no page shows any more
        # go instead of piling up build after build.
        self._cache: dict[tuple, str] = {}
        self._older: dict[tuple, str] = {}
        _MADE.add(self)
        # zh_CN and en_US write numbers as 1,234.5 and 12.3%: Python's Decimal formatting
        # gives Babel's result (the float's shortest repr, rounded half-even) in ~2 µs
        # instead of ~30 µs, which matters for chart data tables and hover texts.
        symbols = self.locale.number_symbols.get("latn", {})
        self._plain = (
            self.locale.language in ("zh", "en")
            and symbols.get("decimal") == "."
            and symbols.get("group") == ","
        )
        # and amounts as ¤1,234.56 / -¤1,234.56: the symbol, then the same digits
        standard = self.locale.currency_formats.get("standard")
        self._plain_money = (
            self._plain
            and standard is not None
            and (standard.prefix, standard.suffix) == (("¤", "-¤"), ("", ""))
            and standard.grouping == (3, 3)
        )
        self._units = _compact_units(self.locale) if self._plain_money else None

    @_memo
    def number(self, value: float | None, digits: int = 0) -> str:
        if is_missing(value):
            return "—"
        if self._plain:
            return _grouped(value, digits)
        fmt = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=fmt, locale=self.locale)

    @_memo
    def decimal(self, value: float | None) -> str:
        if is_missing(value):
            return "—"
        digits = 0 if abs(value) >= 1000 else 2
        return self.number(value, digits)

    @_memo
    def percent(self, value: float | None, digits: int = 1) -> str:
        if is_missing(value):
            return "—"
        if self._plain:
            return format(Decimal(str(value)) * 100, f",.{digits}f") + "%"
        fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        return format_percent(value, format=fmt, locale=self.locale)

    @_memo
    def money(self, value: float | None, compact: bool = True) -> str:
        """Currency; in Chinese, large amounts read as 万 / 亿 (``¥123.46万``)."""
        if is_missing(value):
            return "—"
        if compact and self.language == "zh" and abs(value) >= 10_000:
            if self._units:
                return self._compact(value)
            return format_compact_currency(
                value, self.currency, locale=self.locale, fraction_digits=2
            )
        digits = 2 if abs(value) < 100 else 0
        if self._plain_money:
            return self._amount(value, digits)
        fmt = "¤#,##0" + ("." + "0" * digits if digits else "")
        return format_currency(
            value, self.currency, format=fmt, locale=self.locale, currency_digits=False
        )

    def _amount(self, value: float, digits: int) -> str:
        """Babel's ``¤#,##0.00`` with ``digits`` decimals, for :attr:`_plain_money`
        locales: a minus before the symbol for any value below zero (``-¥0.00``)."""
        number = _grouped(abs(value), digits)
        return f"{'-' if value < 0 else ''}{self.symbol}{number}"

    def _compact(self, value: float) -> str:
        """Babel's ``format_compact_currency(value, fraction_digits=2)`` for a locale whose
        compact amounts read ``¤0万`` (:func:`_compact_units`): the amount in its unit,
        rounded half-even to two decimals, trailing zeros dropped, no groups (``¥1.5万``,
        ``¥10000万``), in ~3 us instead of Babel's ~50 (a budget's every amount)."""
        exact = Decimal(str(value))
        size = abs(exact)
        divisor, suffix = next((d, s) for m, d, s in self._units or () if size >= m)
        rounded = round(exact / divisor, 2)
        places = -min(0, rounded.normalize().as_tuple().exponent)
        sign = "-" if value < 0 else ""
        return f"{sign}{self.symbol}{format(abs(rounded), f'.{places}f')}{suffix}"

    @property
    def symbol(self) -> str:
        """The currency's symbol in this locale (``¥``, ``$``, ``US$``)."""
        return _symbol(self.currency, str(self.locale))

    def money_unit(self, values: Iterable[float | None]) -> float:
        """One unit for a column or an axis of amounts: 1, or in Chinese 万 (1e4) or 亿
        (1e8) when the largest amount reaches ten thousand or a hundred million, so that a
        column never mixes ``¥16.83万`` with ``¥8,741``."""
        if self.language != "zh":
            return 1.0
        biggest = max((abs(v) for v in values if not is_missing(v)), default=0.0)
        return 1e8 if biggest >= 1e8 else 1e4 if biggest >= 1e4 else 1.0

    @_memo
    def money_in(self, value: float | None, unit: float = 1.0, digits: int | None = None) -> str:
        """An amount in ``unit`` (see :meth:`money_unit`) with fixed ``digits``
        (default: 2 in 万 / 亿, 0 otherwise): ``¥0.87万``, ``¥16.83万``, ``¥8,741``."""
        if is_missing(value):
            return "—"
        if value == 0:
            return f"{self.symbol}0"
        if abs(value) >= HUGE:  # Babel cannot quantize these; no plan spends them
            return f"{self.symbol}{value:.3g}"
        if digits is None:
            digits = 2 if unit > 1 else 0
        suffix = {1e4: "万", 1e8: "亿"}.get(unit, "")
        if self._plain:  # Babel's digits in ~2 us (see __init__; every budget cell)
            number = _grouped(abs(value) / unit, digits)
        else:
            number = format_decimal(
                abs(value) / unit,
                format="#,##0" + ("." + "0" * digits if digits else ""),
                locale=self.locale,
            )
        sign = "-" if value < 0 and number.strip("0.,") else ""
        return f"{sign}{self.symbol}{number}{suffix}"

    def money_ticks(
        self, values: Iterable[float | None], count: int = 5, zero: bool = True
    ) -> dict[str, Any]:
        """Tick values and texts for a plotly axis of amounts, in the tables' format
        (``¥40万``): d3-format, which plotly uses, knows no 万 / 亿. Ticks run from zero
        (or the lowest value, when negative) to the highest value on a 1-2-5 step; with
        ``zero=False`` (a line, whose axis plotly fits to the data) over the values' own
        range: a cost per purchase between $28 and $37 got the one tick $30 of 0-40."""
        finite = [float(v) for v in values if not is_missing(v)]
        if not finite or max(abs(v) for v in finite) >= HUGE:
            return {}  # nothing to tick, or beyond any budget: plotly's own ticks
        if zero:
            lo, hi = min(0.0, *finite), max(0.0, *finite)
        else:
            lo, hi = min(finite), max(finite)
        step = nice_step((hi - lo) / max(count - 1, 1) or 1.0)
        if not zero:  # at least three ticks inside the values' range (5 -> 2 -> 1)
            for _ in range(3):
                inside = math.floor(hi / step) - math.ceil(lo / step) + 1
                if inside >= 3 or hi == lo:
                    break
                lead = round(step / 10 ** math.floor(math.log10(step)))
                step *= 0.4 if lead == 5 else 0.5
        first = math.floor(lo / step) * step
        ticks = []
        v = first
        while v <= hi + step * 0.5 and len(ticks) < 50:
            ticks.append(round(v, 6))
            v += step
        unit = self.money_unit(ticks)
        digits = max(0, -math.floor(math.log10(step / unit) + 1e-9)) if step < unit else 0
        if self.language == "zh" or max(abs(t) for t in ticks) < 10_000:
            texts = [self.money_in(t, unit, digits) for t in ticks]
        else:  # English: $40K, $1.2M
            texts = [
                format_compact_currency(t, self.currency, locale=self.locale, fraction_digits=1)
                if t
                else f"{self.symbol}0"
                for t in ticks
            ]
        return {"tickmode": "array", "tickvals": ticks, "ticktext": texts}

    def apart(self, a: float | None, b: float | None, kind: str) -> tuple[str, str]:
        """``a`` and ``b`` (an actual and the value it is compared with) in the same
        format, with one more decimal at a time (up to three) while they read the same but
        differ: 2.19 % and 2.23 % must not both read 2.2 % beside the status "at risk"."""
        first = (self.value(a, kind), self.value(b, kind))
        if is_missing(a) or is_missing(b) or a == b or first[0] != first[1]:
            return first
        for extra in (1, 2, 3):
            if kind == "percent":
                pair = (self.percent(a, 1 + extra), self.percent(b, 1 + extra))
            elif kind == "currency":
                unit = self.money_unit([a, b])
                base = 2 if unit > 1 else 0
                pair = (self.money_in(a, unit, base + extra), self.money_in(b, unit, base + extra))
            else:
                base = 0 if abs(a) >= 100 else 2
                pair = (self.number(a, base + extra), self.number(b, base + extra))
            if pair[0] != pair[1]:
                return pair
        return first

    def column(self, values: Iterable[float | None], kind: str) -> Column:
        """The format of a table column holding ``values`` of one KPI ``kind``: one unit
        for its amounts (never ``¥16.83万`` over ``¥8,741``) and fixed decimals (counts
        whole when every value is whole, ratios with two decimals below 1,000)."""
        finite = [float(v) for v in values if isinstance(v, int | float) and not is_missing(v)]
        if kind == "currency":
            unit = self.money_unit(finite)
            small = unit == 1 and finite and max(abs(v) for v in finite) < 100
            # small amounts (a CAC of ¥45.60) keep their fen, all of them
            return Column(
                kind, unit, 2 if small and not all(v.is_integer() for v in finite) else None
            )
        if kind == "percent":
            return Column(kind, digits=1)
        if not finite or all(v.is_integer() for v in finite):
            return Column(kind, digits=0)
        biggest = max(abs(v) for v in finite)
        return Column(kind, digits=0 if biggest >= (1000 if kind == "decimal" else 100) else 2)

    def cell(self, value: float | None, column: Column) -> str:
        """``value`` in its column's format (see :meth:`column`)."""
        if column.kind == "currency":
            return self.money_in(value, column.unit, column.digits)
        if column.kind == "percent":
            return self.percent(value, 1 if column.digits is None else column.digits)
        return self.number(value, column.digits or 0)

    @_memo
    def money_exact(self, value: float | None) -> str:
        if is_missing(value):
            return "—"
        if self._plain_money:  # ~3 us instead of ~25 (a report's recommendations)
            return self._amount(value, _precision(self.currency))
        return format_currency(value, self.currency, locale=self.locale)

    @_memo
    def date(self, value: date | None) -> str:
        if value is None:
            return "—"
        return format_date(value, format="medium", locale=self.locale)

    def dates(self, days: Iterable[date | None]) -> list[str]:
        """``[self.date(d) for d in days]``: a date formatted before is one lookup in the
        cache, without date()'s call (a goal chart's table dates, shared by the plans)."""
        found = self._cache.get
        return [found(("date", d)) or self.date(d) for d in days]

    @_memo
    def short_date(self, value: date | None, year: int | None = None) -> str:
        """A date without its year when it is ``year`` (10月15日 / Oct 15), else in full."""
        if value is None:
            return "—"
        if value.year != year:
            return self.date(value)
        return format_skeleton("MMMd", value, locale=self.locale)

    @_memo
    def value(self, value: float | None, kind: str) -> str:
        """Format by KPI kind: number, decimal, percent, currency."""
        if kind == "percent":
            return self.percent(value)
        if kind == "currency":
            return self.money(value)
        if kind == "decimal":
            return self.decimal(value)
        if is_missing(value) or float(value).is_integer() or abs(value) >= 100:
            return self.number(value, 0)
        return self.number(value, 2)

    def values(self, values: Iterable[float | None], kind: str) -> list[str]:
        """``[self.value(v, kind) for v in values]``, the same texts, for a chart's hover
        texts and table rows: each value formatted before is one lookup in the cache
        (without value()'s call), and many new ones are formatted as one array
        (:meth:`_new_texts`) and kept; the rest (a few new values, ties, missing, huge,
        not a float) go through :meth:`value` itself."""
        import numpy as np  # only here: the module is imported where numpy is not needed

        items = values.tolist() if isinstance(values, np.ndarray) else list(values)
        found = self._cache.get
        try:
            out = [found(("value", v, kind)) for v in items]
        except TypeError:  # unhashable: value() formats it without its cache
            return [self.value(v, kind) for v in items]
        new = [i for i, text in enumerate(out) if text is None]
        if len(new) >= ARRAY_FROM and self._plain:
            texts = self._new_texts([items[i] for i in new], kind)
            for i, text in zip(new, texts, strict=True):
                if text is not None:
                    out[i] = text
                    self._keep(("value", items[i], kind), text)
        return [
            t
            if t is not None
            else "—"  # missing, as value() reads it, without a NaN as a key of its cache
            if is_missing(v)
            else self.value(v, kind)
            for v, t in zip(items, out, strict=True)
        ]

    def _new_texts(self, items: list[Any], kind: str) -> list[str | None]:
        """value()'s text for each float of ``items`` (a plain-number locale: see
        __init__), rounded as one array and each written by one float format: the exact
        figure is rounded as value() rounds its shortest repr, half-even. None for what
        value() must format itself: a value within rounding error of a tie or beyond 1e15
        in its last digit, missing, huge, not a float (an int, a Decimal)."""
        import numpy as np

        money = kind == "currency"
        if not self._plain or (money and not self._plain_money):
            return [None] * len(items)
        raw = np.array([v if type(v) is float else math.nan for v in items], dtype="float64")
        size = np.abs(raw)
        usable = size < HUGE  # not NaN, infinite or huge: value()'s own texts
        arr = np.where(usable, raw, 0.0) + 0.0  # and -0.0 reads 0, as value() reads it
        size = np.abs(arr)
        place = None  # zh amounts from ten thousand: which unit (万, 亿, 万亿), from 1
        if kind == "percent":
            digits: Any = 1
            arr = arr * 100.0  # the exact figure x 100 is rounded as one, below
        elif money:
            digits = np.where(size < 100, 2, 0)
            arr = size
            if self.language == "zh" and self._units:
                bounds = np.array([m for m, _, _ in reversed(self._units)], dtype="float64")
                place = np.searchsorted(bounds, size, side="right")
                digits = np.where(place > 0, 2, digits)
        elif kind == "decimal":
            digits = np.where(size >= 1000, 0, 2)
        else:
            digits = np.where((arr == np.floor(arr)) | (size >= 100), 0, 2)
        scaled = arr * 10.0**digits
        if place is not None:  # 万 / 亿 / 万亿: the amount in its unit, two decimals
            scaled = (
                scaled / np.array([1.0, *(d for _, d, _ in reversed(self._units or ()))])[place]
            )
        whole = np.rint(scaled)  # keeps a negative zero's sign, as Decimal does (-0.00)
        # The float is within ~3e-16 of the exact figure (value()'s decimal): away from a
        # tie by more than that, both round alike; near one, the exact decimal decides.
        ok = usable & (np.abs(scaled) < 1e15)
        ok &= 0.5 - np.abs(scaled - whole) > 1e-12 * np.abs(scaled) + 1e-12
        ys = (whole / 10.0**digits).tolist()
        oks = ok.tolist()
        count = len(ys)
        ds = [digits] * count if isinstance(digits, int) else digits.tolist()
        specs = (",.0f", ",.1f", ",.2f")
        out: list[str | None] = [
            format(y, specs[d]) if k else None for y, d, k in zip(ys, ds, oks, strict=True)
        ]
        if money:
            symbol, minus = self.symbol, "-" + self.symbol
            signs = (raw < 0).tolist()
            places = [0] * count if place is None else place.tolist()
            suffixes = ("", *(s for _, _, s in reversed(self._units or ())))
            for i in range(count):
                if oks[i]:
                    text = out[i]
                    if places[i]:  # Babel's compact amount: no groups, no trailing zeros
                        text = format(ys[i], ".2f").rstrip("0").rstrip(".") + suffixes[places[i]]
                    out[i] = (minus if signs[i] else symbol) + str(text)
        elif kind == "percent":
            out = [None if t is None else t + "%" for t in out]
        return out


# Every formatter alive: those shared by the pages (formatter() below, the reports') live
# across `mkdocs serve` rebuilds, and their caches with them.
_MADE: weakref.WeakSet[Formatter] = weakref.WeakSet()


def new_build() -> None:
    """A build starts: every formatter's cache becomes its last build's, each text taken
    back as this build formats its value again (one dict lookup more on a first use)."""
    for fmt in list(_MADE):
        fmt._older, fmt._cache = fmt._cache, {}


def end_build() -> None:
    """A build is over: the older generation goes, with the texts formatted for the
    last build that this one did not format again (old figures of an edited data file).
    What remains is at most CACHED texts the pages this build rendered asked for (a page
    `mkdocs serve` kept from an earlier build has its texts in its HTML, and is formatted
    again only if it renders again); a build that is never ended keeps two generations."""
    for fmt in list(_MADE):
        fmt._older = {}


@functools.lru_cache(maxsize=64)
def formatter(language: str, currency: str = "CNY") -> Formatter:
    """A Formatter shared by every page in one language and currency (its cache of
    formatted values too): parsing a Babel locale costs ~0.5 ms per instance."""
    return Formatter(language, currency)
