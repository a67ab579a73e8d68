"""Fixtures of the loader tests: both readers, and a project root with data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook.sources import files


@pytest.fixture(params=["pyarrow", "exact"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with every reader (the pyarrow fast path and the exact csv-module path)."""
    monkeypatch.setattr(files, "ENGINE", request.param)
    return request.param


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path
