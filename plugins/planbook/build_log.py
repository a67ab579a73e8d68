"""How the MkDocs adapter's log carries Planbook's diagnostics: one line each at its
severity's level, kept out of MkDocs' strict-mode counter during `mkdocs serve`, and
other libraries' chatter kept out. No MkDocs import: the adapter hands its logger in."""

from __future__ import annotations

import logging
from typing import Any

from .diagnostics import Diagnostic, Severity
from .messages import visible

__all__ = ["LEVEL", "log_diagnostic", "quiet_jieba", "uncount_in_strict_mode"]

LEVEL = {
    Severity.ERROR: logging.ERROR,
    Severity.WARNING: logging.WARNING,
    Severity.INFO: logging.INFO,
}


def log_diagnostic(
    log: logging.Logger | logging.LoggerAdapter[Any], d: Diagnostic, said: str
) -> None:
    """Log ``said``: ``d`` in the site's language, on one line, the rule id as it is, its
    control characters written out (:func:`~planbook.messages.visible`)."""
    log.log(LEVEL[d.severity], visible(said))


class _NotCounted(logging.Filter):
    """Keeps one logger's records (and its children's) out of MkDocs' strict-mode
    warning counter."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(self.prefix)


def uncount_in_strict_mode(log: logging.Logger | logging.LoggerAdapter[Any]) -> None:
    """`mkdocs serve` with `strict: true` aborts a rebuild on any warning (the server
    then seems stuck): ``log``'s records are not counted. MkDocs' counter is found by
    its class name on the ``mkdocs`` logger; once per handler."""
    for handler in logging.getLogger("mkdocs").handlers:
        if type(handler).__name__ == "CountHandler" and not any(
            isinstance(f, _NotCounted) for f in handler.filters
        ):
            handler.addFilter(_NotCounted(log.name))


def quiet_jieba() -> None:
    """jieba (Material's search segments Chinese with it, README "Search") prints that
    it loads its dictionary on every build, `-q` or not: a build's log is Planbook's and
    MkDocs' own. A filter on its logger holds whatever level jieba gives it when it is
    imported; its warnings pass."""
    logger = logging.getLogger("jieba")
    if not any(isinstance(f, _Notes) for f in logger.filters):
        logger.addFilter(_Notes())


class _Notes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING
