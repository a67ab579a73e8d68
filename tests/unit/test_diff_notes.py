"""`planbook diff`'s notes on a revision it cannot read (04-diff-note-raw-markdown): the
revision's own text (a configuration error quoting an option's value, PyYAML's multi-line
message, the revision's name) lands in a code span on one line, never as Markdown, HTML,
links, images or @mentions; the sentence is in the site's language; a head whose
configuration cannot be loaded makes its plans "not compared", not deleted."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.diffing import SiteSnapshot, diff_sites, render_markdown, to_json
from planbook.messages import msg
from tests.unit.test_diff import CONFIG, CSV, WINTER, Repo, copy

HOSTILE = (
    "</details> <img src=x onerror=alert(1)> ![t](https://evil.example/pixel.png) "
    "[approved](https://evil.example) @acme/legal | a | b | `x"
)
BAD_OPTION = f'  - planbook:\n      pacing_on_track: "{HOSTILE}"\n'
BAD_YAML = "  - planbook:\n      lint: [unclosed\n      x: 1\n"


def _repo(root, language: str) -> Repo:
    config = CONFIG.replace("language: en", f"language: {language}")
    r = Repo(root)
    r.commit(
        "start",
        {
            "mkdocs.yml": config,
            "data/ads.csv": CSV,
            "content/index.md": "# Plans\n",
            "content/plans/winter.md": WINTER,
            "content/copy/launch.md": copy(),
        },
    )
    r.commit("bad-option", {"mkdocs.yml": config.replace("  - planbook\n", BAD_OPTION)})
    r.commit("bad-yaml", {"mkdocs.yml": config.replace("  - planbook\n", BAD_YAML)})
    r.git("tag", "we`ird@team", "start")
    return r


@pytest.fixture(scope="module")
def en_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return _repo(tmp_path_factory.mktemp("notes-en"), "en")


@pytest.fixture(scope="module")
def zh_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return _repo(tmp_path_factory.mktemp("notes-zh"), "zh")


def _diff(repo: Repo, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(repo.root)
    result = CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


OPTION_DETAIL = (
    "``Config value 'plugins': Plugin 'planbook' option 'pacing_on_track': {expected} '"
    + HOSTILE
    + "'``"
)


def test_a_configuration_error_is_quoted_in_a_code_span_in_english(
    en_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = OPTION_DETAIL.format(expected="expected a number, got")
    assert _diff(en_repo, monkeypatch, "start", "bad-option") == textwrap.dedent(
        f"""\
        ## Planbook: `start` → `bad-option`

        Plan: 1 invalid

        > `bad-option`: `mkdocs.yml` could not be loaded: {detail}; its plans and review findings are not compared.

        ### Plan `winter` (not compared)

        `content/plans/winter.md` · was **draft**; not compared: `mkdocs.yml` could not be loaded at `bad-option`.
        """
    )


def test_a_configuration_error_is_quoted_in_a_code_span_in_chinese(
    zh_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The base site's language (the head has none); the copy page's finding is not
    # "resolved": the head's pages were not read.
    detail = OPTION_DETAIL.format(expected="应为数字，实际为")
    assert _diff(zh_repo, monkeypatch, "start", "bad-option") == textwrap.dedent(
        f"""\
        ## Planbook: `start` → `bad-option`

        计划：1 个无效

        > `bad-option`：`mkdocs.yml` 无法加载：{detail}；其中的计划和审核问题不作比较。

        ### 计划 `winter`（未作比较）

        `content/plans/winter.md` · 原为 **draft**；未作比较：`bad-option` 的 `mkdocs.yml` 无法加载。
        """
    )
    # The other way the plans of the unreadable base count as added (the note says why).
    out = _diff(zh_repo, monkeypatch, "bad-option", "start")
    assert out.startswith(
        "## Planbook: `bad-option` → `start`\n\n计划：1 个新增\n\n"
        f"> `bad-option`：`mkdocs.yml` 无法加载：{detail}；其中的计划和审核问题不作比较。\n\n"
        "### 计划 `winter`（新计划）\n"
    )
    assert "审核问题" not in out.split("\n")[2]  # no finding counted as new


def test_json_keeps_its_shape_and_english_notes(
    zh_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = json.loads(_diff(zh_repo, monkeypatch, "start", "bad-option", "--format", "json"))
    detail = OPTION_DETAIL.format(expected="应为数字，实际为")
    assert out["notes"] == [
        f"`bad-option`: `mkdocs.yml` could not be loaded: {detail}; its plans and review "
        "findings are not compared."
    ]
    assert out["summary"] == "plan: 1 invalid"
    assert [(p["id"], p["change"]) for p in out["plans"]] == [("winter", "invalid")]
    assert out["pages"] == []


def test_a_yaml_syntax_error_stays_one_line_of_the_quote(
    en_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _diff(en_repo, monkeypatch, "start", "bad-yaml")
    assert out == textwrap.dedent(
        """\
        ## Planbook: `start` → `bad-yaml`

        Plan: 1 invalid

        > `bad-yaml`: `mkdocs.yml` could not be loaded: `mkdocs.yml: MkDocs encountered an error parsing the configuration file: while parsing a flow sequence in "mkdocs.yml", line 8, column 13 expected ',' or ']', but got ':' in "mkdocs.yml", line 9, column 8`; its plans and review findings are not compared.

        ### Plan `winter` (not compared)

        `content/plans/winter.md` · was **draft**; not compared: `mkdocs.yml` could not be loaded at `bad-yaml`.
        """
    )


def test_a_long_configuration_error_is_cut(
    tmp_path, en_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = Repo(tmp_path / "long")
    r.commit("a", {"mkdocs.yml": CONFIG, "content/index.md": "# x\n"})
    value = "y" * 5000
    r.commit(
        "b", {"mkdocs.yml": CONFIG.replace("  - planbook\n", BAD_OPTION).replace(HOSTILE, value)}
    )
    out = _diff(r, monkeypatch, "a", "b")
    (note,) = [line for line in out.splitlines() if line.startswith("> ")]
    assert "y" * 200 in note and "y" * 400 not in note and "…`" in note


def test_a_revision_name_and_a_missing_site_in_both_languages(
    en_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tag may hold a backtick and an @: the name stays inside its code span.
    out = _diff(en_repo, monkeypatch, "we`ird@team", "bad-option")
    assert out.startswith("## Planbook: ``we`ird@team`` → `bad-option`\n")
    base = SiteSnapshot("a`b", notes=[msg("diff/no-config", label="a`b", file="mkdocs.yml")])
    head = SiteSnapshot(
        "<b>@x</b>",
        notes=[msg("diff/no-plugin", label="<b>@x</b>", file="site/mkdocs.yml")],
    )
    d = diff_sites(base, head)
    assert render_markdown(d, "en") == textwrap.dedent(
        """\
        ## Planbook: ``a`b`` → `<b>@x</b>`

        > ``a`b`` has no `mkdocs.yml`: no plans are read there, so every plan counts as added or deleted.

        > `<b>@x</b>` does not use the planbook plugin in `site/mkdocs.yml`: no plans are read there, so every plan counts as added or deleted.
        """
    )
    assert render_markdown(d, "zh") == textwrap.dedent(
        """\
        ## Planbook: ``a`b`` → `<b>@x</b>`

        > ``a`b`` 没有 `mkdocs.yml`：那里不读取计划，所以每个计划都算作新增或删除。

        > `<b>@x</b>` 的 `site/mkdocs.yml` 没有使用 planbook 插件：那里不读取计划，所以每个计划都算作新增或删除。
        """
    )
    assert to_json(d)["notes"][0] == (
        "``a`b`` has no `mkdocs.yml`: no plans are read there, so every plan counts as "
        "added or deleted."
    )


def test_the_duplicate_id_note_in_both_languages(tmp_path) -> None:
    from planbook.cli import load_settings
    from planbook.diffing import snapshot

    r = Repo(tmp_path / "dup")
    r.write(
        {
            "mkdocs.yml": CONFIG.replace("language: en", "language: zh"),
            "content/a.md": WINTER,
            "content/b.md": WINTER,
        }
    )
    snap = snapshot(load_settings(r.root / "mkdocs.yml"), "x`y\n> @team")
    assert snap.notes == [
        "``x`y > @team``: plan id `winter` is used by `content/a.md` and `content/b.md`; "
        "only the first is compared."
    ]
    d = diff_sites(SiteSnapshot("base", language="zh"), snap)
    out = render_markdown(d)
    assert (
        "> ``x`y > @team``：计划 id `winter` 同时用于 `content/a.md` 和 `content/b.md`；"
        "只比较第一个。\n\n### 计划 `winter`（新计划）\n"
    ) in out
