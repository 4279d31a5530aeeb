"""The enrichment's fast paths against the careful ones they stand for.

- the joint purl lookups of the knowledge base (organisation and service indexes answered
  together) against each index's own lookup;
- the licence enricher's per-run memo (per statement ids) against
  :meth:`LicenceEnricher.enrich`;
- the controller's per-host reference answers, purl-alone shortcut and plans checked on the
  first component against the steps' candidates combined afresh;
- ``enrich_all``'s default chain (one loop, the three enrichers' fast paths inlined) against
  the general path (:func:`souverain.enrich.assess`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from souverain.enrich.base import EnrichContext
from souverain.knowledge import KnowledgeBase, load, load_default
from souverain.model import Component, DeclaredLicense, ExternalRef, Party
from souverain.sbom import load_sbom

_HERE = Path(__file__).parent
_SBOMS = _HERE / "fixtures" / "sboms"


def _fixture_sboms() -> list[Path]:
    return sorted(
        p
        for p in _SBOMS.rglob("*")
        if p.is_file() and p.suffix in (".json", ".xml", ".spdx") and "broken" not in p.parts
    )


@functools.cache
def _components(path: Path) -> tuple[Component, ...]:
    try:
        sbom = load_sbom(path)
    except Exception:  # a fixture meant to fail parsing says nothing here
        return ()
    return (*((sbom.root,) if sbom.root is not None else ()), *sbom.components)


@functools.cache
def _fixture_kb() -> KnowledgeBase:
    kb_dir = _HERE / "fixtures" / "kb"
    return load([kb_dir / "orgs.toml", kb_dir / "services.toml"], include_default=False)


# --------------------------------------------------------------------------------------------
# Joint purl lookups
# --------------------------------------------------------------------------------------------


def _identifier_purls(kb: KnowledgeBase) -> Iterator[tuple[str, str | None, str]]:
    """(type, namespace, name) around every identifier of the knowledge base: the identifier
    itself, longer and shorter, in other cases, with the wildcards of a pattern filled in."""
    entries = [o.identifiers for o in kb.organisations.values()]
    entries += [s.clients for s in kb.services.values()]
    for identifiers in entries:
        for kind, values in identifiers.items():
            for value in values:
                filled = value.replace("*", "x").replace("?", "y").replace("[", "").replace("]", "")
                for v in (filled, filled.upper(), filled.title(), filled + "-extra", filled[:-1]):
                    yield from _purls_for(kind, v)


def _purls_for(kind: str, v: str) -> Iterator[tuple[str, str | None, str]]:
    if kind in ("github", "gitlab"):
        yield kind, v, "repo"
        yield kind, "", v
        yield "golang", f"{kind}.com/{v}", "module"
        yield "golang", f"{kind.upper()}.com", v
        yield "golang", None, f"{kind}.com/{v}/sub/module"
        yield "swift", f"{kind}.com/{v}", "package"
        yield "swift", f"{kind.upper()}.com/{v}/", "package"
        yield "swift", None, v
    elif kind in ("maven", "golang"):
        yield kind, v, "artifact"
        yield kind, f"/{v}/", "artifact"
        yield kind, f"{v}.sub", "artifact"
        yield kind, f"{v}/sub", "artifact"
        yield kind, None, v
        yield "golang", None, f"{v}/module"
    elif kind == "npm":
        if v.startswith("@") and "/" not in v:
            yield "npm", v, "core"
            yield "npm", v[1:], "core"
        else:
            yield "npm", None, v
            yield "NPM", None, v
    elif kind == "names":
        eco, _, pattern = v.partition(":")
        yield eco, None, pattern
        yield eco.lower(), None, pattern
        yield eco.lower(), "some/namespace", pattern
    elif kind in ("composer", "docker", "deb", "rpm", "apk"):
        yield kind, v, "package"
        yield kind, f"{v}/more", "package"
        yield kind, "/", v
        yield kind, None, v
    elif kind != "domains":
        yield kind, None, v
        yield kind, None, v.replace("-", "_").replace(".", "--")
        yield kind.upper(), None, v


def _sbom_purls() -> Iterator[tuple[str, str | None, str]]:
    for path in _fixture_sboms():
        for c in _components(path):
            if c.ecosystem and c.package:
                yield c.ecosystem, c.namespace, c.package


_ODD_PURLS = [
    ("npm", "@azure", "core-auth"),
    ("npm", "/", "express"),
    ("npm", "", "express"),
    ("maven", "", "azure-core"),
    ("maven", "/", "azure-core"),
    ("golang", "", "golang.org/x/net"),
    ("golang", "github.com", "Azure"),
    ("golang", "github.com/", "Azure/x"),
    ("golang", None, "github.com"),
    ("golang", None, "gitlab.com/"),
    # one namespace, several names: its answer is memoised unless a table prefix extends it
    ("golang", "github.com/Azure", "azure-sdk-for-go"),
    ("golang", "github.com/Azure", "other"),
    ("golang", "github.com/azure", "azure-sdk-for-go/sdk"),
    ("golang", "github.com/Azure/azure-sdk-for-go", "sdk"),
    ("golang", "github.com/unknown-owner", "x"),
    ("golang", "github.com/unknown-owner", "y"),
    ("golang", "k8s.io", "client-go"),
    ("golang", "k8s.io/", "other"),
    ("golang", "golang.org/x", "net"),
    ("golang", "golang.org", "x/net"),
    ("golang", "golang.org", "y/net"),
    ("docker", "library/x", "nginx"),
    ("generic", None, "openssl"),
    ("oci", None, "nginx"),
    ("", None, "x"),
    ("Pypi", None, "Azure_Storage.Blob"),
]


@pytest.mark.parametrize("which", ["default", "fixture"])
def test_joint_lookups_answer_what_each_index_answers(which: str) -> None:
    """For every identifier shape of the knowledge base and every purl of the fixture SBOMs, the
    joint lookup gives the very Match objects of the organisation and service lookups, on a
    fresh knowledge base and again once its memos are filled (in the other order)."""
    kb = load_default() if which == "default" else _fixture_kb()
    purls = list(dict.fromkeys([*_ODD_PURLS, *_sbom_purls(), *_identifier_purls(kb)]))
    assert len(purls) > 1000
    orgs, services = kb.package_lookups(), kb.service_lookups()
    joint = kb.package_and_service_lookups()
    for order in (1, -1):
        for eco, ns, name in purls[::order]:
            pair = joint[eco](ns, name)
            expected = (orgs[eco](ns, name), services[eco](ns, name))
            assert pair[0] is expected[0], (eco, ns, name, pair, expected)
            assert pair[1] is expected[1], (eco, ns, name, pair, expected)
    assert kb.package_and_service_lookups() is joint


def test_joint_lookups_find_both_kinds_of_answer() -> None:
    """The comparison above is not vacuous: both indexes answer, alone or together."""
    joint = load_default().package_and_service_lookups()
    _, svc = joint["pypi"](None, "boto3")
    assert svc is not None
    assert svc.target.id == "aws"
    org, svc = joint["deb"]("debian", "openssl")
    assert org is not None
    assert org.identifier == "deb namespace debian"
    assert svc is None
    org, svc = joint["maven"]("com.azure.resourcemanager.x", "y")
    assert org is not None
    assert svc is not None
    assert org.identifier == svc.identifier == "Maven groupId prefix com.azure"
    org, svc = joint["golang"]("github.com/Azure", "azure-sdk-for-go")
    assert org is not None
    assert org.identifier == "Go module path github.com/Azure/…"
    assert svc is not None
    assert svc.identifier == "Go module path prefix github.com/Azure/azure-sdk-for-go"
    assert joint["oci"](None, "nginx") == (None, None)


# --------------------------------------------------------------------------------------------
# Licence attributor
# --------------------------------------------------------------------------------------------


def _licence_variants(components: tuple[Component, ...]) -> Iterator[Component]:
    """Each component as read, without a location, as a Debian package, and the same declared
    tuple object under another component (the attributor memoises per statement ids)."""
    for c in components:
        yield c
        yield replace(c, location="")
        yield replace(c, ecosystem="deb" if c.ecosystem != "deb" else "npm", location=c.location + "/x")


_DECLARED = [
    (),
    (DeclaredLicense("id", "MIT", "license.id"),),
    (DeclaredLicense("expression", "Apache-2.0 OR MIT", "expression"),),
    (DeclaredLicense("name", "GPL-2+", "license.name"),),  # a Debian short name
    (DeclaredLicense("name", "Dual license: MIT & GPL", "license.name"),),
    (DeclaredLicense("name", "Some Vendor Terms", "license.name", "https://opensource.org/licenses/MIT"),),
    (DeclaredLicense("url", "https://www.apache.org/licenses/LICENSE-2.0"),),
    (DeclaredLicense("id", "MIT"),),  # no field: the evidence sits at the component
    (
        DeclaredLicense("expression", "NOASSERTION", "licenseConcluded"),
        DeclaredLicense("expression", "BSD-3-Clause", "licenseDeclared"),
    ),
    (
        DeclaredLicense("expression", "MIT", "licenseConcluded"),
        DeclaredLicense("expression", "GPL-3.0-only", "licenseDeclared"),
    ),
    (DeclaredLicense("id", "MIT", "license.id"), DeclaredLicense("id", "Apache-2.0", "license.id")),
]


def _synthetic_licences() -> Iterator[Component]:
    for i, declared in enumerate(_DECLARED * 3):
        for eco in ("npm", "deb", None):
            # equal statements as other objects: a new key, the same answer
            fresh = tuple(replace(d) for d in declared) if i >= len(_DECLARED) else declared
            yield Component(
                ref=f"l{i}{eco}", name="x", ecosystem=eco, licenses=fresh, location=f"/components/{i}"
            )


def test_licence_attributor_gives_what_enrich_gives() -> None:
    """The per-run attributor (memo per tuple of statement ids, evidence anchored from a plan)
    equals LicenceEnricher.enrich on every component of every fixture SBOM and on synthetic
    ones (no location, Debian or not, shared and equal-but-distinct statements, evidence from
    the knowledge base, several statements)."""
    from souverain.enrich.licence import LicenceEnricher

    ctx = EnrichContext(kb=load_default())
    careful = LicenceEnricher()
    fast = LicenceEnricher().attributor()
    components = [c for path in _fixture_sboms() for c in _licence_variants(_components(path))]
    components += list(_synthetic_licences())
    assert len(components) > 5000
    for _ in range(2):  # the second time from the memo
        for c in components:
            (expected,) = careful.enrich(c, ctx)
            assert fast(c) == expected, c


# --------------------------------------------------------------------------------------------
# Controller: per-host references, the purl alone, plans checked on the first component
# --------------------------------------------------------------------------------------------


def _careful_controller(component: Component, kb: KnowledgeBase, overrides: dict[str, str]) -> object:
    """The controller attribution by the steps and the combination rule, nothing memoised."""
    from souverain.enrich.controller import (
        combine,
        override_candidates,
        party_candidates,
        purl_candidates,
        reference_candidates,
        service_operator,
    )

    candidates = [
        *override_candidates(component, kb, overrides),
        *purl_candidates(component, kb),
        *party_candidates(component, kb),
        *reference_candidates(component, kb),
    ]
    return service_operator(component, kb, combine(component, kb, candidates))


_PURLS = [
    ("pkg:npm/%40azure/core-auth@1.0.0", "npm", "@azure", "core-auth"),
    ("pkg:pypi/requests@2.0", "pypi", None, "requests"),
    ("pkg:npm/left-pad@1.0.0?x=y#sub/path", "npm", None, "left-pad"),
    ("pkg:maven/org.example/lib@1.0?type=jar", "maven", "org.example", "lib"),
    ("pkg:golang/github.com/unknown-owner/mod@v1.0.0/extra", "golang", "github.com/unknown-owner", "mod"),
    ("pkg:deb/debian/bash@5.2?arch=amd64", "deb", "debian", "bash"),
    ("pkg:generic/thing#sub@x", "generic", None, "thing"),
    ("pkg:generic/thing?q=a@b", "generic", None, "thing"),
    ("nopkg:x/y@1", "generic", None, "y"),
    ("pkg:x", "generic", None, "x"),
    (None, None, None, None),
]
_PARTIES = [
    (),
    (Party("supplier", "Microsoft Corporation"),),
    (Party("supplier", "Nobody Ltd", urls=("https://nobody.example",)),),
    (Party("manufacturer", "Acme", country="DE"), Party("author", "Jane Doe", emails=("j@gmail.com",))),
    (Party("supplier", "Google LLC"), Party("supplier", "Google LLC")),
    (Party("publisher", "Oracle", country="XX", is_person=False),),
    (Party("author", "Some Body", is_person=True), Party("publisher", "Nobody Ltd")),
]
_REFS = [
    (),
    (ExternalRef("vcs", "https://github.com/Azure/azure-sdk-for-js"),),
    (
        ExternalRef("website", "https://docs.microsoft.com/x"),
        ExternalRef("vcs", "https://git.example.org/a/b"),
    ),
    (
        ExternalRef("distribution", "https://registry.example/x"),
        ExternalRef("vcs", "git@github.com:google/x"),
    ),
    (
        ExternalRef("distribution", "https://www.microsoft.com/x"),
        ExternalRef("website", "https://www.oracle.com/y"),
    ),
    (
        ExternalRef("vcs", " <https://github.com/oracle/x>"),
        ExternalRef("Website", "https://GIT.example.org:8080/q"),
    ),
    (ExternalRef("issue-tracker", "https://gitlab.com/unknown/x/-/issues"), ExternalRef("vcs", "not a url")),
    (ExternalRef("vcs", "https://git.example.org/c/d"), ExternalRef("vcs", "https://git.example.org/e/f")),
]


def _controller_variety() -> list[Component]:
    out = []
    for i, (purl, eco, ns, name) in enumerate(_PURLS):
        for j, parties in enumerate(_PARTIES):
            for k, refs in enumerate(_REFS):
                out.append(
                    Component(
                        ref=f"c{i}.{j}.{k}",
                        name=name or "x",
                        purl=purl,
                        ecosystem=eco,
                        namespace=ns,
                        package=name,
                        parties=parties,
                        external_refs=refs,
                    )
                )
    return out


def _placed(component: Component, where: str, n: int) -> Component:
    """The component at another place of the SBOM, its parties under it (some without one)."""
    parties = tuple(
        replace(p, location=f"{where}/{p.role}/{i}" if where and (i + n) % 3 else "")
        for i, p in enumerate(component.parties)
    )
    return replace(component, ref=f"{component.ref}@{where}", location=where, parties=parties)


@pytest.mark.parametrize("overrides", [{}, {"pkg:npm/left-pad": "google", "pkg:pypi/*": "no-such-org"}])
def test_controller_memos_give_what_the_steps_give(overrides: dict[str, str]) -> None:
    """One attributor over components placed at several places (signatures seen once, twice,
    many times; references answered per host or per URL; a purl match beside parties and
    references that find nothing): each attribution equals the steps' candidates combined
    afresh, and every plan made rebuilt the attribution it was checked against."""
    from souverain.enrich.controller import _UNPLANNED, Attributor

    for kb, components in ((load_default(), _controller_variety()), (_fixture_kb(), _controller_variety())):
        attributor = Attributor(kb, overrides)
        for n, where in enumerate(("/components/1", "", "/components/2", "/packages/7", "", "/c/9")):
            for component in components:
                placed = _placed(component, where, n)
                expected = _careful_controller(placed, kb, overrides)
                assert attributor.attribute(placed) == expected, placed
        assert _UNPLANNED not in attributor._plans.values()


def test_controller_memos_on_the_fixture_sboms() -> None:
    """The same on every component of the fixture SBOMs (and each again without its location)."""
    from souverain.enrich.controller import Attributor

    kb = load_default()
    attributor = Attributor(kb)
    for path in _fixture_sboms():
        components = _components(path)
        for placed in (*components, *(replace(c, location="") for c in components[::7])):
            assert attributor.attribute(placed) == _careful_controller(placed, kb, {}), placed


# --------------------------------------------------------------------------------------------
# The default chain
# --------------------------------------------------------------------------------------------


class _Silent:
    """An enricher that finds nothing: with it the chain is not the default one."""

    name = "silent"

    def enrich(self, component: object, ctx: object) -> tuple[()]:
        return ()


_GENERATOR = Path("/work/shared/tools/gen_sbom.py")


def _default_equals_general(graph: object, ctx: EnrichContext | None = None) -> None:
    from souverain.enrich import default_enrichers, enrich_all
    from souverain.graph import DependencyGraph

    assert isinstance(graph, DependencyGraph)
    ctx = ctx or EnrichContext(kb=load_default())
    fast = enrich_all(graph, ctx, default_enrichers())
    general = enrich_all(graph, ctx, (*default_enrichers(), _Silent()))
    assert list(fast) == list(general)
    assert fast == general


def test_default_chain_equals_the_general_path_on_the_fixtures() -> None:
    """enrich_all's default chain (joint lookups, licence attributor, controller attributor
    given the purl match) gives the assessments of the general path (the same enrichers and one
    that finds nothing, merged by assess) on every fixture SBOM."""
    from souverain.graph import build_graph

    for path in _fixture_sboms():
        try:
            graph = build_graph(load_sbom(path))
        except Exception:  # a fixture meant to fail parsing says nothing here
            continue
        _default_equals_general(graph)


@pytest.mark.skipif(not _GENERATOR.exists(), reason="the shared SBOM generator is not available here")
@pytest.mark.parametrize(("fmt", "messy"), [("cdx-json", False), ("spdx-json", False), ("cdx-json", True)])
def test_default_chain_equals_the_general_path_on_generated_sboms(
    fmt: str, messy: bool, tmp_path: Path
) -> None:
    """The same on generated SBOMs of 3,000 components (every ecosystem, shared parties and
    licences, duplicates and dangling references when messy)."""
    import subprocess
    import sys

    from souverain.graph import build_graph

    out = tmp_path / "sbom.json"
    args = [sys.executable, str(_GENERATOR), "-n", "3000", "--format", fmt, "-o", str(out)]
    subprocess.run([*args, "--messy"] if messy else args, check=True, capture_output=True)
    _default_equals_general(build_graph(load_sbom(out)))


def test_default_chain_equals_the_general_path_on_synthetic_components() -> None:
    """The same on components built to reach every branch of the inlined loop: with and
    without a location, Debian or not, licences answered by one SBOM evidence or several,
    controllers by the purl alone, by plans or unknown, services, and an override table."""
    from souverain.graph import build_graph
    from souverain.model import NodeKind

    from tests.factories import make_sbom

    components = [*_controller_variety(), *_synthetic_licences()]
    for i, c in enumerate(list(components)):
        components.append(
            replace(c, ref=f"{c.ref}/bare", location="", licenses=_DECLARED[i % len(_DECLARED)])
        )
    components.append(
        Component(
            ref="svc",
            name="Payments API",
            kind=NodeKind.SERVICE,
            parties=(Party("provider", "Microsoft Corporation"),),
            external_refs=(ExternalRef("endpoint", "https://api.stripe.com/v1"),),
            location="/services/0",
        )
    )
    components.append(
        Component(ref="boto", name="boto3", purl="pkg:pypi/boto3@1", ecosystem="pypi", package="boto3")
    )
    graph = build_graph(make_sbom(components))
    _default_equals_general(graph)
    ctx = EnrichContext(kb=load_default(), options={"controller_overrides": {"pkg:npm/*": "google"}})
    _default_equals_general(graph, ctx)
