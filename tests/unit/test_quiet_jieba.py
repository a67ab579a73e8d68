"""jieba (Material's search segments Chinese with it) printed "Building prefix dict ...
Loading model cost 0.393 seconds" on every build of a Chinese site, `mkdocs build -q`
too: Planbook's plugin keeps its notes out of the log, its warnings in."""

from __future__ import annotations

import logging

import pytest


def test_jieba_loads_its_dictionary_without_a_word(capfd: pytest.CaptureFixture[str]) -> None:
    import jieba  # the test extra installs it (zh-search)

    import planbook.plugin  # noqa: F401  (the filter is set when the plugin is imported)

    jieba.Tokenizer().initialize()
    assert capfd.readouterr().err == ""
    logger = logging.getLogger("jieba")
    assert logger.filter(logging.makeLogRecord({"levelno": logging.WARNING}))
    assert not logger.filter(logging.makeLogRecord({"levelno": logging.INFO}))
