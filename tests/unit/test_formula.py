from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbook.metrics import formula as fx


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "__import__('os')",
            "formula \"__import__('os')\" uses a function call; only numbers, names, + - * / and parentheses are allowed",
        ),
        (
            "spend.real",
            "formula 'spend.real' uses attribute access; only numbers, names, + - * / and parentheses are allowed",
        ),
        (
            "spend ** 2",
            "formula 'spend ** 2' uses the power operator **; only numbers, names, + - * / and parentheses are allowed",
        ),
        (
            "clicks[0]",
            "formula 'clicks[0]' uses indexing; only numbers, names, + - * / and parentheses are allowed",
        ),
        (
            "a if b else c",
            "formula 'a if b else c' uses a conditional expression; only numbers, names, + - * / and parentheses are allowed",
        ),
        (
            "'x'",
            "formula \"'x'\" uses the value 'x'; only numbers, names, + - * / and parentheses are allowed",
        ),
        ("__class__", "name '__class__' is not allowed in a formula"),
        ("spend /", "cannot parse formula 'spend /': invalid syntax"),
        ("", "a formula cannot be empty"),
    ],
)
def test_refused_formulas(text, message):
    with pytest.raises(fx.FormulaError) as e:
        fx.parse(text)
    assert str(e.value) == message


def test_evaluate_scalars_and_arrays():
    expr = fx.parse("(revenue - spend) / spend")
    assert fx.evaluate(expr, {"revenue": 300.0, "spend": 100.0}) == 2.0
    out = fx.evaluate(expr, {"revenue": np.array([300.0, 5.0]), "spend": np.array([100.0, 0.0])})
    assert out[0] == 2.0 and math.isnan(out[1])


def test_division_by_zero_is_no_value():
    assert math.isnan(
        fx.evaluate(fx.parse("clicks / impressions"), {"clicks": 0, "impressions": 0})
    )
    assert math.isnan(fx.evaluate(fx.parse("clicks / 0"), {"clicks": 5}))


def test_unicode_operators():
    assert fx.evaluate(fx.parse("a × 2 ÷ b − 1"), {"a": 3, "b": 2}) == 2.0


@given(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1e6),
)
def test_matches_python_arithmetic(a, b, c):
    got = fx.evaluate(fx.parse("(a + b) * 2 - a / c"), {"a": a, "b": b, "c": c})
    assert got == pytest.approx((a + b) * 2 - a / c, rel=1e-9, abs=1e-9)


def test_is_ratio():
    assert fx.is_ratio(fx.parse("clicks / impressions"))
    assert not fx.is_ratio(fx.parse("spend / 1000"))
