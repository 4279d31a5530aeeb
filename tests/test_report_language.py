"""Findings read in one language: a French report holds the French rule texts and messages and none
of the English catalogue, an English report none of the French one; machine formats stay English;
findings without params (read back from an old report) fall back to their English message."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace

import pytest

from souverain.analyse.rules import RULES, RULES_BY_ID
from souverain.model import AuditResult, Finding, Severity
from souverain.report import _view
from souverain.report.markdown import escape

from tests.report_data import make_result, render

HUMAN = ("terminal", "markdown", "html")


def _plain(fmt: str, text: str) -> str:
    """The report as readable text: Markdown escapes and HTML entities undone, whitespace folded
    (the terminal wraps long lines)."""
    if fmt == "markdown":
        text = re.sub(r"\\(.)", r"\1", text)
    if fmt in ("markdown", "html"):
        text = html.unescape(text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def _texts(lang: str) -> list[str]:
    """Every rule title and recommendation of the catalogue in one language."""
    return [t for r in RULES for t in (r.text("title", lang), r.text("recommendation", lang))]


def _shown_rules(fmt: str, result: AuditResult) -> list[str]:
    """Ids of the rules whose findings the format shows (the terminal shows the top choke points)."""
    if fmt == "terminal":
        return [f.rule for f in _view.top_choke_points(result, 5)]
    return [r.id for r in RULES]


def _all_rules_result() -> AuditResult:
    """The reference result plus one SBOM-wide finding of every rule (so every title shows)."""
    base = make_result()
    extra = tuple(
        Finding(f"all{r.id}", r.id, r.title, Severity.INFO, None, None, "m", (), r.recommendation)
        for r in RULES
    )
    return replace(base, findings=base.findings + extra)


@pytest.mark.parametrize("fmt", HUMAN)
def test_a_french_report_holds_no_english_rule_text(fmt: str) -> None:
    result = _all_rules_result()
    text = _plain(fmt, render(fmt, result, lang="fr", width=400))
    english = [t for t in _texts("en") if re.sub(r"\s+", " ", t) in text]
    assert not english, english
    titles = [RULES_BY_ID[r].text("title", "fr").replace("\u00a0", " ") for r in _shown_rules(fmt, result)]
    assert [t for t in titles if t not in text] == []


@pytest.mark.parametrize("fmt", HUMAN)
def test_an_english_report_holds_no_french_rule_text(fmt: str) -> None:
    result = _all_rules_result()
    text = _plain(fmt, render(fmt, result, lang="en", width=400))
    french = [t for t in _texts("fr") if re.sub(r"\s+", " ", t.replace("\u00a0", " ")) in text]
    assert not french, french
    assert [r for r in _shown_rules(fmt, result) if RULES_BY_ID[r].title not in text] == []


@pytest.mark.parametrize("fmt", HUMAN)
def test_french_messages_are_rendered_from_params(fmt: str) -> None:
    text = _plain(fmt, render(fmt, lang="fr", width=400))
    assert (
        "Le composant com.oracle.database.jdbc/ojdbc11 23.3.0.23.09 est propriétaire et contrôlé par "
        "Oracle Corporation (US), hors de la zone de confiance. 20 % du produit (3 composants sur 15) "
        "en dépend ; le produit l'utilise directement." in text
    )
    assert "is proprietary and controlled by" not in text
    # the hostile version is a param: it is rendered inertly in the French message too
    assert "Aucune licence n'est connue pour le composant evil-lib </script><script>alert(2)</script>" in text
    # a custom recommendation (not the catalogue's) is shown as it is
    assert "Check the supplier | and *fill* the SBOM `supplier` field." in text


def test_hostile_params_stay_escaped_in_french_html_and_markdown() -> None:
    page = render("html", lang="fr")
    assert "<script>alert(2)" not in page
    assert "pour le composant evil-lib &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    md = render("markdown", lang="fr")
    assert "pour le composant " + escape("evil-lib </script><script>alert(2)</script>") in md


def test_resolved_finding_from_a_baseline_gets_the_french_title() -> None:
    # it comes from an old JSON report: catalogue title, no params
    for fmt in HUMAN:
        text = _plain(fmt, render(fmt, lang="fr", width=400))
        assert "aws-sdk-s3" in text
        assert "Dépendance à un service sous juridiction étrangère" in text


def test_findings_without_params_or_with_custom_texts_fall_back_to_english() -> None:
    rule = RULES_BY_ID["SOV001"]
    old = Finding(
        "x", "SOV001", rule.title, Severity.HIGH, None, None, "Old message.", (), rule.recommendation
    )
    assert _view.finding_message(old, "fr") == "Old message."
    assert _view.finding_title(old, "fr") == rule.text("title", "fr")
    assert _view.finding_recommendation(old, "fr") == rule.text("recommendation", "fr")
    broken = replace(old, params={"component": "x"})  # not enough to render the template
    assert _view.finding_message(broken, "fr") == "Old message."
    custom = replace(old, title="Custom title", recommendation="Do this.")
    assert _view.finding_title(custom, "fr") == "Custom title"
    assert _view.finding_recommendation(custom, "fr") == "Do this."
    unknown = replace(old, rule="ACME042", params={"n": 1})
    assert _view.finding_message(unknown, "fr") == "Old message."
    assert _view.finding_title(unknown, "fr") == rule.title
    # English reports always show the finding's own texts
    f = make_result().findings[0]
    assert (_view.finding_title(f, "en"), _view.finding_message(f, "en")) == (f.title, f.message)


def test_a_french_report_from_an_old_baseline_shows_the_english_message() -> None:
    r = make_result()
    legacy = replace(r, findings=tuple(replace(f, params={}) for f in r.findings))
    text = _plain("markdown", render("markdown", legacy, lang="fr"))
    assert r.findings[0].message in text
    assert "Point d'étranglement propriétaire sous juridiction étrangère" in text


def test_machine_formats_stay_english_whatever_the_language() -> None:
    for fmt in ("json", "sarif"):
        assert render(fmt, lang="fr") == render(fmt, lang="en")
    doc = json.loads(render("json", lang="fr"))
    first = doc["findings"][0]
    assert first["title"] == RULES_BY_ID["SOV001"].title
    assert first["message"] == make_result().findings[0].message


def test_html_graph_and_cards_use_the_report_language() -> None:
    page = render("html", lang="fr")
    data = json.loads(
        re.search(r'<script type="application/json" id="souverain-data">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
    )
    lines = [line for node in data["graph"]["nodes"] for line in node["lines"]]
    assert "SOV001 Point d'étranglement propriétaire sous juridiction étrangère" in lines
    assert not any("choke point" in line for line in lines)
    assert "LicenseRef-scancode-oracle-futc (propriétaire)" in page
    assert "(US, étrangère)" in page
    assert '<option value="proprietary">propriétaire</option>' in page
    assert data["i18n"]["openness_source-available"] == "source disponible"


def test_shares_follow_french_typography() -> None:
    assert _view.pct(0.3712, "fr") == "37\u00a0%"
    assert _view.pct(0.001, "fr") == "<1\u00a0%"
    assert _view.pct(0.3712) == "37%"
    assert _view.pct(None, "fr") == "—"
    assert _view.pct(0.005) == "<1%"  # 0.5 rounds to even (0): not nothing, so not "0%"
    assert _view.pct(0.0) == "0%"
    assert _view.pct(0.996) == ">99%"
    assert _view.pct(1.0) == "100%"
    text = render("terminal", lang="fr")
    us = next(line for line in text.splitlines() if line.strip().startswith("US "))
    assert us.rstrip().endswith("60\u00a0%")
    assert "(propriétaire)" in render("html", lang="fr")
    assert "<dt>Licence</dt><dd>inconnue</dd>" in render("html", lang="fr")
