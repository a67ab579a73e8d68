"""The cube's group numbers for a key of few possible values come from a table of every
value (grouping._dense_codes; issue 12: 5M rows over a year of days and ten channels,
~0.02 s against ~0.09 s of hashing every row): they must be pd.factorize's numbers,
first appearance first, across the blocks they are made in."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook import grouping
from planbook.grouping import _dense_codes, aggregate


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(0, 40), max_size=300),
    extra=st.integers(0, 5),
    scan=st.sampled_from([1, 2, 7, 64]),
)
def test_dense_codes_are_factorize_codes(values: list[int], extra: int, scan: int) -> None:
    key = np.asarray(values, dtype=np.int32)
    size = (max(values) + 1 if values else 1) + extra
    with pytest.MonkeyPatch.context() as m:
        m.setattr(grouping, "_SCAN", scan)  # values first met in later blocks too
        codes, count = _dense_codes(key, size)
    expected, uniques = pd.factorize(key)
    assert count == len(uniques)
    assert codes.dtype == expected.dtype
    assert np.array_equal(codes, expected)


def test_a_cube_of_few_groups_is_the_one_hashing_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    n = 50_000
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime("2026-09-01") + pd.to_timedelta(rng.integers(0, 60, n), "D"),
            "channel": pd.Categorical(rng.choice(["sem", "feed", "kol", "email"], n)),
            "spend": np.where(rng.random(n) < 0.1, np.nan, rng.random(n) * 100),
            "clicks": rng.integers(0, 50, n).astype(float),
        }
    )
    used: list[str] = []
    real_dense, real_hash = grouping._dense_codes, grouping._factorize
    monkeypatch.setattr(grouping, "_dense_codes", lambda *a: used.append("dense") or real_dense(*a))
    dense = aggregate(frame, ["channel"], ["spend", "clicks"])
    monkeypatch.setattr(grouping, "_dense_codes", lambda key, size: real_hash(key))
    hashed = aggregate(frame, ["channel"], ["spend", "clicks"])
    assert used == ["dense"]
    pd.testing.assert_frame_equal(dense[0], hashed[0])  # same rows, order and floats
    assert np.array_equal(dense[1], hashed[1])
