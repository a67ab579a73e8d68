"""Real `mkdocs build`s of a fixture site with an experiment, attribution and RFM:
the produced HTML, hostile values, and exact messages for malformed input."""

from __future__ import annotations

import pytest

from tests.analysis.fixtures import AB_CSV, ORDERS_CSV, TOUCHPOINTS_CSV

ADS = "date,channel,spend,new_customers\n" + "".join(
    f"2026-10-{d:02d},{c},100,1\n" for d in range(1, 16) for c in ("a", "b", "c", "sem", "social")
)
DATA = {"ads.csv": ADS, "ab.csv": AB_CSV, "touch.csv": TOUCHPOINTS_CSV, "orders.csv": ORDERS_CSV}

PLAN = """\
---
plan:
  id: ana
  status: draft
  period: {{start: 2026-09-01, end: 2026-12-31}}
  metrics: [data/ads.csv]
  experiments:
    - id: hero
      hypothesis: {hypothesis}
      variants: [a, b]
      data: data/ab.csv
      start: 2026-10-01
      sample: {sample}
      mde: 0.2
      owner: {owner}
  attribution:
    touchpoints: data/touch.csv
  customers:
    orders: data/orders.csv
    margin: 0.5
    lifetime_years: 2
---
# Ana

{{{{ ab_test("hero") }}}}

{{{{ attribution() }}}}

{{{{ rfm() }}}}
"""


def _plan(hypothesis: str = "大图更吸引人", sample: int = 1000, owner: str = "王芳") -> str:
    return PLAN.format(hypothesis=hypothesis, sample=sample, owner=owner)


def _cells(row) -> list[str]:
    return [td.get_text(" ", strip=True) for td in row.find_all("td")]


def test_build_shows_the_three_analyses(build_site):
    built = build_site({"plan.md": _plan()}, DATA, language="en", strict=False)
    assert built.error is None, built.messages
    soup = built.html("plan/index.html")
    ab = soup.select_one("#ab-hero")
    assert ab["data-decision"] == "ship"
    rows = {tr["data-variant"]: _cells(tr) for tr in ab.select("tbody tr")}
    assert rows["a"][:3] == ["a (control)", "1,000", "100"]
    assert rows["b"][1:3] == ["1,000", "130"]
    assert rows["b"][3].startswith("13.00%") and rows["b"][4].startswith("30.0%")
    assert rows["b"][5] == "0.0355"
    assert "Ship b" in ab.select_one(".pb-ab-decision").get_text()
    assert "two-sided two-proportion z-test" in ab.select_one(".pb-method").get_text()

    conv = soup.select_one(".pb-attr-conversions")
    by_channel = {tr["data-channel"]: tr for tr in conv.select("tbody tr")}
    assert sorted(by_channel) == ["a", "b", "c"]
    markov = {ch: tr.select_one("[data-model=markov]").get_text() for ch, tr in by_channel.items()}
    assert markov == {"a": "1.1", "b": "0.8", "c": "1.1"}  # 51/47, 36/47, 54/47
    first = {
        ch: tr.select_one("[data-model=first_touch]").get_text() for ch, tr in by_channel.items()
    }
    assert first == {"a": "2", "b": "1", "c": "0"}  # whole credits, one format per column
    revenue = soup.select_one(".pb-attr-revenue tr[data-channel=a]")
    # a: spend 15 × 100; first-touch revenue 150 -> ROI −90 %
    assert _cells(revenue)[1] == "CN¥1,500"
    assert "-90%" in revenue.select_one("[data-model=first_touch]").get_text()
    # the attributed ROI is not the channel table's (platform-reported revenue): said so
    method = soup.select_one(".pb-attr-revenue").find_next("p", class_="pb-method").get_text()
    assert "the revenue each platform reports itself" in method

    segments = {tr["data-segment"]: _cells(tr) for tr in soup.select(".pb-rfm-segments tbody tr")}
    assert segments["high_value"][1].startswith("2")
    assert segments["needs_care"][1].startswith("2")
    channels = {tr["data-channel"]: _cells(tr) for tr in soup.select(".pb-rfm-channels tbody tr")}
    assert sorted(channels) == ["email", "sem", "social"]


@pytest.mark.parametrize(
    "hostile",
    [
        '"</script><script>alert(1)</script>"',
        '"<b onmouseover=alert(1)>x</b>"',
        '"line one\\nline two {{ rfm() }}"',
    ],
)
def test_hostile_text_is_escaped(build_site, hostile):
    built = build_site({"plan.md": _plan(hypothesis=hostile, owner=hostile)}, DATA, strict=False)
    assert built.error is None, built.messages
    raw = built.raw("plan/index.html")
    assert "<script>alert(1)" not in raw
    assert "<b onmouseover" not in raw
    hyp = built.html("plan/index.html").select_one(".pb-ab-hypothesis")
    assert "alert(1)" in hyp.get_text() or "line one" in hyp.get_text()


def test_hostile_data_values_are_escaped(build_site):
    data = dict(DATA)
    data["touch.csv"] = TOUCHPOINTS_CSV.replace(",a,", ',"<img src=x onerror=alert(1)>",')
    data["ab.csv"] = AB_CSV + "2026-10-03,</script>,10,1\n"
    built = build_site({"plan.md": _plan()}, data, strict=False)
    assert built.error is None, built.messages
    raw = built.raw("plan/index.html")
    assert "<img src=x" not in raw and "&lt;img src=x onerror=alert(1)&gt;" in raw
    assert any(
        "data/ab.csv 中变体 '</script>' 的行未计入（实验变体：a、b）" in m  # a Chinese site
        for m in built.logged(30)
    )


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (
            ("sample: 1000", "sample: .inf"),
            "plan.experiments[0].sample: expected a finite number, got inf",
        ),
        (("mde: 0.2", "mde: .nan"), "plan.experiments[0].mde: "),
        (("mde: 0.2", "mde: 1e308"), "plan.experiments[0].mde: expected a number at most 10"),
        (
            ("variants: [a, b]", "variants: [a, a]"),
            "plan.experiments[0].variants: variant 'a' is listed twice",
        ),
        (
            ("variants: [a, b]", "variants: [a]"),
            "plan.experiments[0].variants: List should have at least 2 items after validation",
        ),
        (
            ("    margin: 0.5", "    margin: 0.5\n    magrin: 1"),
            "plan.customers.magrin: unknown field 'magrin' (did you mean 'margin'?)",
        ),
        (
            ("touchpoints: data/touch.csv", "touchpoints: data/touch.csv\n    first_share: 0.7\n    last_share: 0.6"),
            "plan.attribution: first_share + last_share is 1.3; they must add up to at most 1 "
            "(the rest goes to the middle touches)",
        ),
        (
            ("touchpoints: data/touch.csv", "touchpoints: ../secret.csv"),
            "plan.attribution.touchpoints[0]: path '../secret.csv' uses '..'; metric files must "
            "stay inside 'data/'",
        ),
        (
            ("touchpoints: data/touch.csv", "touchpoints: data/touch.csv\n    user: visitor_id"),
            "plan.attribution.user: no dimension column 'visitor_id' in data/touch.csv; dimension "
            "columns: user_id, channel",
        ),
        (
            ('{{ ab_test("hero") }}', '{{ ab_test("heor") }}'),
            "{{ ab_test() }}: no experiment 'heor' in plan.experiments (did you mean 'hero'?); "
            "experiments: hero",
        ),
        (
            ("{{ attribution() }}", '{{ attribution(models=["lineal"]) }}'),
            "{{ attribution() }}: unknown model 'lineal'; models: first_touch, last_touch, "
            "linear, time_decay, position, markov",
        ),
    ],
)  # fmt: skip
def test_malformed_input_has_exact_messages(build_site, replace, message):
    old, new = replace
    page = _plan()
    assert old in page
    built = build_site(
        {"plan.md": page.replace(old, new)}, DATA, strict=False, language="en"
    )  # an English site: the messages read in English
    assert built.error is None, built.messages
    errors = built.logged(40) + built.logged(30)
    assert any(message in e for e in errors), errors


def test_conversions_above_exposures_is_an_error(build_site):
    data = dict(DATA)
    data["ab.csv"] = AB_CSV.replace("500,65", "50,65")
    built = build_site({"plan.md": _plan()}, data, strict=False)
    errors = built.logged(40)
    assert any(
        "plan.experiments[0].metric: 变体 'b'：conversions（130）必须在 0 到 users（100）之间；"
        "比率要求转化计数包含在曝光之中" in e
        for e in errors
    ), errors
    assert built.html("plan/index.html").select_one("#ab-hero") is None


def test_bad_rows_in_touchpoints_are_reported_like_metric_files(build_site):
    data = dict(DATA)
    data["touch.csv"] = TOUCHPOINTS_CSV + "not-a-date,u9,a,0,0\n合计,,,3,230\n"
    built = build_site({"plan.md": _plan()}, data, strict=False)
    assert built.error is None
    warnings = " ".join(built.logged(30))
    assert "data/touch.csv" in warnings
    # the five paths still give the same credit
    soup = built.html("plan/index.html")
    # every model credits the 3 conversions (first / last touch whole, the others to 0.1)
    totals = soup.select_one(".pb-attr-conversions tfoot").get_text(" ", strip=True)
    assert totals == "合计 3 3 3.0 3.0 3.0 3.0"
