"""SPDX 2.2/2.3 JSON reader: orjson, then the shared SPDX walk."""

from __future__ import annotations

from souverain.errors import NotAnSbomError, UnsupportedFormatError
from souverain.model import ParsedSbom, SbomFormat
from souverain.sbom._json import load_json
from souverain.sbom._spdx import SpdxWalker, json_loc
from souverain.sbom.detect import SPDX_VERSIONS


def parse_spdx_json(raw: bytes, *, path: str, sha256: str) -> ParsedSbom:
    """Read an SPDX JSON document. Locations are JSON pointers (``/packages/3``)."""
    doc = load_json(raw, path)
    raw_version = doc.get("spdxVersion")
    if not isinstance(raw_version, str):
        raise NotAnSbomError(path, "no spdxVersion in the JSON document", location="/spdxVersion")
    version = raw_version.removeprefix("SPDX-")
    if version not in SPDX_VERSIONS:
        raise UnsupportedFormatError(path, f"{raw_version} is not supported", location="/spdxVersion")
    return SpdxWalker(path, json_loc).run(doc, SbomFormat.SPDX_JSON, version, sha256)
