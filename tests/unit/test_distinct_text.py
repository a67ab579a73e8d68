"""The distinct values of a dimension column as text (analysis.views.distinct_text), which
the UTM review's taxonomy reads from every cube's rows: counted from a categorical's codes
in one pass, the same values in the same order as sorting the codes gave, a missing value
as "nan" at the end, and a plain column as ``astype(str)`` writes it."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.views.analysis.views import distinct_text

VALUES = st.one_of(
    st.none(),
    st.sampled_from(["sem", "wechat", "010", "</script><b>", "渠道 A", "nan", ""]),
    st.text(max_size=6),
)


def _sorted_codes(column: pd.Series) -> list[str]:
    """What distinct_text gave before: the used codes, sorted."""
    codes = column.cat.codes.to_numpy()
    used = np.unique(codes[codes >= 0])
    out = [str(v) for v in column.cat.categories[used]]
    return [*out, "nan"] if (codes < 0).any() else out


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, max_size=40), st.lists(st.text(max_size=4), max_size=5))
def test_counted_codes_give_what_sorted_codes_gave(values: list, unused: list[str]) -> None:
    column = pd.Series(values, dtype="category")
    extra = [c for c in dict.fromkeys(unused) if c not in set(column.cat.categories)]
    if extra:  # categories no row uses are not values
        column = column.cat.add_categories(extra)
    assert distinct_text(column) == _sorted_codes(column)


def test_many_categories_and_rows() -> None:
    """int16 codes (more than 127 categories), a missing value, unused categories."""
    rng = np.random.default_rng(7)
    names = [f"campaign-{i:03d}" for i in range(300)]
    picks = rng.integers(0, 250, 20_000)
    column = pd.Series(pd.Categorical.from_codes(picks, categories=names))
    column.iloc[5] = None
    assert column.cat.codes.dtype == np.int16
    got = distinct_text(column)
    assert got == _sorted_codes(column)
    assert got[-1] == "nan" and len(got) == len(set(picks.tolist())) + 1


def test_a_plain_column_is_read_as_text() -> None:
    column = pd.Series(["010", None, 3, "010"], dtype=object)
    got = distinct_text(column)
    assert got == [str(v) for v in pd.unique(column.astype(str))]
    assert got[0] == "010" and got[2] == "3" and len(got) == 3
