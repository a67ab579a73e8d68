"""A shortcode is a block (a table, a chart): expanded only alone on its line (outside
hostile test, finding 16: `# Heading {{ kpi_table() }} tail` put a table inside <h1>
and the page's token into the heading's id; inside `<a title="…">` it broke out of the
attribute). Beside text it stays as written, with a warning."""

from __future__ import annotations

import pytest

from planbook.views.shortcodes import find


@pytest.mark.parametrize(
    "line",
    [
        "{{ kpi_table() }}",
        "   {{ kpi_table() }}   ",
        "- {{ kpi_table() }}",
        "> {{ kpi_table() }}",
        "1. {{ kpi_table() }}",
    ],
)
def test_alone_on_its_line_it_is_expanded(line: str) -> None:
    text, found = find(
        f"# T\n\n{line}\n", {"kpi_table"}, file="p.md", first_line=1, token_prefix="PB"
    )
    assert [sc.name for sc in found] == ["kpi_table"] and found[0].token in text
    assert found[0].diagnostics == []


@pytest.mark.parametrize(
    "line",
    [
        "# Heading {{ kpi_table() }} tail",
        '<a title="{{ kpi_table() }}">x</a>',
        "[{{ kpi_table() }}](https://example.com)",
        "| a | {{ kpi_table() }} |",
    ],
)
def test_beside_text_it_stays_as_written_and_is_said(line: str) -> None:
    text, found = find(
        f"# T\n\n{line}\n", {"kpi_table"}, file="p.md", first_line=1, token_prefix="PB"
    )
    assert line in text and "PB" not in text
    [sc] = found
    [d] = sc.diagnostics
    assert (d.rule, d.line, d.column) == ("shortcode/not-alone", 3, line.index("{{") + 1)
    assert d.message == (
        "{{ kpi_table() }} is not on a line of its own, so it is not shown: a section is a "
        "block (a table, a chart); put the shortcode on a line by itself"
    )
