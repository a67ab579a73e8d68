"""Numbers, money, percentages and dates for the page, formatted by Babel."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    format_percent,
)

LOCALES = {"zh": "zh_CN", "en": "en_US"}


def babel_locale(language: str) -> str:
    return LOCALES.get(language.split("_")[0].split("-")[0], "en_US")


def plain_number(value: float) -> str:
    """Locale-independent number for messages: ``1,234.5``."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def is_missing(value: float | None) -> bool:
    """No value to show: ``None``, NaN, or a value beyond the float range (the loader
    and the front-matter schema report those where they are written)."""
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _memo(method: Callable[..., str]) -> Callable[..., str]:
    """Cache a formatting method per instance: tables repeat values (targets, dates,
    totals) and Babel costs tens of microseconds per call."""
    name = method.__name__

    def wrapper(self: Formatter, *args: Any) -> str:
        key = (name, *args)
        try:
            return self._cache[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: do not cache
            return method(self, *args)
        result = self._cache[key] = method(self, *args)
        return result

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


class Formatter:
    """Formats values for one language and currency."""

    def __init__(self, language: str, currency: str = "CNY") -> None:
        self.language = language.split("_")[0]
        # A parsed Locale: Babel re-parses a locale name on every call (~0.3 ms each).
        self.locale = Locale.parse(babel_locale(language))
        self.currency = currency
        self._cache: dict[tuple, str] = {}

    @_memo
    def number(self, value: float | None, digits: int = 0) -> str:
        if is_missing(value):
            return "—"
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
        fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        return format_percent(value, format=fmt, locale=self.locale)

    @_memo
    def money(self, value: float | None, compact: bool = True) -> str:
        """Currency; in Chinese, large amounts read as 万 / 亿 (``¥123.46万``)."""
        if is_missing(value):
            return "—"
        if compact and self.language == "zh" and abs(value) >= 10_000:
            return format_compact_currency(
                value, self.currency, locale=self.locale, fraction_digits=2
            )
        digits = 2 if abs(value) < 100 else 0
        fmt = "¤#,##0" + ("." + "0" * digits if digits else "")
        return format_currency(
            value, self.currency, format=fmt, locale=self.locale, currency_digits=False
        )

    @_memo
    def money_exact(self, value: float | None) -> str:
        if is_missing(value):
            return "—"
        return format_currency(value, self.currency, locale=self.locale)

    @_memo
    def date(self, value: date | None) -> str:
        if value is None:
            return "—"
        return format_date(value, format="medium", locale=self.locale)

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
