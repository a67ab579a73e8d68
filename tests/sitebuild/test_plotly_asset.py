"""plotly.js (4.8 MB) is written into the site only when a page has a chart."""

from __future__ import annotations

PERSONA = """\
---
persona: {id: li-ming, name: 李明, age: 30}
---

# 李明
"""

PLAN = """\
---
plan:
  id: autumn
  period: {start: 2026-09-01, end: 2026-10-31}
  metrics: [data/ads.csv]
  goals:
    - {id: clicks, statement: 点击 200, kpi: clicks, aggregate: sum, baseline: 0, target: 200, deadline: 2026-10-31}
---

{{ goal_chart("clicks") }}
"""

CSV = "date,channel,clicks\n2026-09-01,sem,10\n2026-09-02,sem,12\n"


def test_no_chart_no_plotly(build_site) -> None:
    built = build_site({"index.md": "# Home\n", "li-ming.md": PERSONA})
    assert built.error is None, built.messages
    assert not (built.root / "site/assets/planbook/plotly.min.js").exists()
    assert "plotly.min.js" not in built.raw("index.html")


def test_a_chart_brings_plotly(build_site) -> None:
    built = build_site({"index.md": "# Home\n", "autumn.md": PLAN}, {"ads.csv": CSV})
    assert built.error is None, built.messages
    asset = built.root / "site/assets/planbook/plotly.min.js"
    assert asset.is_file() and asset.stat().st_size > 1_000_000
    script = built.html("autumn/index.html").select_one("script[src$='plotly.min.js']")
    assert script is not None and script["src"] == "../assets/planbook/plotly.min.js"
    assert "plotly.min.js" not in built.raw("index.html")


def test_a_build_with_charts_copies_plotly_js_without_importing_plotly(tmp_path) -> None:
    import subprocess
    import sys
    import textwrap

    from planbook.views.charts import plotly_js_path
    from tests.conftest import write_site

    root = write_site(tmp_path, {"index.md": "# Home\n", "autumn.md": PLAN}, {"ads.csv": CSV})
    script = textwrap.dedent(f"""
        import logging, sys
        logging.basicConfig(level=logging.ERROR)
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        build(load_config({str(root / "mkdocs.yml")!r}))
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("plotly", "_plotly_utils")))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert "data-pb-chart" in (root / "site/autumn/index.html").read_text("utf-8")
    copied = root / "site/assets/planbook/plotly.min.js"
    assert copied.read_bytes() == plotly_js_path().read_bytes()
