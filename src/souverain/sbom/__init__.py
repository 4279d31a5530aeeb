"""SBOM readers: :func:`load_sbom` identifies the format by content, then decodes it.

Formats: CycloneDX JSON and XML 1.1–1.7, SPDX 2.2/2.3 JSON and tag-value, SPDX 3.0.x JSON-LD.
See docs/formats.md
for what is read from each format and what is not.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable

from souverain.errors import InputError, NotAnSbomError, SouverainError
from souverain.model import ParsedSbom, SbomFormat
from souverain.sbom._common import gc_paused
from souverain.sbom._json import load_json
from souverain.sbom.detect import HEAD_SIZE, decode_head, decompressed, identify, spdx3_context_version

__all__ = ["identify", "identify_document", "load_sbom"]

_READERS: dict[SbomFormat, tuple[str, str]] = {
    SbomFormat.CYCLONEDX_JSON: ("souverain.sbom.cyclonedx_json", "parse_cyclonedx_json"),
    SbomFormat.CYCLONEDX_XML: ("souverain.sbom.cyclonedx_xml", "parse_cyclonedx_xml"),
    SbomFormat.SPDX_JSON: ("souverain.sbom.spdx_json", "parse_spdx_json"),
    SbomFormat.SPDX_TAGVALUE: ("souverain.sbom.spdx_tagvalue", "parse_spdx_tagvalue"),
    SbomFormat.SPDX3_JSON: ("souverain.sbom.spdx3_json", "parse_spdx3_json"),
}
"""Reader of each format, imported on first use: a JSON input then never loads lxml, an XML
input never loads the SPDX reader (tens of milliseconds, a tenth of a 10k-component run)."""


def _reader(fmt: SbomFormat) -> Callable[..., ParsedSbom]:
    module, function = _READERS[fmt]
    reader: Callable[..., ParsedSbom] = getattr(importlib.import_module(module), function)
    return reader


def _identify_whole_json(raw: bytes, name: str) -> SbomFormat | None:
    """The format of a JSON document whose head and tail name none (its top-level keys sit
    between two large arrays): its top-level keys, from the whole document (UTF-8, or UTF-16/32
    with their byte-order mark, as the readers take it). None when it is not a JSON object with
    ``bomFormat`` "CycloneDX", ``spdxVersion`` or an SPDX 3.0 ``@context`` (the head's error
    stands)."""
    if len(raw) <= 2 * HEAD_SIZE or decode_head(raw[:1024]).lstrip()[:1] != "{":
        return None  # head and tail cover the whole document (it was all seen), or not JSON
    try:
        with gc_paused():
            doc = load_json(raw, name)
    except (InputError, MemoryError, RecursionError):  # not JSON, or not an object
        return None
    if doc.get("bomFormat") == "CycloneDX":
        return SbomFormat.CYCLONEDX_JSON
    if isinstance(doc.get("spdxVersion"), str):
        return SbomFormat.SPDX_JSON
    if spdx3_context_version(doc.get("@context")) is not None:
        return SbomFormat.SPDX3_JSON
    return None


def identify_document(raw: bytes, *, name: str) -> tuple[SbomFormat, str]:
    """``(format, spec_version)`` of a whole (decompressed) document: :func:`identify` on its
    head and tail, then, for a JSON document neither end names, its top-level keys
    (``spec_version`` is then ``""``: the reader finds it). Raises as :func:`identify` does."""
    tail = raw[-HEAD_SIZE:] if len(raw) > HEAD_SIZE else b""
    try:
        return identify(raw[:HEAD_SIZE], name=name, tail=tail)
    except NotAnSbomError:
        whole = _identify_whole_json(raw, name)
        if whole is None:
            raise
        return whole, ""


def _read(source: str | os.PathLike[str], name: str) -> bytes:
    try:
        with open(source, "rb") as fh:
            return fh.read()
    except IsADirectoryError:
        raise InputError(name, "is a directory, not an SBOM file") from None
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read the file: {exc.strerror or exc}") from None


def load_sbom(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> ParsedSbom:
    """Read an SBOM from a path or from raw bytes and return what it says.

    ``name`` is what errors (and ``ParsedSbom.path``) call the input; it defaults to the path,
    or ``"<bytes>"`` for raw bytes (pass ``"<stdin>"`` when reading standard input). Raises
    :class:`~souverain.errors.NotAnSbomError`, :class:`~souverain.errors.UnsupportedFormatError`
    or :class:`~souverain.errors.InputError`, never anything else.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        label = name or "<bytes>"
    else:
        label = name or os.fspath(source)
        raw = _read(source, label)
    sha256 = hashlib.sha256(raw).hexdigest()  # of the file as given, compressed or not
    raw = decompressed(raw, name=label)
    fmt, _version = identify_document(raw, name=label)
    try:
        # The cyclic GC is paused while the document is parsed and walked: both build hundreds
        # of thousands of objects that all stay alive until the end, and each automatic
        # collection would traverse all of them again (a quarter of the time at 30k components).
        with gc_paused():
            return _reader(fmt)(raw, path=label, sha256=sha256)
    except SouverainError:
        raise
    except RecursionError:
        raise InputError(label, "the document is nested too deeply to be read") from None
    except MemoryError:
        raise InputError(label, "the document is too large to be read in memory") from None
    except Exception as exc:  # a reader bug must not become a traceback for the user
        raise InputError(label, f"unexpected error while reading ({type(exc).__name__}: {exc})") from exc
