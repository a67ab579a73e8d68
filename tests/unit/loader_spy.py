"""What the fast reader handed over, for the loader tests that compare it with the exact
reader: :func:`spy_fast` wraps ``reader.read_fast`` for the rest of a monkeypatch."""

from __future__ import annotations

from typing import Any

import pytest

from planbook.sources import reader


def spy_fast(mp: pytest.MonkeyPatch) -> list[Any]:
    """Patch ``reader.read_fast`` (through ``mp``) to record each result: a ``Raw`` when
    the fast path read the file, ``None`` when it handed it to the exact reader. Returns
    the list the results go to."""
    results: list[Any] = []
    read = reader.read_fast

    def spy(*args: object, **kwargs: object) -> object:
        raw = read(*args, **kwargs)
        results.append(raw)
        return raw

    mp.setattr(reader, "read_fast", spy)
    return results
