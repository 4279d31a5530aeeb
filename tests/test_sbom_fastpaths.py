"""The CycloneDX reader's fast paths give exactly what its careful paths give.

The walker reads the usual shapes through shortcuts (the usual component inline in its list
loop, licence lists memoised by their JSON text, the single hash, a dependencies section of
plain refs, purls of a verified type); :class:`CarefulWalker` turns every one of them off.
Both read the same documents (the fixture corpus, then generated ones where every field may
have the wrong type, repeat a value or be missing), each its own copy since the walk consumes
the lists it reads, and must return equal ``ParsedSbom`` values.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from souverain.model import DeclaredLicense, ParsedSbom, SbomFormat
from souverain.sbom._cyclonedx import CycloneDxWalker, Locations, json_loc, xml_loc
from souverain.sbom.purls import PurlCache, PurlParts

from tests.conftest import corpus_files


class SlowPurls(PurlCache):
    """Every purl through packageurl-python (no fast path)."""

    def parse(self, text: str) -> PurlParts | None:
        return self._slow(text)


class CarefulWalker(CycloneDxWalker):
    """Every fast path of the walker turned off."""

    inline = False

    def __init__(self, path: str, loc: Locations, top: str) -> None:
        super().__init__(path, loc, top)
        self.purls = self.col.purls = SlowPurls()

    def _licenses(self, value: Any, loc: str) -> tuple[DeclaredLicense, ...]:
        return self._licenses_careful(value, loc)

    def _plain_dependencies(self, deps: list[Any]) -> int | None:
        return None


def _read(doc: dict[str, Any], walker: type[CycloneDxWalker], loc: Locations = json_loc) -> ParsedSbom:
    # the walk consumes the lists it reads: each walker gets its own copy
    return walker("<doc>", loc, "" if loc is json_loc else "/bom").run(
        copy.deepcopy(doc), SbomFormat.CYCLONEDX_JSON, "1.6", "0" * 64
    )


def _same(doc: dict[str, Any]) -> None:
    for loc in (json_loc, xml_loc):
        fast, careful = _read(doc, CycloneDxWalker, loc), _read(doc, CarefulWalker, loc)
        assert fast == careful
        assert repr(fast) == repr(careful)  # also the order of skipped entries, notes, edges


CDX_JSON = [p for p in corpus_files() if p.name.startswith("cdx-") and p.suffix == ".json"]


@pytest.mark.parametrize("path", CDX_JSON, ids=[p.name for p in CDX_JSON])
def test_fast_and_careful_agree_on_the_corpus(path: Path) -> None:
    _same(orjson.loads(path.read_bytes()))


# Generated documents: every field usually of the right shape, sometimes of any JSON type;
# strings drawn from small pools so that values repeat (memoised licence lists, purl cache).
TEXTS = ["MIT", " MIT ", "Apache-2.0", "", "  ", "GPL-2.0-only OR MIT", "Acme Corp", "https://x.example"]
PURLS = [
    "pkg:npm/a@1.0.0",
    "pkg:npm/%40s/b@2",
    "pkg:pypi/Django_X@1",
    "pkg:deb/debian/c@1?arch=amd64&distro=d",
    "pkg:maven/o.a/b@1?type=jar&classifier=x",
    "pkg:maven/o.a/b@1?classifier=x&type=jar",
    "not a purl",
    "pkg:oci/n@SHA256-AB",
    "pkg:golang/github.com/x/y@v1.2.3",
    "",
    "pkg:npm//a@1",
]
REFS = ["a", "b", "c", "pkg:npm/a@1.0.0", ""]
LICENCE_TEXTS = ["MIT", " MIT ", "", "GPL-2.0-only OR MIT"]


class Gen:
    """Builds one document from a seeded Random."""

    def __init__(self, rnd: random.Random) -> None:
        self.r = rnd
        self.licence_texts = rnd.sample(LICENCE_TEXTS, rnd.randint(1, 2))  # repeated in the document

    def junk(self) -> Any:
        r = self.r
        return r.choice(
            [
                None,
                True,
                False,
                0,
                1,
                -1,
                0.5,
                r.choice(TEXTS),
                [],
                [r.choice(TEXTS)],
                {},
                {"name": 1},
                {"ref": "a"},
            ]
        )

    def maybe(self, make: Any) -> Any:
        return make() if self.r.random() < 0.85 else self.junk()

    def text(self) -> Any:
        return self.maybe(lambda: self.r.choice(TEXTS))

    def items(self, make: Any, most: int) -> Any:
        return self.maybe(lambda: [make() for _ in range(self.r.randint(0, most))])

    def fields(self, spec: dict[str, Any], keep: float = 0.5) -> dict[str, Any]:
        return {k: make() for k, make in spec.items() if self.r.random() < keep}

    def licence(self) -> Any:
        r = self.r
        kind = r.randrange(4)
        if kind == 0:
            return self.maybe(lambda: {"expression": self.maybe(lambda: r.choice(self.licence_texts))})
        if kind == 1:
            return self.maybe(
                lambda: {
                    "license": self.maybe(lambda: {"id": self.maybe(lambda: r.choice(self.licence_texts))})
                }
            )
        if kind == 2:
            return {"license": self.fields({"id": self.text, "name": self.text, "url": self.text})}
        return {"expression": self.text(), "license": {"id": self.text()}}

    def licences(self) -> Any:
        return self.maybe(
            lambda: (
                [self.licence()]
                if self.r.random() < 0.7
                else [self.licence() for _ in range(self.r.randint(0, 3))]
            )
        )

    def org(self) -> Any:
        return self.maybe(
            lambda: self.fields(
                {
                    "name": self.text,
                    "url": lambda: self.items(self.text, 2),
                    "email": self.text,
                    "contact": lambda: self.items(lambda: self.maybe(lambda: {"email": self.text()}), 2),
                    "address": lambda: self.maybe(lambda: {"country": self.text()}),
                }
            )
        )

    def component(self, depth: int = 0) -> Any:
        r = self.r
        spec = {
            "bom-ref": lambda: self.maybe(lambda: r.choice(REFS)),
            "purl": lambda: self.maybe(lambda: r.choice(PURLS)),
            "version": self.text,
            "group": self.text,
            "type": self.text,
            "scope": self.text,
            "description": self.text,
            "copyright": self.text,
            "cpe": self.text,
            "_line": self.junk,
            "licenses": self.licences,
            "hashes": lambda: self.items(
                lambda: self.maybe(lambda: self.fields({"alg": self.text, "content": self.text}, 0.8)), 2
            ),
            "externalReferences": lambda: self.items(
                lambda: self.maybe(lambda: self.fields({"type": self.text, "url": self.text}, 0.8)), 2
            ),
            "endpoints": lambda: self.items(self.text, 2),
            "properties": lambda: self.items(
                lambda: self.maybe(lambda: self.fields({"name": self.text, "value": self.text}, 0.8)), 2
            ),
            "supplier": self.org,
            "manufacturer": self.org,
            "provider": self.org,
            "publisher": self.text,
            "author": self.text,
            "authors": lambda: self.items(self.org, 2),
        }
        if depth < 2:
            spec["components"] = lambda: self.items(lambda: self.component(depth + 1), 2)
        licences = {"licenses": self.licences()} if r.random() < 0.7 else {}
        return self.maybe(lambda: {"name": self.text(), **licences, **self.fields(spec, 0.3)})

    def dependency(self) -> Any:
        r = self.r
        return self.maybe(
            lambda: {
                "ref": self.maybe(lambda: r.choice(REFS)),
                **self.fields(
                    {
                        "dependsOn": lambda: self.items(
                            lambda: r.choice([r.choice(REFS), r.choice(REFS), {"ref": "a"}, 3]), 3
                        ),
                        "provides": lambda: self.items(lambda: r.choice(REFS), 2),
                    }
                ),
            }
        )

    def document(self) -> dict[str, Any]:
        return {
            "components": self.items(self.component, 12),
            "dependencies": self.items(self.dependency, 6),
            **self.fields({"services": lambda: self.items(self.component, 2)}, 0.3),
        }


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_fast_and_careful_agree_on_generated_documents(rnd: random.Random) -> None:
    _same(Gen(rnd).document())


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.sampled_from(["", "/bom", "/x/components/2"]),
            st.sampled_from(["components", "services", "authors", "other"]),
            st.integers(0, 12),
        )
    )
)
def test_locations_of_a_list_are_the_locations_of_its_items(cases: list[tuple[bool, str, str, int]]) -> None:
    for xml, base, key, count in cases:
        loc = xml_loc if xml else json_loc
        assert loc.items(base, key, count) == [loc(base, key, i) for i in range(count)]
    assert json_loc("", "components", 3) == "/components/3"
    assert xml_loc("/bom", "components", 3) == "/bom/components/component[4]"


def test_refs_of_components_without_a_bom_ref_are_unique() -> None:
    # the refs read so far are only gathered when a component has no bom-ref (known_refs)
    purl = "pkg:npm/a@1.0.0"
    doc = {
        "metadata": {"component": {"name": "root", "bom-ref": "pkg:npm/r@1", "purl": "pkg:npm/r@1"}},
        "components": [
            {"name": "a", "bom-ref": purl},
            {"name": "b", "purl": purl},  # its purl is already a ref
            {"name": "c", "purl": "pkg:npm/c@1", "components": [{"name": "d", "purl": "pkg:npm/c@1"}]},
            {"name": "e", "purl": "pkg:npm/r@1"},  # the root's
            {"name": "f", "purl": "pkg:npm/f@1"},
        ],
    }
    sbom = _read(doc, CycloneDxWalker)
    assert [c.ref for c in sbom.components] == [
        purl,
        "souverain:/components/1",
        "pkg:npm/c@1",
        "souverain:/components/3",
        "pkg:npm/f@1",
        "souverain:/components/2/components/0",
    ]
    assert sbom == _read(doc, CarefulWalker)


def test_the_walk_consumes_the_lists_it_reads() -> None:
    nested: list[Any] = [{"name": "b"}]
    doc: dict[str, Any] = {"components": [{"name": "a", "components": nested}], "services": [{"name": "s"}]}
    sbom = CycloneDxWalker("<doc>", json_loc, "").run(doc, SbomFormat.CYCLONEDX_JSON, "1.6", "0" * 64)
    assert [c.name for c in sbom.components] == ["a", "b", "s"]
    assert doc["components"] == [None]
    assert nested == [None]
    assert doc["services"] == [None]
