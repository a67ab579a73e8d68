"""Diagnostics as text, GitHub workflow commands, JSON and SARIF."""

from __future__ import annotations

import json

import pytest

from planbook.diagnostics import Diagnostic, Severity
from planbook.output import escape_property, format_diagnostics

DIAGS = [
    Diagnostic(
        "content/copy/a,b:c.md",
        8,
        None,
        "cn-ad-law/absolute-terms",
        Severity.ERROR,
        "绝对化用语: '最佳'\n100% 不行",
        column=3,
        end_line=8,
        end_column=5,
        extra=(("text", "最佳"), ("basis", "《广告法》第九条第三项")),
    ),
    Diagnostic("content/plans/x.md", 4, "plan.goals[0].target", "schema", Severity.WARNING, "m"),
    Diagnostic("data/x.csv", None, None, "data/empty", Severity.INFO, "no rows"),
]


def test_text() -> None:
    lines = format_diagnostics(DIAGS[1:], "text").splitlines()
    assert lines == [
        "content/plans/x.md:4: warning: plan.goals[0].target: m [schema]",
        "data/x.csv: info: no rows [data/empty]",
    ]


def test_github_escaping() -> None:
    out = format_diagnostics(DIAGS, "github").splitlines()
    assert out[0] == (
        "::error file=content/copy/a%2Cb%3Ac.md,line=8,endLine=8,col=3,endColumn=5,"
        "title=cn-ad-law/absolute-terms::绝对化用语: '最佳'%0A100%25 不行"
    )
    assert out[1] == (
        "::warning file=content/plans/x.md,line=4,title=schema::plan.goals[0].target: m"
    )
    assert out[2] == "::notice file=data/x.csv,title=data/empty::no rows"
    assert escape_property("a%b\r\n:,") == "a%25b%0D%0A%3A%2C"


def test_json_round_trip() -> None:
    data = json.loads(format_diagnostics(DIAGS, "json"))
    assert data["summary"] == {"error": 1, "warning": 1, "info": 1}
    first = data["diagnostics"][0]
    assert sorted(first) == [
        "column",
        "end_column",
        "end_line",
        "extra",
        "field",
        "file",
        "key",
        "line",
        "message",
        "message_en",
        "rule",
        "severity",
    ]
    assert first["extra"] == {"text": "最佳", "basis": "《广告法》第九条第三项"}
    assert data["diagnostics"][2]["line"] is None


def test_sarif() -> None:
    log = json.loads(format_diagnostics(DIAGS, "sarif", rules={"schema": "Front matter schema"}))
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "planbook" and "informationUri" not in driver  # no invented links
    ids = [r["id"] for r in driver["rules"]]
    assert ids == ["cn-ad-law/absolute-terms", "data/empty", "schema"]
    assert all(r["shortDescription"]["text"] and "helpUri" not in r for r in driver["rules"])
    assert driver["rules"][2]["shortDescription"]["text"] == "Front matter schema"
    levels = [r["level"] for r in run["results"]]
    assert levels == ["error", "warning", "note"]
    first = run["results"][0]
    assert first["ruleId"] == "cn-ad-law/absolute-terms"
    assert ids[first["ruleIndex"]] == first["ruleId"]
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "content/copy/a,b:c.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 8, "startColumn": 3, "endLine": 8, "endColumn": 5}
    third = run["results"][2]["locations"][0]["physicalLocation"]["region"]
    assert third == {"startLine": 1}
    assert run["results"][1]["message"]["text"] == "plan.goals[0].target: m"


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        format_diagnostics(DIAGS, "xml")


def test_sarif_uris_are_percent_encoded() -> None:
    """Outside hostile test, finding 20: a file named with a space, '#', '%' or a line
    break went into the SARIF artifact URI as it is: '#' started a fragment and code
    scanning put the alert on another file, or dropped it."""
    odd = Diagnostic("data/odd/sp ace#h%41.csv", 2, None, "data/empty", Severity.WARNING, "m")
    nl = Diagnostic("content/copy/\n::error::x.md", 1, None, "data/empty", Severity.WARNING, "m")
    log = json.loads(format_diagnostics([odd, nl], "sarif"))
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    ]
    assert uris == ["data/odd/sp%20ace%23h%2541.csv", "content/copy/%0A::error::x.md"]
