"""Freshness review of the shipped knowledge base (2026-11-28): each identifier added or changed by
the review is checked against a real purl, through the shipped KB (not the test fixture KB)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from souverain.enrich.controller import attribute, find_component
from souverain.knowledge import KnowledgeBase, load
from souverain.model import Confidence
from souverain.sbom import load_sbom

SBOMS = Path(__file__).parent / "fixtures" / "sboms"


@cache
def shipped() -> KnowledgeBase:
    return load()


@pytest.mark.parametrize(
    ("eco", "ns", "name", "expected"),
    [
        # React and React Native: contributed by Meta to the React Foundation (Linux Foundation), 2026-02-24
        ("npm", None, "react", "react-foundation"),
        ("npm", None, "react-dom", "react-foundation"),
        ("npm", None, "scheduler", "react-foundation"),
        ("npm", None, "react-native", "react-foundation"),
        ("npm", "@react-native", "virtualized-lists", "react-foundation"),
        ("npm", None, "react-native-svg", None),  # a third-party package is not caught
        ("npm", "@react-native-community", "netinfo", None),
        ("npm", None, "regenerator-runtime", None),  # still Meta's, through its repository link only
    ],
)
def test_shipped_package_attribution(eco: str, ns: str | None, name: str, expected: str | None) -> None:
    hit = shipped().match_package(eco, ns, name)
    if expected is None:
        assert hit is None or hit[0].id != "react-foundation"
    else:
        assert hit is not None
        assert hit[0].id == expected


def test_real_react_is_goes_to_the_react_foundation_with_meta_as_conflict() -> None:
    """protonmail-webclient's react-is names github.com/facebook/react (Meta's GitHub owner) as
    its repository: the package name wins, the old owner stays visible and lowers the confidence."""
    sbom = load_sbom(SBOMS / "cdx-1.2_protonmail-webclient-v4.xml")
    c = find_component(sbom.components, "pkg:npm/react-is")
    assert c is not None
    att = attribute(c, shipped())
    assert att.value is not None
    assert att.value.org_id == "react-foundation"
    assert att.value.ultimate_id == "linux-foundation"
    assert att.value.country == "US"
    assert att.confidence is Confidence.MEDIUM
    assert any(e.detail.startswith("conflicting") and "Meta Platforms" in e.detail for e in att.evidence)


def test_acquisitions_completed_in_2025_2026_reach_the_buyer() -> None:
    """Wiz (Alphabet, closed 2026-03-11) and Informatica (Salesforce, merger completed)."""
    kb = shipped()
    hit = kb.match_package("github", "wiz-sec", "charts")
    assert hit is not None
    assert hit[0].id == "wiz"
    assert kb.ultimate("wiz").id == "alphabet"
    assert kb.match_package("github", "wiz-security-demo", "x") is None
    org = kb.match_domain("https://docs.informatica.com/data-integration.html")
    assert org is not None
    assert org.id == "informatica"
    assert kb.ultimate("informatica").id == "salesforce"
    assert kb.match_name("Informatica LLC") is not None


def test_ampere_is_softbank_owned_since_november_2025() -> None:
    """A US company whose ultimate owner is Japanese: the country is the ultimate owner's."""
    kb = shipped()
    hit = kb.match_package("github", "AmpereComputing", "ampere-porting-advisor")
    assert hit is not None
    assert hit[0].id == "ampere"
    assert hit[0].country == "US"
    assert kb.ultimate("ampere").id == "softbank-group"
    assert kb.ultimate("ampere").country == "JP"
    assert kb.match_package("github", "nrbehere", "AmpereComputing") is None
