"""Identify an SBOM's format and spec version from the head of the file (sniff, then decode).

Detection looks at content, never at the file name: a JSON object with ``bomFormat`` /
``spdxVersion``, an XML root ``bom`` in a CycloneDX namespace, or a tag-value ``SPDXVersion:``
line; a JSON-LD ``@context`` naming ``spdx.org/rdf/3.0.x`` for SPDX 3.0. "Recognised but not
supported" (CycloneDX 2.0, SPDX 3.1 or pre-3.0 JSON-LD, SPDX RDF) raises
:class:`~souverain.errors.UnsupportedFormatError`; anything else raises
:class:`~souverain.errors.NotAnSbomError`.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import re
import zlib

from souverain.errors import InputError, NotAnSbomError, UnsupportedFormatError
from souverain.model import SbomFormat

HEAD_SIZE = 64 * 1024
"""How many bytes :func:`identify` needs to see (more is accepted, and ignored)."""

CYCLONEDX_VERSIONS = frozenset({"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"})
SPDX_VERSIONS = frozenset({"2.2", "2.3"})
SPDX3_VERSIONS = frozenset({"3.0.0", "3.0.1"})
#: SPDX 3 versions a JSON-LD ``@context`` may name: the published 3.0.0 and 3.0.1 contexts, and
#: ``3.0`` (no such context is published, but some writers name it for 3.0.x documents)
_SPDX3_CONTEXTS = SPDX3_VERSIONS | {"3.0"}

_CDX_NS = "http://cyclonedx.org/schema/bom/"
_JSON_BOM_FORMAT = re.compile(rb'"bomFormat"\s*:\s*"([^"]*)"')
_JSON_SPEC_VERSION = re.compile(rb'"specVersion"\s*:\s*"([^"]*)"')
_JSON_SPDX_VERSION = re.compile(rb'"spdxVersion"\s*:\s*"([^"]*)"')
_XML_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)([^>]*)>")
_XML_NS = re.compile(r"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']""")
_SOUVERAIN_REPORT = re.compile(rb'"tool"\s*:\s*\{\s*"name"\s*:\s*"souverain"')
_JSONLD_SPDX = re.compile(rb"spdx\.org/rdf/(\d+(?:\.\d+)*)/")
_CONTEXT_SPDX = re.compile(r"spdx\.org/rdf/(\d+(?:\.\d+)*)/")
_TV_VERSION = re.compile(r"^\s*SPDXVersion\s*:\s*(\S*)", re.MULTILINE)
# SPDX YAML (spdx-tools, lib4sbom): the JSON keys as YAML mapping keys; spdxVersion (lower-case
# s, unlike the tag-value SPDXVersion) often sorted after the packages
_YAML_SPDX_VERSION = re.compile(r"""^spdxVersion:\s*['"]?SPDX-""", re.MULTILINE)
_YAML_SPDX = re.compile(
    r"""^spdxVersion:\s*['"]?SPDX-|^SPDXID:\s*['"]?SPDXRef-DOCUMENT['"]?\s*$\n(?:creationInfo|dataLicense):""",
    re.MULTILINE,
)


_COMPRESSED = ((b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"BZh", "bzip2"))


def _reader(kind: str, raw: bytes) -> gzip.GzipFile | lzma.LZMAFile | bz2.BZ2File:
    """A stream of the decompressed bytes (every member or stream, one after the other)."""
    if kind == "gzip":
        return gzip.GzipFile(fileobj=io.BytesIO(raw))
    if kind == "xz":
        return lzma.LZMAFile(io.BytesIO(raw))
    return bz2.BZ2File(io.BytesIO(raw))


MAX_DECOMPRESSED = 4 << 30
"""The most a compressed SBOM may expand to (4 GiB): past it, a small file that expands without
end (a decompression bomb) is refused instead of exhausting the machine's memory."""


def decompressed(raw: bytes, *, name: str, limit: int = MAX_DECOMPRESSED) -> bytes:
    """The SBOM inside a gzip, xz or bzip2 file (``sbom.cdx.json.gz``, as CI jobs store them);
    ``raw`` itself otherwise. Recognised by the magic bytes, never by the name; concatenated
    members or streams are read as one. Raises :class:`~souverain.errors.InputError` naming the
    file when it cannot be decompressed or expands past ``limit`` bytes."""
    for magic, kind in _COMPRESSED:
        if raw.startswith(magic) and (kind != "bzip2" or raw[3:4].isdigit()):
            try:
                with _reader(kind, raw) as stream:
                    data = stream.read(limit + 1)
            except (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error) as exc:
                raise InputError(name, f"{kind}-compressed, but cannot be decompressed: {exc}") from None
            except MemoryError:
                raise InputError(name, f"{kind}-compressed, too large to decompress in memory") from None
            if len(data) > limit:
                raise InputError(
                    name, f"{kind}-compressed, and expands past {limit:,} bytes: refused (not an SBOM)"
                )
            return data
    return raw


# Byte-order marks, UTF-32 before UTF-16 (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _encoding(head: bytes) -> tuple[str, int]:
    """The encoding a file's byte-order mark names (UTF-8 without one) and the mark's length."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return "utf-8", 0


def decode_head(head: bytes) -> str:
    """Decode the head of a file for sniffing: honour a UTF-8/UTF-16/UTF-32 BOM, else UTF-8,
    replacing undecodable bytes (the head may end in the middle of a character)."""
    encoding, skip = _encoding(head)
    return head[skip:].decode(encoding, errors="replace")


def _looks_binary(text: str) -> bool:
    """True when the decoded head holds NUL bytes or mostly non-text characters."""
    if "\x00" in text:
        return True
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad > max(8, len(sample) // 20)


def _check_cyclonedx(version: str, name: str, fmt: SbomFormat) -> tuple[SbomFormat, str]:
    if version and version not in CYCLONEDX_VERSIONS:
        raise UnsupportedFormatError(
            name,
            f"CycloneDX {version} is not supported (supported: "
            f"{', '.join(sorted(CYCLONEDX_VERSIONS))})",
            location="specVersion",
        )
    return fmt, version


def _check_spdx(raw_version: str, name: str, fmt: SbomFormat) -> tuple[SbomFormat, str]:
    version = raw_version.removeprefix("SPDX-")
    if version.startswith("3"):
        raise UnsupportedFormatError(
            name, f"{raw_version}: SPDX 3 is read as JSON-LD only (a @context naming spdx.org/rdf/3.0.x)"
        )
    if version not in SPDX_VERSIONS:
        raise UnsupportedFormatError(
            name,
            f"SPDX version {raw_version!r} is not supported (supported: SPDX-2.2, SPDX-2.3)",
            location="spdxVersion" if fmt is SbomFormat.SPDX_JSON else None,
        )
    return fmt, version


def spdx3_context_version(context: object, *, any_version: bool = False) -> str | None:
    """The SPDX 3 version a JSON-LD ``@context`` names (a URL, a list of them, or an inline
    context whose prefixes point at ``spdx.org/rdf/3.0.1/terms/``): ``"3.0.1"``, ``"3.0.0"`` or
    ``"3.0"``; None when it names none of these (``any_version``: any ``spdx.org/rdf/X/``)."""
    stack = [context]
    budget = 10_000  # an inline context is small; a huge one is not looked at further
    while stack and budget > 0:
        item = stack.pop()
        budget -= 1
        if isinstance(item, str):
            m = _CONTEXT_SPDX.search(item)
            if m is not None and (any_version or m.group(1) in _SPDX3_CONTEXTS):
                return m.group(1)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return None


def _check_spdx3(data: bytes, name: str) -> tuple[SbomFormat, str]:
    """A JSON-LD document naming ``spdx.org/rdf/…``: SPDX 3.0.x is read, others are refused."""
    versions = [m.group(1).decode() for m in _JSONLD_SPDX.finditer(data)]
    for version in versions:
        if version in _SPDX3_CONTEXTS:
            return SbomFormat.SPDX3_JSON, version
    if versions:
        raise UnsupportedFormatError(
            name,
            f"SPDX {versions[0]} (JSON-LD) is not supported (supported: SPDX 3.0.0, 3.0.1)",
            location="@context",
        )
    raise UnsupportedFormatError(
        name,
        "a JSON-LD document with SPDX terms but no SPDX 3.0 context (such as spdx-tools' "
        "pre-3.0 prototype) is not supported (supported: SPDX 3.0.0, 3.0.1)",
        location="@context",
    )


def _identify_json(head: bytes, text: str, name: str, tail: str) -> tuple[SbomFormat, str]:
    data = text.encode("utf-8", errors="replace") if not head.lstrip().startswith(b"{") else head
    if tail and _JSON_BOM_FORMAT.search(data) is None and _JSON_SPDX_VERSION.search(data) is None:
        # Neither marker in the head: writers that put the top-level keys after the components
        # (cyclonedx-py: "components" first, "bomFormat" and "specVersion" last) hide them
        # beyond the head of a large file. The end of the file says what it is.
        data = data + b"\n" + tail.encode("utf-8", errors="replace")
    fmt = _JSON_BOM_FORMAT.search(data)
    if fmt is not None:
        if fmt.group(1) != b"CycloneDX":
            raise NotAnSbomError(name, f"unknown bomFormat {fmt.group(1).decode(errors='replace')!r}")
        spec = _JSON_SPEC_VERSION.search(data)
        version = spec.group(1).decode(errors="replace") if spec else ""
        return _check_cyclonedx(version, name, SbomFormat.CYCLONEDX_JSON)
    spdx = _JSON_SPDX_VERSION.search(data)
    if spdx is not None:
        return _check_spdx(spdx.group(1).decode(errors="replace"), name, SbomFormat.SPDX_JSON)
    if b'"@context"' in data and b"spdx.org/rdf/" in data:
        return _check_spdx3(data, name)
    if b'"SPDXID"' in data and b'"SPDXRef-' in data:
        # SPDX JSON with sorted keys: spdxVersion may come after the head; the parser checks it.
        return SbomFormat.SPDX_JSON, ""
    if b'"specVersion"' in data and b'"components"' in data:
        # CycloneDX without bomFormat: read it, the parser checks the version again.
        spec = _JSON_SPEC_VERSION.search(data)
        version = spec.group(1).decode(errors="replace") if spec else ""
        return _check_cyclonedx(version, name, SbomFormat.CYCLONEDX_JSON)
    if _SOUVERAIN_REPORT.search(data):
        raise NotAnSbomError(
            name, "a souverain JSON report, not an SBOM (a previous report is read with --baseline)"
        )
    raise NotAnSbomError(name, "a JSON document, but neither CycloneDX nor SPDX")


def _identify_xml(text: str, name: str) -> tuple[SbomFormat, str]:
    root = _XML_ROOT.search(text)
    if root is None:
        raise NotAnSbomError(name, "an XML document without a root element in its first bytes")
    tag, attrs = root.group(1), root.group(2)
    namespaces = _XML_NS.findall(attrs)
    local = tag.rpartition(":")[2]
    for ns in namespaces:
        if ns.startswith(_CDX_NS) and local == "bom":
            return _check_cyclonedx(ns[len(_CDX_NS) :], name, SbomFormat.CYCLONEDX_XML)
    if local == "RDF" and any("spdx.org/rdf" in ns for ns in namespaces):
        raise UnsupportedFormatError(name, "SPDX RDF/XML is not supported")
    if local == "bom":
        raise UnsupportedFormatError(name, "an XML <bom> outside the CycloneDX namespace")
    raise NotAnSbomError(name, f"an XML document whose root <{tag}> is not a CycloneDX <bom>")


def _decode_tail(head: bytes, tail: bytes) -> str:
    """Decode the last bytes of a file in the encoding the head's BOM names (UTF-8 without
    one), replacing what cannot be decoded (the tail may start inside a character)."""
    return tail.decode(_encoding(head)[0], errors="replace")


def identify(head: bytes, *, name: str, tail: bytes = b"") -> tuple[SbomFormat, str]:
    """Return ``(format, spec_version)`` from the first bytes of a file (64 KiB are plenty).

    ``tail``: the last bytes of a file longer than the head (``b""`` otherwise), looked at
    only when the head holds no format marker (JSON whose top-level keys come after the
    components; SPDX YAML with ``spdxVersion`` sorted last).

    ``spec_version`` is ``"1.6"``, ``"2.3"``…, or ``""`` when the version was not in the head
    (the parser then reads it from the whole document). Raises ``NotAnSbomError`` or
    ``UnsupportedFormatError`` naming the file ``name``.
    """
    if not head.strip():
        raise NotAnSbomError(name, "empty file" if not head else "the file holds only whitespace")
    text = decode_head(head[:HEAD_SIZE])
    tail_text = _decode_tail(head, tail[-HEAD_SIZE:]) if tail else ""
    stripped = text.lstrip()
    if not stripped:
        raise NotAnSbomError(name, "the file holds only whitespace")
    if _looks_binary(text):
        raise NotAnSbomError(name, "binary content, not a text SBOM")
    first = stripped[0]
    if first in "{[":
        if first == "[":
            raise NotAnSbomError(name, "a JSON array, not an SBOM document")
        return _identify_json(head[:HEAD_SIZE], text, name, tail_text)
    if first == "<":
        return _identify_xml(stripped, name)
    tv = _TV_VERSION.search(text)
    if tv is not None:
        return _check_spdx(tv.group(1), name, SbomFormat.SPDX_TAGVALUE)
    if _YAML_SPDX.search(text) or _YAML_SPDX_VERSION.search(tail_text):
        raise UnsupportedFormatError(
            name,
            "SPDX YAML is not supported: convert it to SPDX JSON or tag-value first "
            "(for example with spdx-tools: pyspdxtools -i FILE.yaml -o FILE.json)",
        )
    raise NotAnSbomError(name, "not a CycloneDX (JSON/XML) or SPDX (JSON/tag-value) document")
