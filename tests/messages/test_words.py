"""English words that were left inside Chinese messages (issue 10): each is catalogued."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from planbook.messages import say
from planbook.views.analysis.views import _columns, _Problems


def test_a_column_missing_from_no_named_file_says_the_data_per_language() -> None:
    problems = _Problems(SimpleNamespace(file="p.md"))  # type: ignore[arg-type]
    frame = pd.DataFrame({"date": ["2026-09-01"], "variant": ["a"], "users": [1.0]})
    assert not _columns(frame, [], [("channel", "dimension", ())], problems)
    [d] = problems.items
    assert str(d.message) == "no dimension column 'channel' in the data; dimension columns: variant"
    assert say(d.message, "zh") == "数据 中没有维度列 'channel'；现有维度列：variant"
