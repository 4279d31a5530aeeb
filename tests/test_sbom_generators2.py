"""SBOMs written by cdxgen 12.8.4 from lockfiles of ecosystems the corpus covers little (a Go
go.mod, a Rust Cargo.lock, a uv.lock, an npm tree with an alias and a file: dependency), read
offline (FETCH_LICENSE unset). The files are in tests/fixtures/sboms/generators/ (see
ATTRIBUTION.md there); each test compares souverain's reading with the raw document."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from souverain.model import EdgeKind
from souverain.sbom import load_sbom
from souverain.sbom._common import PERSON_ADDRESS_NOTE

from tests.conftest import fixture_path

GO = "generators/cdx-1.6_cdxgen-12.8.4_go-mod-prometheus.json"
CARGO = "generators/cdx-1.6_cdxgen-12.8.4_cargo-lock-bcrypt.json"
NPM = "generators/cdx-1.6_cdxgen-12.8.4_npm-trimmed.json"
UV = "generators/cdx-1.6_cdxgen-12.8.4_uv-lock-trimmed.json"


def _raw(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(fixture_path(name).read_text())
    return doc


@pytest.mark.parametrize("name", [GO, CARGO, NPM, UV])
def test_cdxgen_lockfile_sboms_are_read_as_written(name: str) -> None:
    """Every component (the root, repeated in ``components`` by cdxgen for Cargo, kept as root
    only), every dependsOn entry and every purl is read; nothing is skipped."""
    doc = _raw(name)
    sbom = load_sbom(fixture_path(name))
    root_ref = doc["metadata"]["component"]["bom-ref"]
    assert sbom.root is not None
    assert sbom.root.ref == root_ref
    raw_refs = [c["bom-ref"] for c in doc["components"] if c["bom-ref"] != root_ref]
    assert [c.ref for c in sbom.components] == raw_refs
    raw_edges = [(d["ref"], t) for d in doc["dependencies"] for t in d.get("dependsOn", [])]
    assert [(a, b) for a, b, _ in sbom.edges] == raw_edges
    assert {kind for _, _, kind in sbom.edges} <= {EdgeKind.RUNTIME}
    assert not sbom.skipped
    by_ref = {c["bom-ref"]: c for c in doc["components"]}
    for comp in sbom.components:
        assert comp.purl_text == by_ref[comp.ref]["purl"]
        assert comp.purl is not None, comp.purl_text
        # cdxgen writes "group": "" when there is none: no group, not an empty one
        assert comp.group == (by_ref[comp.ref]["group"] or None)
    # cdxgen's own annotation (what it could not do) is counted, not read
    assert sbom.notes.get("annotations (not read)", 0) == len(doc.get("annotations", []))


def test_go_module_paths_keep_their_major_version_suffix() -> None:
    """A Go module path ending in a major version (``/v2``) or a ``.v2`` gopkg.in path: the
    purl's namespace is the path up to the last segment (the purl specification's split), the
    name cdxgen wrote is the whole module path, and the canonical purl is the text itself."""
    sbom = load_sbom(fixture_path(GO))
    comps = {c.name: c for c in sbom.components}
    xxhash = comps["github.com/cespare/xxhash/v2"]
    assert (xxhash.namespace, xxhash.package, xxhash.version) == ("github.com/cespare/xxhash", "v2", "v2.1.2")
    assert xxhash.purl == "pkg:golang/github.com/cespare/xxhash/v2@v2.1.2"
    yaml = comps["gopkg.in/yaml.v2"]
    assert (yaml.namespace, yaml.package) == ("gopkg.in", "yaml.v2")
    # pseudo-versions are versions like any other
    assert comps["golang.org/x/sys"].version == "v0.0.0-20220520151302-bc2c85ada10a"
    # go.mod's "// indirect" requirements: scope optional, and not in the root's dependsOn
    assert comps["golang.org/x/net"].scope == "optional"
    assert ("pkg:golang/github.com/prometheus/client_golang", "golang.org/x/net") not in {
        (a, b) for a, b, _ in sbom.edges
    }
    # cdxgen 12.8.4 turns go.mod's `exclude github.com/prometheus/client_golang v1.12.1` into a
    # component named "exclude" whose version is the module path: read as written
    assert comps["exclude"].purl == "pkg:golang/exclude@github.com/prometheus/client_golang"


def test_cargo_versions_with_build_metadata() -> None:
    """Cargo versions with ``+`` build metadata (wasi 0.14.7+wasi-0.2.4): cdxgen writes the
    purl and bom-ref with ``%2B``; the version is read as written and the canonical purl is the
    bom-ref (so the edges that name it resolve)."""
    sbom = load_sbom(fixture_path(CARGO))
    wasi = next(c for c in sbom.components if c.name == "wasi")
    assert wasi.version == "0.14.7+wasi-0.2.4"
    assert wasi.purl == wasi.ref == "pkg:cargo/wasi@0.14.7%2Bwasi-0.2.4"
    assert all(c.ecosystem == "cargo" and c.namespace is None for c in sbom.components)
    # the root's legacy author string is kept, and says nothing about being a person
    assert sbom.root is not None
    (author,) = sbom.root.parties
    assert (author.role, author.is_person, author.country) == ("author", None, None)


def test_npm_alias_and_file_dependency() -> None:
    """An npm alias (``lodash-es@npm:lodash``) is the real package under its own purl; a
    ``file:`` dependency keeps cdxgen's properties saying it does not come from the registry;
    scoped bom-refs are written with a bare ``@`` while the purls encode it."""
    sbom = load_sbom(fixture_path(NPM))
    comps = {c.name: c for c in sbom.components}
    assert comps["lodash"].purl == "pkg:npm/lodash@4.17.21"
    assert ("LocalNodeModulesPath", "node_modules/lodash-es") in comps["lodash"].properties
    local = dict(comps["local-helper"].properties)
    assert local["cdx:npm:isRegistryDependency"] == "false"
    assert local["cdx:npm:manifestSource"] == "file:local-pkg"
    s3 = comps["client-s3"]
    assert s3.ref == "pkg:npm/@aws-sdk/client-s3@3.1175.0"
    assert s3.purl == "pkg:npm/%40aws-sdk/client-s3@3.1175.0"
    assert s3.namespace == "@aws-sdk"
    assert comps["node"].scope == "excluded"
    assert comps["prettier"].scope == "optional"
    assert ("pkg:npm/local-helper@0.1.0", "pkg:npm/ms@2.1.3", EdgeKind.RUNTIME) in sbom.edges


def test_uv_lock_names_are_normalised_by_uv() -> None:
    """uv.lock holds PEP 503 names (zope.interface → zope-interface, ruamel.yaml →
    ruamel-yaml); a path dependency has a plain pypi purl and cdxgen's path properties."""
    sbom = load_sbom(fixture_path(UV))
    comps = {c.name: c for c in sbom.components}
    assert comps["zope-interface"].purl == "pkg:pypi/zope-interface@8.7"
    assert comps["ruamel-yaml"].package == "ruamel-yaml"
    assert dict(comps["local-pkg"].properties)["cdx:pypi:manifestSourceType"] == "path"
    assert comps["pytest"].scope == "optional"


def _doc(component: dict[str, Any]) -> bytes:
    return orjson.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "components": [{"type": "library", "name": "lib", "bom-ref": "lib", **component}],
        }
    )


def test_an_author_never_gives_a_country() -> None:
    """``authors[]`` entries are contacts (persons, in souverain's model) and a contact has no
    address in any CycloneDX version: a country written there is not read (counted in the
    notes), so no person states a country. An organisation's address is read as before."""
    person = {"name": "Jean Dupont", "email": "jean@example.org", "address": {"country": "FR"}}
    sbom = load_sbom(_doc({"authors": [person]}))
    (party,) = sbom.components[0].parties
    assert (party.role, party.name, party.is_person, party.country) == ("author", "Jean Dupont", True, None)
    assert party.emails == ("jean@example.org",)
    assert sbom.notes[PERSON_ADDRESS_NOTE] == 1
    org = {"name": "Example SAS", "address": {"country": "FR"}}
    sbom = load_sbom(_doc({"manufacturer": org, "authors": [{"name": "Jean Dupont"}]}))
    manufacturer, author = sbom.components[0].parties
    assert (manufacturer.country, author.country) == ("FR", None)
    assert PERSON_ADDRESS_NOTE not in sbom.notes
