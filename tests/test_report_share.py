"""The weight shown beside a finding in the human reports: its share of the product, or "direct"
for a direct dependency that nothing else in the product depends on (its share is 0, yet the risk
model weighs it as a direct dependency: "0%" would read as "does not matter")."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace

import pytest

from souverain.model import AuditResult, Finding
from souverain.pipeline import audit
from souverain.report import _view

from tests.conftest import fixture_path
from tests.report_data import render


@pytest.fixture(scope="module")
def juice() -> AuditResult:
    """juice-shop's own SBOM: exif is a direct dependency without licence that nothing else uses."""
    path = fixture_path("cdx-1.6_juice-shop_npm-bare.json")
    return audit(path, today=dt.date(2026, 11, 28), reproducible=True).result


def _finding(result: AuditResult, name: str, rule: str) -> Finding:
    comps = _view.by_ref(result)
    return next(
        f for f in result.findings if f.rule == rule and f.component and comps[f.component].name == name
    )


def test_a_direct_dependency_nothing_else_uses_reads_direct(juice: AuditResult) -> None:
    exif = _finding(juice, "exif", "SOV005")
    assert exif.params["direct"] is True
    assert exif.params["reach"] == 0
    assert exif.share == 0.0
    assert _view.finding_share(exif) == "direct"
    assert _view.finding_share(exif, "fr") == "directe"
    text = re.sub(r"\s+", " ", render("terminal", juice))
    assert "exif@0.6.0 · direct · SOV005" in text
    assert "exif@0.6.0 · 0% ·" not in text
    md = render("markdown", juice)
    row = next(line for line in md.splitlines() if "exif" in line and "SOV005" in line)
    assert "| direct |" in row
    page = html.unescape(render("html", juice, lang="fr"))
    assert '<span class="comp">exif@0.6.0</span><span class="meta">directe · SOV005' in page


def test_a_dependency_others_use_keeps_its_share(juice: AuditResult) -> None:
    weighed = [f for f in juice.findings if f.params.get("reach")]
    assert weighed, "juice-shop has findings on components others depend on"
    for f in weighed:
        assert _view.finding_share(f) == _view.pct(f.share)
        assert _view.finding_share(f) != "direct"


def test_findings_without_params_keep_their_share(juice: AuditResult) -> None:
    """A finding read back from a baseline has no params: its share as before."""
    exif = _finding(juice, "exif", "SOV005")
    bare = replace(exif, params={})
    assert _view.finding_share(bare) == "0%"
    assert _view.finding_share(replace(exif, share=None), "fr") == "—"
