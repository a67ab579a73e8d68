"""`planbook diff` Markdown in the site's language (issue 10): headings and labels through
i18n, ids, field names and values as written, hostile values still escaped."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.diffing import diff_sites, render_markdown, to_json
from tests.unit.test_diff import CONFIG, CSV, RISK, WINTER, Repo, _snap, autumn, copy

HOSTILE_RISK = (
    '    - {id: leak, title: "<script>x</script> | *a*\\n# b", category: market, '
    "likelihood: 1, impact: 2}\n"
)


@pytest.fixture(scope="module")
def zh_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    r = Repo(tmp_path_factory.mktemp("diff-zh"))
    r.commit(
        "start",
        {
            "mkdocs.yml": CONFIG.replace("language: en", "language: zh"),
            "data/ads.csv": CSV,
            "content/index.md": "# 计划\n",
            "content/plans/autumn.md": autumn(),
            "content/copy/launch.md": copy(),
        },
    )
    r.commit(
        "changed",
        {
            "content/plans/winter.md": WINTER,
            "content/plans/autumn.md": autumn(
                target=0.07,
                sem=0.35,
                social=0.65,
                status="approved",
                extra_risk=RISK + HOSTILE_RISK,
            ),
            "content/copy/launch.md": copy(first="限时优惠", added="\n\n国家级实验室认证。"),
        },
    )
    return r


ZH_DIFF = """\
## Planbook: `start` → `changed`

计划：1 个新增、1 个修改 · 审核问题：新增 1 个，解决 1 个

### 计划 `autumn` · Autumn \\| push

`content/plans/autumn.md`

- 状态: **draft** → **approved**

**目标**

- `sem-ctr`: target 6% → 7% (+1 pp)

**预算**（CNY）

- `sem`: ¥30,000 (30.0%) → ¥35,000 (35.0%) (+¥5,000)
- `social`: ¥70,000 (70.0%) → ¥65,000 (65.0%) (-¥5,000)

**风险**

- `stock-out` 新增: Stock runs out（operational，可能性 3 × 影响 4 = 得分 12）
- `leak` 新增: &lt;script&gt;x&lt;/script&gt; \\| \\*a\\* # b（market，可能性 1 × 影响 2 = 得分 2）

### 计划 `winter`（新计划）

`content/plans/winter.md` · 状态 **draft** · 2027-01-01 – 2027-03-31

**预算**（USD）

- 总额: $5,000
- `email`: $5,000 (100.0%)

### 页面 `content/copy/launch.md`

**审核问题**

- 新增: `cn-ad-law/absolute-terms` 「国家级」 （第 15 行，错误，草稿）
- 已解决: `cn-ad-law/absolute-terms` 「全网最低」 （原在第 11 行）
"""


def test_a_chinese_site_gets_a_chinese_diff(zh_repo: Repo, monkeypatch) -> None:
    monkeypatch.chdir(zh_repo.root)
    result = CliRunner().invoke(main, ["diff", "start", "changed"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == ZH_DIFF
    # JSON is for tools: its summary stays English
    out = CliRunner().invoke(main, ["diff", "start", "changed", "--format", "json"])
    assert '"summary": "plans: 1 added, 1 changed · review findings: 1 new, 1 resolved"' in (
        out.stdout
    )


def test_the_language_follows_the_head_site_and_can_be_given() -> None:
    base = {"id": "p", "period": {"start": "2026-01-01", "end": "2026-06-30"}}
    head = {
        **base,
        "phases": [{"name": "A | *b*", "start": "2026-01-01", "end": "2026-02-01"}],
    }
    old, new = _snap("a", base), _snap("b", head)
    new.language = "zh"
    d = diff_sites(old, new)
    assert d.language == "zh"
    zh = render_markdown(d)
    assert "计划：1 个修改" in zh and "**阶段**" in zh
    assert "- *A \\| \\*b\\** 新增: 2026-01-01 – 2026-02-01" in zh
    en = render_markdown(d, "en")
    assert "Plan: 1 changed" in en and "**Phases**" in en
    assert "- *A \\| \\*b\\** added: 2026-01-01 – 2026-02-01" in en
    assert to_json(d)["summary"] == "plan: 1 changed"
    new.language = None  # no site read at head: the base site's language, else English
    assert diff_sites(old, new).language == "en"
