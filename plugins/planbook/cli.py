"""The ``planbook`` command: check plans and data without building the site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import Diagnostic, Severity
from .output import format_diagnostics
from .pages import prepare
from .project import Project, Settings
from .render import Renderer


def load_settings(config_file: Path) -> Settings:
    """Read ``mkdocs.yml`` and the planbook plugin's options from it."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from .plugin import settings_from

    try:
        cfg = load_config(str(config_file))
    except ConfigurationError as e:
        raise click.ClickException(f"{config_file}: {e}") from None
    plugin = cfg.plugins.get("planbook")
    if plugin is None:
        raise click.ClickException(f"{config_file}: the planbook plugin is not in `plugins:`")
    return settings_from(plugin.config, cfg)  # type: ignore[arg-type]


def collect(settings: Settings, paths: tuple[Path, ...] = ()) -> list[Diagnostic]:
    """Every diagnostic the site build would log, for the pages under ``paths``."""
    project = Project(settings)
    renderer = Renderer(settings.language)
    pages = project.scan()
    wanted = [p.resolve() for p in paths]
    diags: list[Diagnostic] = []
    for page in pages:
        abs_path = (settings.docs_dir / page.src_uri).resolve()
        if wanted and not any(abs_path == w or w in abs_path.parents for w in wanted):
            continue
        prepared = prepare(project, renderer, page, page.front.body, url_for=lambda u: u)
        diags.extend(prepared.diagnostics)
    diags.extend(project.data_diagnostics())
    unique = sorted(set(diags), key=lambda d: (d.file, d.line or 0, d.column or 0, d.rule))
    return unique


@click.group()
@click.version_option(__version__, prog_name="planbook")
def main() -> None:
    """Planbook: marketing plans as code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Output: text, GitHub annotations, JSON or SARIF 2.1.0.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (as `mkdocs build --strict`).")
def check(paths: tuple[Path, ...], config_file: Path, fmt: str, strict: bool) -> None:
    """Check plan front matter, metric data and review rules; exit 1 on errors.

    PATHS limits the check to those pages or folders (default: every page).
    """
    settings = load_settings(config_file)
    diags = collect(settings, paths)
    if fmt == "text" and not any(d.severity is not Severity.INFO for d in diags):
        click.echo(format_diagnostics(diags, fmt) if diags else "", nl=bool(diags))
        click.echo("planbook: no problems found", err=True)
    else:
        click.echo(format_diagnostics(diags, fmt))
    failing = {Severity.ERROR} | ({Severity.WARNING} if strict else set())
    if any(d.severity in failing for d in diags):
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
