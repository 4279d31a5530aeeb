"""CycloneDX JSON 1.1–1.7 reader: orjson, then a direct walk of the dicts."""

from __future__ import annotations

from souverain.errors import NotAnSbomError
from souverain.model import ParsedSbom, SbomFormat
from souverain.sbom._cyclonedx import CycloneDxWalker, check_version, json_loc
from souverain.sbom._json import load_json


def parse_cyclonedx_json(raw: bytes, *, path: str, sha256: str) -> ParsedSbom:
    """Read a CycloneDX JSON document. Locations are JSON pointers; ``line`` is left None."""
    doc = load_json(raw, path)
    if doc.get("bomFormat") not in ("CycloneDX", None):
        raise NotAnSbomError(path, f"bomFormat is {doc.get('bomFormat')!r}, not 'CycloneDX'")
    version = doc.get("specVersion")
    version = version if isinstance(version, str) else ""
    check_version(path, version)
    return CycloneDxWalker(path, json_loc, "").run(doc, SbomFormat.CYCLONEDX_JSON, version, sha256)
