"""SPDX documents name their own licences (``hasExtractedLicensingInfos`` / ``LicenseID``): a
package whose licence is exactly one of those ``LicenseRef-`` ids is read with the name the
document gives it, so that the licence engine can understand it."""

from __future__ import annotations

import json

from souverain.model import DeclaredLicense
from souverain.sbom import load_sbom

from tests.conftest import fixture_path

PHOTON = "spdx-2.2_photon_tern.spdx.json"


def _licences(path_or_bytes: object, ref: str) -> tuple[DeclaredLicense, ...]:
    sbom = (
        load_sbom(path_or_bytes, name="doc.spdx")
        if isinstance(path_or_bytes, bytes)
        else load_sbom(str(path_or_bytes))
    )
    comps = {c.ref: c for c in (*sbom.components, *([sbom.root] if sbom.root else []))}
    return comps[ref].licenses


def test_json_licence_refs_are_replaced_by_their_extracted_text() -> None:
    path = fixture_path(PHOTON)
    doc = json.loads(path.read_text())
    names = {e["licenseId"]: e["extractedText"] for e in doc["hasExtractedLicensingInfos"]}
    checked = 0
    for pkg in doc["packages"]:
        declared = pkg.get("licenseDeclared", "")
        if declared in names and "\n" not in names[declared]:
            lics = _licences(path, pkg["SPDXID"])
            by_field = {lic.field: lic for lic in lics}
            lic = by_field["licenseDeclared"]
            assert lic.kind == "name"
            assert lic.value == names[declared].strip()
            checked += 1
    assert checked >= 5


def test_tag_value_licence_name_is_used_and_unknown_refs_stay_as_written() -> None:
    doc = b"""SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: t
DocumentNamespace: http://example.invalid/t
Creator: Tool: test

PackageName: a
SPDXID: SPDXRef-a
PackageDownloadLocation: NOASSERTION
PackageLicenseDeclared: LicenseRef-neko

PackageName: b
SPDXID: SPDXRef-b
PackageDownloadLocation: NOASSERTION
PackageLicenseDeclared: LicenseRef-elsewhere

LicenseID: LicenseRef-neko
ExtractedText: <text>The CyberNeko Software License, Version 1.0
(C) Copyright 2002-2005, Andy Clark.  All rights reserved.</text>
LicenseName: CyberNeko License
"""
    (a,) = _licences(doc, "SPDXRef-a")
    assert (a.kind, a.value, a.field) == ("name", "CyberNeko License", "licenseDeclared")
    (b,) = _licences(doc, "SPDXRef-b")
    assert (b.kind, b.value) == ("expression", "LicenseRef-elsewhere")
