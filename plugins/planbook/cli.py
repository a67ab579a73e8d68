"""The ``planbook`` command: check plans and data without building the site."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .checking import collect
from .diagnostics import Severity
from .messages import msg, say, visible
from .output import format_diagnostics
from .project import Project, Settings
from .sources.memory import no_huge_pages

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")
"""Configuration files `planbook` looks for when `-f` is not given, in this order."""


class NoPlugin(click.ClickException):
    """The site's mkdocs.yml does not list the planbook plugin."""


def load_settings(config_file: Path) -> Settings:
    """Read ``mkdocs.yml`` and the planbook plugin's options from it."""
    return load_site(config_file)[0]


def load_site(config_file: Path) -> tuple[Settings, Any]:
    """The engine settings and the planbook plugin's options (``PlanbookConfig``)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from .config import settings_from

    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        cfg = load_config(str(config_file))
    except (ConfigurationError, Abort) as e:
        # MkDocs logs what is wrong and raises "Aborted with a configuration error!".
        detail = "; ".join(dict.fromkeys(r.getMessage() for r in records)) or str(e)
        raise click.ClickException(f"{config_file}: {detail}") from None
    except (ValueError, RecursionError) as e:
        # PyYAML reads `as_of: 2026-13-01` as a date and raises (or a list 5,000 deep
        # exhausts its recursion); the language is not known before the file is read:
        # Chinese, then English.
        error = str(e) if isinstance(e, ValueError) else "nested too deeply"
        said = msg("options/unreadable", error=error)
        raise click.ClickException(f"{config_file}: {say(said, 'zh')} / {said}") from None
    finally:
        mkdocs_log.removeHandler(handler)
    plugin = cfg.plugins.get("planbook")
    if plugin is None:
        raise NoPlugin(f"{config_file}: the planbook plugin is not in `plugins:`")
    try:
        return settings_from(plugin.config, cfg), plugin.config  # type: ignore[arg-type]
    except PluginError as e:  # the same option errors that stop `mkdocs build`
        raise click.ClickException(f"{config_file}: {e}") from None


@click.group()
@click.version_option(__version__, prog_name="planbook")
def main() -> None:
    """Planbook: marketing plans as code."""
    no_huge_pages()  # as a build does (sources.memory.no_huge_pages)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-f",
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml (default: mkdocs.yml, else properdocs.yml, here).",
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
@click.option(
    "--only-files",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Print only diagnostics of the files listed in this file (one path per line, as "
    "`git diff --name-only` writes them); the exit status still counts every file.",
)
@click.option(
    "--explain",
    "explain_rule",
    metavar="RULE",
    help="Explain a review rule (legal basis, examples, allowed contexts) or a plan-quality rule (smart/…) and exit.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Do not query databases: use cached results, skip sources without one.",
)
@click.option(
    "--lang",
    "lang",
    type=click.Choice(["zh", "en"]),
    help="Language of the messages (default: the site's `language`); rule ids stay as they are.",
)
def check(
    paths: tuple[Path, ...],
    config_file: Path | None,
    fmt: str,
    strict: bool,
    explain_rule: str | None,
    offline: bool,
    only_files: Path | None = None,
    lang: str | None = None,
) -> None:
    """Check plan front matter, metric data and review rules; exit 1 on errors.

    PATHS limits the check to those pages or folders (default: every page).
    `--explain RULE` prints the rule in the site's language instead.
    """
    settings = load_settings(_config_or_default(config_file))
    if offline:
        settings = dataclasses.replace(settings, offline=True)
    if explain_rule is not None and explain_rule.startswith("smart/"):
        from .metrics.lint import explain_rule as explain_lint

        try:
            said = explain_lint(explain_rule, settings.lint_rules, lang or settings.language)
            click.echo(_no_commands(visible(said, keep="\t\n")), nl=False)
        except KeyError as e:
            raise click.ClickException(str(e.args[0])) from None
        return
    if explain_rule is not None:
        from .review import explain, load_ruleset

        ruleset, _ = load_ruleset(settings.review)
        try:
            said = explain(ruleset, explain_rule, lang or settings.language)
            click.echo(_no_commands(visible(said, keep="\t\n")), nl=False)
        except KeyError as e:
            raise click.ClickException(str(e.args[0])) from None
        return
    diags = collect(settings, paths)
    shown = diags
    if only_files is not None:
        try:
            text = only_files.read_text(encoding="utf-8")
        except OSError as e:
            raise click.BadParameter(
                f"{only_files}: {e.strerror}", param_hint="--only-files"
            ) from None
        listed = {line.strip().replace(os.sep, "/") for line in text.splitlines()}
        shown = [d for d in diags if d.file in listed]
    language = lang or settings.language
    if fmt == "text" and not any(d.severity is not Severity.INFO for d in shown):
        out = format_diagnostics(shown, fmt, language=language) if shown else ""
        click.echo(out, nl=bool(shown))
        done = "planbook：未发现问题" if language == "zh" else "planbook: no problems found"
        click.echo(done, err=True)
    else:
        click.echo(format_diagnostics(shown, fmt, language=language))
    failing = {Severity.ERROR} | ({Severity.WARNING} if strict else set())
    if any(d.severity in failing for d in diags):
        sys.exit(1)


@main.command()
@click.argument(
    "folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--language",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the site, its pages and its README.",
)
@click.option("--name", "site_name", help="The site's name (default: 营销计划 / Marketing plans).")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def init(folder: Path, language: str, site_name: str | None, force: bool) -> None:
    """Create a new plan repository in FOLDER (default: here).

    Writes mkdocs.yml (Material, the planbook plugin, navigation.prune, strict), a
    first plan with a sample data file and a persona that build strictly, workflows
    for pull requests, code scanning and publishing to GitHub Pages, VS Code
    settings that attach the option schema, requirements.txt pinning this version,
    .gitignore and a README for the team. Nothing is written when any of these files
    exists, unless --force. Then: `cd FOLDER && mkdocs serve`.
    """
    from datetime import date

    from .starter import InitError, init_site

    try:
        made = init_site(
            folder, language=language, today=date.today(), site_name=site_name, force=force
        )
    except InitError as e:
        raise click.ClickException(str(e)) from None
    for path in (*made.files, *write_schemas(folder / ".planbook")):
        click.echo(path.as_posix())
    where = "" if folder == Path(".") else f"cd {folder} && "
    click.echo(
        f"planbook: created a plan repository; preview it with `{where}mkdocs serve`", err=True
    )


def _schemas() -> dict[str, dict[str, Any]]:
    from .config import options_json_schema_rows
    from .schema import all_schemas

    return all_schemas(options_json_schema_rows())


def write_schemas(folder: Path) -> list[Path]:
    """Write both schemas into ``folder``; returns their paths."""
    from .schema import write

    return write(folder, _schemas())


@main.command()
@click.argument(
    "kind", required=False, default="front-matter", type=click.Choice(["front-matter", "options"])
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write both schemas into this folder (front-matter.schema.json, "
    "mkdocs-options.schema.json) instead of printing one.",
)
def schema(kind: str, folder: Path | None) -> None:
    """Print the JSON Schema of plan-page front matter, or of the plugin's options.

    KIND is `front-matter` (default: `plan`, `persona` and `review`, with the shorthand
    forms the checks accept) or `options` (`mkdocs.yml`'s `plugins: - planbook:`).
    Editors use them for completion and inline errors; `planbook init` writes both
    into `.planbook/` and attaches the options schema in `.vscode/settings.json`.
    """
    import json

    if folder is not None:
        for path in write_schemas(folder):
            click.echo(path.as_posix())
        return
    click.echo(json.dumps(_schemas()[kind], ensure_ascii=False, indent=2))


@main.command()
@click.argument("kind", type=click.Choice(["plan", "persona", "copy"]))
@click.argument("name")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (default: plans/, personas/ or copy/ in the site's docs_dir).",
)
@click.option(
    "--title", help="The page's title (default: from NAME, 'autumn-launch' -> 'Autumn Launch')."
)
@click.option("--force", is_flag=True, help="Overwrite the page if it exists.")
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml (default: mkdocs.yml or properdocs.yml here).",
)
@click.option(
    "--language",
    type=click.Choice(["zh", "en"]),
    help="Language of the page (default: the site's planbook or theme language).",
)
def new(
    kind: str,
    name: str,
    folder: Path | None,
    title: str | None,
    force: bool,
    config_file: Path | None,
    language: str | None,
) -> None:
    """Create a plan, persona or copy page from a template.

    NAME is a slug (lower-case letters, digits, '-', '_'): the file name and the
    plan or persona id. The page goes into the site's docs_dir (read from its
    mkdocs.yml; `content/` when there is none), from the site's
    `custom_templates/scaffold/` when it has one, in the site's language (an
    English site gets English text and USD). The front matter comes with commented
    placeholders and builds without errors: a new plan is a draft with a six-month
    period from next month, a budget split, phases, a team and a risk; its example
    goal is commented out until `metrics` lists your data files.
    """
    from datetime import date

    from . import scaffold

    try:
        scaffold.check_slug(name)
    except scaffold.BadSlug as e:
        raise click.BadParameter(str(e), param_hint="NAME") from None
    found = config_file or _default_config(Path.cwd())
    docs, custom, site_language = Path("content"), None, "zh"
    if found is not None:
        if not found.is_file():
            raise click.BadParameter(f"{found} does not exist", param_hint="--config-file")
        settings, options = load_site(found)
        docs = Path(os.path.relpath(settings.docs_dir, Path.cwd()))
        custom = Path(options.custom_templates) if options.custom_templates else None
        site_language = settings.language
    target = folder if folder is not None else docs / scaffold.KINDS[kind]
    try:
        path = scaffold.scaffold(
            kind,
            name,
            target,
            today=date.today(),
            title=title,
            force=force,
            custom_dir=custom,
            language=language or site_language,
        )
    except scaffold.ScaffoldError as e:
        raise click.ClickException(str(e)) from None
    click.echo(path.as_posix())
    click.echo(f"planbook: created {path.as_posix()}; preview it with `mkdocs serve`", err=True)


@main.command()
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml (the same path is read at both revisions; default: "
    "mkdocs.yml, else properdocs.yml, here).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Output: Markdown for a pull-request comment, or JSON.",
)
def diff(base: str, head: str | None, config_file: Path | None, fmt: str) -> None:
    """Show what changed in plans between two git revisions.

    BASE and HEAD are git revisions (branch, tag, commit, origin/main, HEAD~1);
    HEAD defaults to the working tree. Lists, per plan: status transitions, goals
    added, removed or changed, budget total and allocations, personas, phases and
    risks, and review findings new or resolved; plans added or deleted. Prints
    nothing when nothing changed. The checkout is never touched: revisions are
    read with `git archive` into a temporary folder.
    """
    import json
    import tempfile

    from . import diffing

    cwd = Path.cwd()
    try:
        top = diffing.git_toplevel(cwd)
    except diffing.RevisionError as e:
        raise click.UsageError(str(e)) from None
    if config_file is None:
        config_file = _default_config(cwd) or Path("mkdocs.yml")
    config_abs = (cwd / config_file).resolve()
    try:
        rel = config_abs.relative_to(top).as_posix()
    except ValueError:
        raise click.BadParameter(
            f"{config_file} is outside the git repository {top}", param_hint="--config-file"
        ) from None
    commits = {}
    for hint, rev in (("BASE", base), ("HEAD", head)):
        if rev is None:
            continue
        try:
            commits[hint] = diffing.resolve_revision(top, rev)
        except diffing.RevisionError as e:
            raise click.BadParameter(str(e), param_hint=hint) from None
    with tempfile.TemporaryDirectory(prefix="planbook-diff-") as tmp:
        snaps = []
        for hint, rev in (("BASE", base), ("HEAD", head)):
            if rev is None:
                snaps.append(_snapshot_at(config_abs, "working tree", rel))
                continue
            commit = commits[hint]
            if not diffing.has_file(top, commit, rel):
                snaps.append(diffing.SiteSnapshot(rev, notes=[_no_site(rev, rel)]))
                continue
            subdir = Path(rel).parent.as_posix()
            dest = Path(tmp) / hint.lower()
            try:
                diffing.export_revision(top, commit, dest, "" if subdir == "." else subdir)
            except diffing.RevisionError as e:
                raise click.ClickException(str(e)) from None
            try:  # its hooks and Python tags must not run here (diffing.revision_config)
                diffing.made_harmless(dest / rel, dest)
            except diffing.UnsafeConfig as e:
                said = msg("diff/unsafe-config", label=rev, file=rel, detail=str(e))
                snaps.append(diffing.SiteSnapshot(rev, notes=[said], unloaded=rel))
                continue
            snaps.append(_snapshot_at(dest / rel, rev, rel))
        result = diffing.diff_sites(snaps[0], snaps[1])
    if fmt == "json":
        click.echo(json.dumps(diffing.to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(diffing.render_markdown(result), nl=False)


@main.command()
@click.argument("url")
@click.option(
    "--source",
    required=True,
    help="utm_source: where the traffic comes from (weibo, baidu, newsletter).",
)
@click.option(
    "--medium", required=True, help="utm_medium: the kind of traffic (cpc, social, email, kol)."
)
@click.option("--campaign", required=True, help="utm_campaign: the campaign (spring-launch-2027).")
@click.option("--term", help="utm_term: the paid keyword (optional).")
@click.option("--content", help="utm_content: which link or creative (optional).")
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's mkdocs.yml (default: mkdocs.yml, else properdocs.yml, here): values are "
    "checked against its UTM taxonomy when it exists.",
)
def utm(
    url: str,
    source: str,
    medium: str,
    campaign: str,
    term: str | None,
    content: str | None,
    config_file: Path | None,
) -> None:
    """Print URL tagged with utm_source, utm_medium and utm_campaign.

    Values are lower-cased and their spaces become '_' (the case of a UTM value splits a
    source in two in every analytics tool). Existing query parameters and the fragment
    are kept; existing utm_ parameters are replaced. With the site's mkdocs.yml, values
    outside its taxonomy are named on stderr with a did-you-mean (exit status 1).
    """
    from .metrics.analysis.utm import UtmError, build_url, check_url, normalise_value

    values = {"source": source, "medium": medium, "campaign": campaign}
    values.update({k: v for k, v in (("term", term), ("content", content)) if v is not None})
    clean = {k: normalise_value(v) for k, v in values.items()}
    for k, v in values.items():
        if clean[k] != v.strip():
            click.echo(f"planbook: --{k} {v!r} written as {clean[k]!r}", err=True)
    try:
        tagged = build_url(url, **clean)
    except UtmError as e:
        raise click.BadParameter(str(e), param_hint="URL") from None
    click.echo(tagged)
    config_file = config_file or _default_config(Path.cwd())
    if config_file is None or not config_file.is_file():
        return
    from .views.analysis.views import utm_taxonomy

    settings = load_settings(config_file)
    project = Project(settings)
    project.scan()
    taxonomy = utm_taxonomy(project)
    if taxonomy is None:
        return
    problems = [p for p in check_url(tagged, taxonomy) if p.kind == "unknown"]
    for p in problems:
        click.echo(f"planbook: {visible(p.message)}", err=True)
    if problems:
        sys.exit(1)


def _no_commands(text: str) -> str:
    """A site pack's own text (its message, basis, suggestion) printed where CI reads
    standard output: a line starting ``::`` would be a GitHub workflow command (an
    annotation, a masked value); a zero-width space after the first colon keeps it text
    (outside hostile test, finding 20)."""
    return re.sub(r"(?m)^(\s*):", "\\1:\u200b", text)


def _default_config(folder: Path) -> Path | None:
    """``mkdocs.yml`` in ``folder``, else ``properdocs.yml``, else ``None``."""
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def _config_or_default(config_file: Path | None) -> Path:
    """The configuration file given with ``-f``, or the one found in the current folder."""
    if config_file is not None:
        return config_file
    found = _default_config(Path.cwd())
    if found is None:
        raise click.UsageError(
            f"no {' or '.join(CONFIG_NAMES[::2])} in this folder; give the site's "
            "configuration with -f"
        )
    return Path(found.name)


def _no_site(label: str, rel: str, key: str = "diff/no-config") -> str:
    """The note on a revision whose plans are not read (no configuration, no plugin)."""
    from .messages import msg

    return msg(key, label=label, file=rel)


DETAIL_CHARS = 300  # of a configuration error quoted in a diff note


def _snapshot_at(config_path: Path, label: str, rel: str):  # -> diffing.SiteSnapshot
    from . import diffing
    from .messages import msg

    if not config_path.is_file():
        return diffing.SiteSnapshot(label, notes=[_no_site(label, rel)])
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        settings = load_settings(config_path)
    except NoPlugin:
        return diffing.SiteSnapshot(label, notes=[_no_site(label, rel, "diff/no-plugin")])
    except click.ClickException as e:
        # The revision's own text (an option's value, PyYAML's multi-line message): the
        # note shows it in a code span, on one line, cut to DETAIL_CHARS.
        detail = "; ".join(r.getMessage() for r in records) or e.message
        detail = " ".join(detail.replace(str(config_path.parent) + "/", "").split())
        if len(detail) > DETAIL_CHARS:
            detail = detail[: DETAIL_CHARS - 1] + "…"
        note = msg("diff/unloadable", label=label, file=rel, detail=detail)
        return diffing.SiteSnapshot(label, notes=[note], unloaded=rel)
    finally:
        mkdocs_log.removeHandler(handler)
    return diffing.snapshot(settings, label)


if __name__ == "__main__":  # pragma: no cover
    main()
