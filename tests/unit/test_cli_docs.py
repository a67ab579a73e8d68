"""Every `planbook` command has help and is documented in the README (after sqlite-utils'
test_docs.py): documentation that cannot silently fall behind the code."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from planbook.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "planbook") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, full)
    return out


COMMANDS = _commands(main)


def test_there_are_commands() -> None:
    assert {name for name, _ in COMMANDS} >= {"planbook check", "planbook diff", "planbook new"}


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{name} has no help text"
    assert command.get_short_help_str(), name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} has no help text"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_in_readme(name: str, command: click.Command) -> None:
    assert re.search(rf"`{re.escape(name)}(?:[` ])", README), (
        f"README.md does not document `{name}`"
    )


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_options_in_readme(name: str, command: click.Command) -> None:
    """Each option of a command (its long or short spelling) appears in the README."""
    for param in command.params:
        if isinstance(param, click.Option):
            found = any(
                re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", README) for o in param.opts
            )
            assert found, f"README.md does not mention {name} {' / '.join(param.opts)}"


def test_every_plugin_option_and_shortcode_is_in_the_readme():
    from planbook.config import PlanbookConfig
    from planbook.views.charts import CHARTS
    from planbook.views.pages import KNOWN

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    missing = [name for name, _ in PlanbookConfig._schema if f"`{name}`" not in readme]
    missing += [f"{{{{ {n}(" for n in sorted(KNOWN | set(CHARTS)) if f"{{{{ {n}(" not in readme]
    assert missing == []
