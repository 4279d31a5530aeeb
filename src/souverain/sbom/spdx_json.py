"""SPDX 2.2/2.3 JSON reader: orjson, then the shared SPDX walk."""

from __future__ import annotations

from souverain.errors import NotAnSbomError, UnsupportedFormatError
from souverain.model import ParsedSbom, SbomFormat
from souverain.sbom._json import load_json
from souverain.sbom._spdx import SpdxWalker, json_loc_under
from souverain.sbom.detect import SPDX_VERSIONS

#: The member GitHub's dependency-graph REST API wraps its SPDX document in (``{"sbom": {…}}``):
#: the file a user saves from that API.
WRAPPER = "sbom"


def parse_spdx_json(raw: bytes, *, path: str, sha256: str) -> ParsedSbom:
    """Read an SPDX JSON document. Locations are JSON pointers (``/packages/3``).

    A document wrapped in a single ``sbom`` member (GitHub's dependency-graph API response) is
    read inside it: its locations then start with ``/sbom``, and a note says so."""
    doc = load_json(raw, path)
    base = ""
    inner = doc.get(WRAPPER)
    if "spdxVersion" not in doc and len(doc) == 1 and isinstance(inner, dict) and "spdxVersion" in inner:
        doc, base = inner, f"/{WRAPPER}"
    raw_version = doc.get("spdxVersion")
    if not isinstance(raw_version, str):
        raise NotAnSbomError(path, "no spdxVersion in the JSON document", location=f"{base}/spdxVersion")
    version = raw_version.removeprefix("SPDX-")
    if version not in SPDX_VERSIONS:
        raise UnsupportedFormatError(path, f"{raw_version} is not supported", location=f"{base}/spdxVersion")
    walker = SpdxWalker(path, json_loc_under(base))
    if base:
        note = f"top-level {WRAPPER!r} wrapper of an API response (the SPDX document inside was read)"
        walker.col.notes[note] += 1
    return walker.run(doc, SbomFormat.SPDX_JSON, version, sha256)
