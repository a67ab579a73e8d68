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


@pytest.fixture
def babel_calls(monkeypatch: pytest.MonkeyPatch) -> list:
    """The values planbook.format hands Babel's ``format_decimal`` from here on (the
    formatter tests count them: a cached text is not formatted again)."""
    import planbook.format as fm

    calls: list = []
    real = fm.format_decimal

    def counting(value, *args, **kwargs):
        calls.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(fm, "format_decimal", counting)
    return calls
