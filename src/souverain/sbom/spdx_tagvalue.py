"""SPDX 2.2/2.3 tag-value reader: lines to SPDX-JSON-shaped dicts, then the shared SPDX walk.

Handles UTF-8 (with or without BOM) and UTF-16/32 with a BOM, CRLF line endings, comments and
``<text>…</text>`` values spanning several lines (their content is never read as tags).
"""

from __future__ import annotations

from typing import Any

from souverain.errors import InputError, UnsupportedFormatError
from souverain.model import ParsedSbom, SbomFormat
from souverain.sbom._common import Collector, decode_text
from souverain.sbom._spdx import SpdxWalker, line_loc
from souverain.sbom.detect import SPDX_VERSIONS

# tag-value package tag → SPDX JSON key
_PACKAGE_TAGS = {
    "PackageVersion": "versionInfo",
    "PackageSupplier": "supplier",
    "PackageOriginator": "originator",
    "PackageDownloadLocation": "downloadLocation",
    "PackageHomePage": "homepage",
    "PackageLicenseConcluded": "licenseConcluded",
    "PackageLicenseDeclared": "licenseDeclared",
    "PackageCopyrightText": "copyrightText",
    "PackageDescription": "description",
    "PackageSummary": "summary",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
}


def _logical_lines(text: str, col: Collector) -> list[tuple[int, str, str]]:
    """``(line number, tag, value)`` for every tag, with multi-line ``<text>`` values joined."""
    out: list[tuple[int, str, str]] = []
    lines = text.splitlines()
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        tag, sep, value = line.partition(":")
        if not sep:
            col.skip(f"line {i}", "not a 'Tag: value' line")
            continue
        start = i
        value = value.strip()
        if value.startswith("<text>"):
            body = value[len("<text>") :]
            parts: list[str] = []
            while "</text>" not in body:
                parts.append(body)
                if i >= n:
                    raise InputError(col.path, "<text> value never closed", location=f"line {start}")
                body = lines[i]
                i += 1
            parts.append(body[: body.index("</text>")])
            value = "\n".join(parts).strip()
        out.append((start, tag.strip(), value))
    return out


def to_document(text: str, col: Collector) -> dict[str, Any]:
    """Build the SPDX-JSON-shaped dict of a tag-value document."""
    doc: dict[str, Any] = {"packages": [], "files": [], "relationships": [], "creationInfo": {"creators": []}}
    current: dict[str, Any] = doc
    section = "document"
    for line, tag, value in _logical_lines(text, col):
        if tag == "PackageName":
            current = {"name": value, "_line": line}
            doc["packages"].append(current)
            section = "package"
        elif tag in ("FileName", "SnippetSPDXID"):
            current = {"_line": line}
            doc["files"].append(current)
            section = "file"
            if tag == "SnippetSPDXID":
                current["SPDXID"] = value
        elif tag == "LicenseID":
            current = {"licenseId": value, "_line": line}
            doc.setdefault("hasExtractedLicensingInfos", []).append(current)
            section = "licence"
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) < 3:
                col.skip(f"line {line}", "Relationship needs 'element TYPE target'")
                continue
            doc["relationships"].append(
                {"spdxElementId": parts[0], "relationshipType": parts[1], "relatedSpdxElement": parts[2],
                 "_line": line}
            )
        elif tag == "SPDXID":
            current["SPDXID"] = value
        elif section == "licence":
            # after the Relationship test: writers (spdx-tools, lib4sbom) put the relationships
            # after the extracted licences, with no tag closing the licence section
            if tag == "LicenseName":
                current["name"] = value
            elif tag == "ExtractedText":
                current["extractedText"] = value
        elif section == "document":
            if tag == "SPDXVersion":
                doc["spdxVersion"] = value
            elif tag == "DocumentName":
                doc["name"] = value
            elif tag == "DocumentNamespace":
                doc["documentNamespace"] = value
            elif tag == "Creator":
                doc["creationInfo"]["creators"].append(value)
            elif tag == "Created":
                doc["creationInfo"]["created"] = value
        elif section == "package":
            if tag in _PACKAGE_TAGS:
                current[_PACKAGE_TAGS[tag]] = value
            elif tag == "PackageChecksum":
                alg, _, digest = value.partition(":")
                current.setdefault("checksums", []).append(
                    {"algorithm": alg.strip(), "checksumValue": digest.strip()}
                )
            elif tag == "ExternalRef":
                parts = value.split(None, 2)
                if len(parts) == 3:
                    current.setdefault("externalRefs", []).append(
                        {"referenceCategory": parts[0], "referenceType": parts[1],
                         "referenceLocator": parts[2]}
                    )
                else:
                    col.skip(f"line {line}", "ExternalRef needs 'CATEGORY TYPE LOCATOR'")
    return doc


def parse_spdx_tagvalue(raw: bytes, *, path: str, sha256: str) -> ParsedSbom:
    """Read an SPDX tag-value document. Locations and ``line`` are 1-based line numbers."""
    walker = SpdxWalker(path, line_loc)
    doc = to_document(decode_text(raw, path), walker.col)
    raw_version = doc.get("spdxVersion", "")
    version = raw_version.removeprefix("SPDX-")
    if version not in SPDX_VERSIONS:
        raise UnsupportedFormatError(path, f"SPDX version {raw_version!r} is not supported")
    return walker.run(doc, SbomFormat.SPDX_TAGVALUE, version, sha256)
