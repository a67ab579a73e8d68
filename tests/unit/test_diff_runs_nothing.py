"""`planbook diff` reads a revision under review without running its code (outside
hostile test, finding 2): MkDocs imports the files `hooks:` names and its YAML loader
constructs `!!python/object/apply` tags, so diffing someone's branch ran that branch's
Python on the reviewer's machine. Hooks are dropped from the revision's copy (its plans
are still compared), also through INHERIT; a tag that constructs an object stops that
revision from being loaded, said in the diff; `!!python/name:` references and `!ENV`
stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.diffing import UnsafeConfig, made_harmless
from tests.unit.test_diff import CONFIG, CSV, WINTER, Repo


def _hook(marker: Path) -> str:
    return f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    r = Repo(tmp_path / "repo")
    r.commit(
        "start",
        {
            "mkdocs.yml": CONFIG,
            "data/ads.csv": CSV,
            "content/index.md": "# Plans\n",
            "content/plans/winter.md": WINTER,
        },
    )
    hooked = CONFIG + "hooks:\n  - hook.py\n"
    r.commit(
        "hooked",
        {
            "mkdocs.yml": hooked,
            "hook.py": _hook(tmp_path / "HOOK_RAN"),
            "content/plans/winter.md": WINTER.replace("total: 5000", "total: 7000"),
        },
    )
    tagged = CONFIG + f"extra:\n  x: !!python/object/apply:os.system ['touch {tmp_path}/TAG_RAN']\n"
    r.commit("tagged", {"mkdocs.yml": tagged})
    r.commit(
        "inherits",
        {
            "base.yml": "hooks: [hook.py]\n",
            "mkdocs.yml": "INHERIT: base.yml\n" + CONFIG,
        },
    )
    r.git("checkout", "-q", "start")
    return r


def _diff(repo: Repo, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.chdir(repo.root)
    result = CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_revisions_hooks_and_python_tags_never_run(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hooked = _diff(repo, monkeypatch, "start", "hooked")
    assert "### Plan `winter`" in hooked and "7,000" in hooked  # compared, hook dropped
    tagged = _diff(repo, monkeypatch, "start", "tagged")
    assert (
        "> `tagged`: `mkdocs.yml` is not loaded: it constructs a Python object "
        "(`mkdocs.yml: python/object/apply:os.system`), which would run that revision's "
        "code here; its plans and review findings are not compared."
    ) in tagged
    _diff(repo, monkeypatch, "start", "inherits")
    _diff(repo, monkeypatch, "hooked", "tagged")
    assert not (tmp_path / "HOOK_RAN").exists() and not (tmp_path / "TAG_RAN").exists()


def test_made_harmless_keeps_mkdocs_own_tags(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: !ENV [SITE, Plans]\nhooks: [h.py]\nmarkdown_extensions:\n"
        "  - pymdownx.emoji:\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n",
        encoding="utf-8",
    )
    made_harmless(config, tmp_path)
    text = config.read_text(encoding="utf-8")
    assert "hooks" not in text and "!ENV" in text and "!!python/name:" in text
    loop = tmp_path / "loop.yml"
    loop.write_text("INHERIT: loop.yml\n", encoding="utf-8")
    with pytest.raises(UnsafeConfig):
        made_harmless(loop, tmp_path)
