"""Dimension columns of a segmented read (:mod:`.reader`) as pandas categoricals.

A parse thread reads a dimension as ``dictionary<binary>``: per chunk its distinct
values and one 32-bit index a row. :func:`chunk_codes` keeps, per chunk, the values and
the indices narrowed to the fewest bytes that hold them (a few hundred campaign names:
``int16``), so the segments read so far hold a quarter to a half of the indices'
memory. The reading thread hands each segment's chunks, in file order, to a
:class:`Categories`, which numbers the values as ``Table.unify_dictionaries`` does
(first seen, first numbered) and checks each new one as UTF-8 once (a text file).
:meth:`Categories.series` is the column ``to_pandas`` made from the unified Arrow
column: the same categories in the same order, the same codes; without the unified
copy of every index, nor ``to_pandas``' own.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Categories", "chunk_codes", "code_type"]


def code_type(count: int) -> type[np.signedinteger[Any]]:
    """The integer type pandas keeps the codes of ``count`` categories in (its own
    choice in ``Categorical.from_codes``: taking it avoids a copy there)."""
    if count < np.iinfo(np.int8).max:
        return np.int8
    if count < np.iinfo(np.int16).max:
        return np.int16
    if count < np.iinfo(np.int32).max:
        return np.int32
    return np.int64


def chunk_codes(column: Any) -> list[tuple[list[bytes], np.ndarray]]:
    """A ``dictionary<binary>`` column's chunks as ``(distinct values, codes)``: the
    values as ``bytes``, the codes numpy in :func:`code_type` of their count, -1 where
    a cell is missing. Runs on the parse thread."""
    out = []
    for chunk in column.chunks:
        words = chunk.dictionary.to_pylist()
        indices = chunk.indices
        if indices.null_count:
            indices = indices.fill_null(-1)
        narrow = code_type(len(words))
        out.append((words, indices.to_numpy(zero_copy_only=False).astype(narrow)))
    return out


class Categories:
    """One dimension of a segmented read: each segment's chunks numbered against the
    values of the segments before (:meth:`add`, called in file order), then the whole
    column (:meth:`series`). ``text``: each value is checked as UTF-8 when first seen
    (``UnicodeDecodeError``, as pyarrow raises on such a cell read as text) and the
    categories are text; otherwise they are the bytes as written."""

    def __init__(self, text: bool) -> None:
        self.text = text
        self._index: dict[bytes, int] = {}
        self._words: list[Any] = []
        self._parts: list[np.ndarray] = []
        self.rows = 0

    def add(self, chunks: list[tuple[list[bytes], np.ndarray]]) -> None:
        index, words = self._index, self._words
        for found, codes in chunks:
            ids = [index.get(word, -1) for word in found]
            if -1 in ids:  # values not seen before
                for j, word in enumerate(found):
                    if ids[j] < 0:
                        ids[j] = index[word] = len(words)
                        words.append(word.decode("utf-8") if self.text else word)
            ids.append(-1)  # a missing cell's code -1 picks it
            remap = np.array(ids, dtype=code_type(len(words)))
            self._parts.append(np.take(remap, codes))
            self.rows += len(codes)

    def series(self) -> pd.Series:
        """The column: a categorical of the values in the order first seen. The parts
        are let go of."""
        kind = code_type(len(self._words))
        codes = np.empty(self.rows, dtype=kind)
        at = 0
        while self._parts:
            part = self._parts.pop(0)
            codes[at : at + len(part)] = part
            at += len(part)
        categories = pd.Index(self._words, dtype="str" if self.text else object)
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories, validate=False))
