"""Optional schema validation (``souverain validate``), with cyclonedx-python-lib's validators.

Not a parse step: CycloneDX JSON schema validation grows quadratically with the document (see
docs/performance.md), so the audit never runs it. SPDX documents are not schema-validated yet:
the command says so instead of pretending they are valid.
"""

from __future__ import annotations

import os
from pathlib import Path

from souverain.errors import InputError, UnsupportedFormatError
from souverain.model import SbomFormat
from souverain.sbom import identify_document
from souverain.sbom.detect import decompressed


def validate_schema(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> list[str]:
    """Every schema problem of a CycloneDX document, each naming the file and the place;
    ``[]`` when the document is valid. Raises InputError for SPDX (not supported yet) and for
    documents that are not SBOMs."""
    from cyclonedx.schema import OutputFormat, SchemaVersion
    from cyclonedx.validation import make_schemabased_validator

    if isinstance(source, bytes):
        data, label = source, name or "<stdin>"
    else:
        label = name or os.fspath(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InputError(label, f"cannot read: {exc.strerror or exc}") from exc
    data = decompressed(data, name=label)
    fmt, version = identify_document(data, name=label)
    if not version:  # not in the head of the document (keys sorted late): read it from the whole
        version = _spec_version(data, fmt)
    if fmt in (SbomFormat.SPDX_JSON, SbomFormat.SPDX_TAGVALUE, SbomFormat.SPDX3_JSON):
        raise UnsupportedFormatError(
            label, "schema validation is available for CycloneDX only (SPDX 2 and 3: not yet)"
        )
    try:
        schema = SchemaVersion.from_version(version)
    except (ValueError, KeyError) as exc:
        raise UnsupportedFormatError(label, f"no CycloneDX {version} schema to validate against") from exc
    output = OutputFormat.JSON if fmt == SbomFormat.CYCLONEDX_JSON else OutputFormat.XML
    validator = make_schemabased_validator(output, schema)
    text = data.decode("utf-8-sig", errors="replace")
    errors = validator.validate_str(text, all_errors=True)
    if errors is None:
        return []
    items = errors if not hasattr(errors, "data") else [errors]
    problems: list[str] = []
    for err in items:
        detail = getattr(err, "data", err)
        path = "/".join(str(p) for p in getattr(detail, "absolute_path", ()) or ())
        message = getattr(detail, "message", None) or str(detail)
        problems.append(f"{label}: /{path}: {message}" if path else f"{label}: {message}")
    return problems


def _spec_version(data: bytes, fmt: SbomFormat) -> str:
    """The CycloneDX ``specVersion`` (JSON) or schema namespace version (XML) of a document."""
    import re

    import orjson

    if fmt == SbomFormat.CYCLONEDX_JSON:
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError:
            return ""
        value = doc.get("specVersion") if isinstance(doc, dict) else None
        return value if isinstance(value, str) else ""
    match = re.search(rb"cyclonedx\.org/schema/bom/(\d+\.\d+)", data)
    return match.group(1).decode() if match else ""
