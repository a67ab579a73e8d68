"""Write a hostile case as a site on disk; check it and build it the ways users do."""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import write_site
from tests.hostile.cases import Case


def write_case(root: Path, case: Case) -> Path:
    """The case's site under ``root`` (pages are written as they are, not dedented)."""
    write_site(root, {}, case.data, case.options, "en")
    for name, text in case.pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check(root: Path, *paths: str) -> list:
    """What `planbook check` finds (its diagnostics), in-process."""
    from planbook.cli import collect, load_settings

    settings = load_settings(root / "mkdocs.yml")
    return collect(settings, tuple(root / p for p in paths))


@dataclass
class BuildResult:
    failed: bool
    messages: list[str]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build(root: Path, *, strict: bool = True) -> BuildResult:
    """`mkdocs build --strict`, in-process: did it fail, and what did it log."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    failed = False
    messages: list[str] = []
    try:
        cfg = load_config(str(root / "mkdocs.yml"), strict=strict)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except BaseException as e:  # Abort (SystemExit), PluginError, ConfigurationError
        if isinstance(e, KeyboardInterrupt):
            raise
        failed = True
        messages.append(textwrap.shorten(str(e), 2000))
    finally:
        log.removeHandler(handler)
    messages[:0] = [r.getMessage() for r in handler.records]
    failed = failed or (strict and any(r.levelno >= logging.WARNING for r in handler.records))
    return BuildResult(failed, messages)


def check_agrees_with_build(case: Case, tmp_path: Path) -> tuple[str, BuildResult]:
    """`planbook check --strict` fails exactly when `mkdocs build --strict` does, both
    name the case's problem, and the build shows no traceback; the check's output and
    the build for more assertions."""
    from click.testing import CliRunner

    from planbook.cli import main

    root = write_case(tmp_path, case)
    checked = CliRunner().invoke(main, ["check", "--strict", "-f", str(root / "mkdocs.yml")])
    assert checked.exception is None or isinstance(checked.exception, SystemExit), repr(
        checked.exception
    )
    built = build(root)
    assert (checked.exit_code != 0) == built.failed, (checked.output, built.messages)
    assert built.failed == (case.message is not None), built.messages
    if case.message is not None:
        assert case.message in checked.output, checked.output
        assert any(case.message in m for m in built.messages), built.messages
    assert not any("Traceback" in m for m in built.messages)
    return checked.output, built
