"""The merge rule and the slot constructors of souverain.enrich.base."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from souverain.enrich.base import merge
from souverain.enrich.controller import Candidate
from souverain.model import (
    Assessment,
    Attribution,
    Confidence,
    Controller,
    ControllerKind,
    Evidence,
    Jurisdiction,
    LicenseVerdict,
    Openness,
    slot_constructor,
)

_EV = Evidence(
    "sbom", "supplier name 'Acme' → Acme (organisations/us.toml#acme)", "/components/3/supplier/name"
)
_LIC = Attribution(
    "license", LicenseVerdict(("MIT",), "MIT", Openness.OPEN), Confidence.HIGH, (_EV,), "licence"
)
_CTL = Attribution(
    "controller", Controller("Acme", ControllerKind.COMPANY, "acme", "US"), Confidence.MEDIUM, (_EV,)
)

CASES = [
    (Evidence, ("sbom", "detail", "/components/0/licenses")),
    (Attribution, ("license", None, Confidence.LOW, (_EV,), "licence")),
    (Assessment, ("ref-1", _LIC, _CTL, None, Jurisdiction.FOREIGN, ("US CLOUD Act (2018)",), ())),
    (Candidate, ("purl", Confidence.HIGH, _EV, None, "Acme", "US", False)),
]


@pytest.mark.parametrize(("cls", "values"), CASES, ids=[c.__name__ for c, _ in CASES])
def test_slot_constructor_builds_the_same_object(cls: type, values: tuple[object, ...]) -> None:
    fast: object = slot_constructor(cls)(*values)
    slow = cls(*values)
    assert type(fast) is cls
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    names = [f.name for f in dataclasses.fields(slow)]
    assert [getattr(fast, n) for n in names] == list(values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.__setattr__(names[0], "changed")


def test_slot_constructor_needs_every_field() -> None:
    with pytest.raises(TypeError):
        slot_constructor(Evidence)("sbom", "detail")  # location has a default in Evidence(), not here


def test_slot_constructor_refuses_what_it_cannot_copy() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    @dataclasses.dataclass
    class Mutable:
        value: int

    for cls in (Checked, Mutable, int):
        with pytest.raises(TypeError):
            slot_constructor(cls)


def test_merge_keeps_the_first_of_equal_attributions_and_reports_the_disagreeing_one() -> None:
    first = Attribution(
        "controller", Controller("A", ControllerKind.COMPANY), Confidence.MEDIUM, (_EV,), "one"
    )
    same = Attribution(
        "controller", Controller("A", ControllerKind.COMPANY), Confidence.MEDIUM, (_EV,), "two"
    )
    other = Attribution(
        "controller", Controller("B", ControllerKind.COMPANY), Confidence.LOW, (_EV,), "three"
    )
    merged = merge([first, same, other])
    assert merged["controller"].winner is first
    assert merged["controller"].conflicts == (other,)


class _Fixed:
    """An enricher that returns the same attributions for every component."""

    def __init__(self, name: str, *attributions: Attribution[Any]) -> None:
        self.name = name
        self._attributions = attributions

    def enrich(self, component: object, ctx: object) -> tuple[Attribution[Any], ...]:
        return self._attributions


def test_assess_merges_only_on_a_clash_and_reports_conflicts() -> None:
    from souverain.enrich import assess
    from souverain.enrich.base import EnrichContext
    from souverain.knowledge import load_default
    from souverain.model import Component

    ctx = EnrichContext(kb=load_default())
    component = Component(ref="c1", name="c1")
    weak = Attribution("controller", Controller("B", ControllerKind.COMPANY), Confidence.LOW, (_EV,), "b")
    note = Attribution("provenance", "x", Confidence.HIGH, (_EV,), "p")
    # one attribution per aspect: taken as they are
    plain = assess(component, ctx, [_Fixed("l", _LIC), _Fixed("c", _CTL)])
    assert plain.license is _LIC
    assert plain.controller is _CTL
    assert plain.conflicts == ()
    assert plain.jurisdiction is Jurisdiction.FOREIGN  # US under the default policy
    # a clash: merge() decides, the loser is reported; an unknown aspect is merged, never lost
    clash = assess(component, ctx, [_Fixed("l", _LIC), _Fixed("c", weak), _Fixed("c2", _CTL, note)])
    assert clash.controller is _CTL
    assert clash.conflicts == (weak,)
    assert clash == assess(component, ctx, [_Fixed("x", _LIC, weak, _CTL, note)])


class _Silent:
    """An enricher that finds nothing (its presence makes a chain other than the default one)."""

    name = "silent"

    def enrich(self, component: object, ctx: object) -> tuple[Attribution[Any], ...]:
        return ()


@pytest.mark.parametrize(
    "sbom",
    [
        "cdx-1.4_quarkus_maven.json",
        "cdx-1.4_saasbom-apigateway-services.json",
        "handmade/cdx-1.6_supplier-country.json",
    ],
)
def test_enrich_all_default_chain_equals_the_general_path(sbom: str) -> None:
    """enrich_all runs the default chain without the general merge loop: same assessments as
    the general path (the same enrichers followed by one that finds nothing), under a policy
    with home and trusted countries and with controller overrides."""
    from pathlib import Path

    from souverain.enrich import default_enrichers, enrich_all
    from souverain.enrich.base import EnrichContext
    from souverain.graph import build_graph
    from souverain.knowledge import load_default
    from souverain.model import Policy
    from souverain.sbom import load_sbom

    graph = build_graph(load_sbom(Path(__file__).parent / "fixtures" / "sboms" / sbom))
    for ctx in (
        EnrichContext(kb=load_default()),
        EnrichContext(
            kb=load_default(),
            policy=Policy(home=("FR",), trusted=("EU", "CH")),
            options={"controller_overrides": {"pkg:maven/io.quarkus*": "microsoft"}},
        ),
    ):
        fast = enrich_all(graph, ctx, default_enrichers())
        general = enrich_all(graph, ctx, (*default_enrichers(), _Silent()))
        assert list(fast) == list(general) == list(graph.components)
        assert fast == general
