"""The Markdown summary for PR/MR comments: escaping, size limit, baseline sections."""

from __future__ import annotations

import re
from dataclasses import replace

from souverain.model import Finding, Severity
from souverain.report.base import RenderOptions
from souverain.report.markdown import MAX_CHARS, escape, render_markdown

from tests.report_data import assert_snapshot, make_result, render, without_findings


def test_verdict_score_exposure_and_choke_points() -> None:
    text = render("markdown")
    assert text.startswith("## ❌ Sovereignty audit — FAIL: 2 finding(s) at or above high")
    assert "**Sovereignty score 58/100**" in text
    assert "| US | 60% |" in text
    assert "ojdbc11@23.3.0.23.09" in text
    assert "### Resolved findings (1)" in text


def test_pass() -> None:
    assert render("markdown", without_findings()).startswith("## ✅ Sovereignty audit — PASS")


def test_new_findings_section_with_a_baseline() -> None:
    text = render("markdown")
    new = text.split("### New findings (4)", 1)[1].split("###", 1)[0]
    assert "ojdbc11" in new
    assert "left-pad-ng" in new
    assert "aliyun" not in new  # unchanged since the baseline


def test_no_new_findings_section_without_a_baseline() -> None:
    r = make_result()
    plain = replace(r, findings=tuple(replace(f, status=None) for f in r.findings), resolved=())
    assert "New findings" not in render("markdown", plain)


def test_hostile_text_cannot_open_tags_links_or_cells() -> None:
    text = render("markdown")
    # only our own tags remain: details/summary/sub
    tags = set(re.findall(r"<\s*/?\s*([a-zA-Z]+)", text))
    assert tags <= {"details", "summary", "sub"}
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;/script&gt;" in text
    assert not re.search(r"(?<!\\)\]\(javascript", text)  # "[click me](javascript:…)" must not be a link
    assert "\\[click me\\](javascript:alert(3))" in text
    # a "|" in a recommendation is escaped so the table keeps its columns
    row = next(line for line in text.splitlines() if "Check the supplier" in line and line.startswith("|"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 6


def test_escape_function() -> None:
    assert escape("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert escape("a|b*c_d`e") == "a\\|b\\*c\\_d\\`e"
    assert escape("line1\nline2\x1b[31m") == "line1 line2\\[31m"
    assert escape("acme-portal.cdx.json v1.0 (beta): ok") == "acme-portal.cdx.json v1.0 (beta): ok"
    assert escape("- item") == "\\- item"
    assert escape("# title") == "\\# title"
    assert escape("1. first") == "1\\. first"
    assert escape("1.6") == "1.6"
    assert escape("![x](y)") == "\\!\\[x\\](y)"


def test_truncated_to_the_comment_limit_with_a_note() -> None:
    r = make_result()
    many = tuple(
        Finding(
            f"fp{i:05d}",
            "SOV005",
            "Unknown licence",
            Severity.MEDIUM,
            "left-pad-ng",
            0.1,
            "x" * 200,
            ("evidence " * 20,),
            "Fill the licence.",
            status="new",
        )
        for i in range(2000)
    )
    big = replace(r, findings=r.findings + many)
    text = render_markdown(big, RenderOptions(reproducible=True))
    assert len(text) <= MAX_CHARS
    assert "Report truncated" in text
    assert text.startswith("## ❌")  # the verdict is always kept
    assert text.rstrip().endswith("</sub>")
    small = render_markdown(big, RenderOptions(reproducible=True), limit=5000)
    assert len(small) <= 5000
    assert "Report truncated" in small
    assert "Report truncated" not in render("markdown")


def test_quiet_is_the_header_only() -> None:
    text = render("markdown", quiet=True)
    assert "### " not in text
    assert text.startswith("## ❌")


def test_snapshot() -> None:
    assert_snapshot("report.md", render("markdown"))
    assert_snapshot("report.fr.md", render("markdown", lang="fr"))
