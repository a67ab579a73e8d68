"""Fixtures of the loader tests: both readers, and a project root with data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook.sources import files, reader


@pytest.fixture(params=["pyarrow", "exact", "segments"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with every reader: the pyarrow fast path, the exact csv-module path,
    and the fast path cutting even a small file into many segments (``segments``)."""
    monkeypatch.setattr(files, "ENGINE", "exact" if request.param == "exact" else "pyarrow")
    if request.param == "segments":
        monkeypatch.setattr(reader, "SEGMENT", 48)
    return request.param


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path
