"""A community project (no company in control) has no seat: under an open licence it is not at
risk and must not be reported as having an unknown controller; a truly unknown controller is."""

from __future__ import annotations

import datetime

from souverain.analyse import analyse
from souverain.model import ControllerKind, Jurisdiction, Openness, Policy

from tests.factories import make_assessment, make_graph, open_home

EDGES = [("root", "app"), ("app", "lib"), ("root", "lib")]


def _rules(kind: ControllerKind | None, openness: Openness = Openness.OPEN) -> set[str]:
    sbom, graph = make_graph(EDGES)
    assessments = open_home(["root", "app", "lib"])
    assessments["lib"] = make_assessment(
        "lib",
        openness=openness,
        controller=None if kind is None else "Some Project",
        kind=kind or ControllerKind.UNKNOWN,
        country=None,
        jurisdiction=Jurisdiction.UNKNOWN,
    )
    result = analyse(sbom, graph, assessments, Policy(), today=datetime.date(2026, 11, 28))
    return {f.rule for f in result.findings if f.component == "lib"}


def test_open_community_project_without_seat_is_not_a_finding() -> None:
    assert _rules(ControllerKind.COMMUNITY) == set()


def test_unknown_controller_with_weight_is_a_finding() -> None:
    assert "SOV006" in _rules(None)


def test_company_without_known_country_is_still_unknown() -> None:
    assert "SOV006" in _rules(ControllerKind.COMPANY)


def test_community_project_under_proprietary_terms_is_still_reported() -> None:
    assert _rules(ControllerKind.COMMUNITY, Openness.PROPRIETARY)


def test_community_project_under_proprietary_terms_asks_who_holds_the_rights() -> None:
    assert "SOV006" in _rules(ControllerKind.COMMUNITY, Openness.PROPRIETARY)
    assert "SOV006" in _rules(ControllerKind.COMMUNITY, Openness.SOURCE_AVAILABLE)


def test_community_project_under_an_unknown_licence_asks_for_the_licence_only() -> None:
    """A Debian package whose SBOM says NOASSERTION: the licence is the question (SOV005); "who
    publishes it, from where?" is not (the Debian Project does, a community without a seat)."""
    assert _rules(ControllerKind.COMMUNITY, Openness.UNKNOWN) == {"SOV005"}
    # a company whose country is unknown still gets both questions
    assert _rules(ControllerKind.COMPANY, Openness.UNKNOWN) == {"SOV005", "SOV006"}
