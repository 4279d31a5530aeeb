"""What load_sbom accepts around the document itself: compressed files, and JSON whose format
keys sit neither in the head nor in the tail of the file."""

from __future__ import annotations

import bz2
import codecs
import gzip
import hashlib
import lzma
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from souverain.errors import InputError, NotAnSbomError
from souverain.sbom import load_sbom
from souverain.sbom.validate import validate_schema

from tests.conftest import fixture_path

QUARKUS = "cdx-1.4_quarkus_maven.json"
TAGVALUE = "spdx-2.3_tools-python-example.spdx"


@pytest.mark.parametrize("fixture", [QUARKUS, TAGVALUE, "cdx-1.6_jabref_gradle.xml"])
@pytest.mark.parametrize(
    "compress", [gzip.compress, lzma.compress, bz2.compress], ids=["gzip", "xz", "bzip2"]
)
def test_a_compressed_sbom_reads_as_the_plain_one(
    tmp_path: Path, fixture: str, compress: Callable[[bytes], bytes]
) -> None:
    plain = fixture_path(fixture)
    packed = tmp_path / (plain.name + ".packed")
    packed.write_bytes(compress(plain.read_bytes()))
    a, b = load_sbom(plain), load_sbom(packed)
    assert b.format == a.format
    assert b.components == a.components
    assert b.edges == a.edges
    assert b.root == a.root
    assert b.path == str(packed)
    assert b.sha256 == hashlib.sha256(packed.read_bytes()).hexdigest()  # the file as given


def test_a_truncated_gzip_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "sbom.json.gz"
    broken.write_bytes(gzip.compress(fixture_path(QUARKUS).read_bytes())[:200])
    with pytest.raises(InputError) as err:
        load_sbom(broken)
    assert err.value.path == str(broken)
    assert "gzip-compressed, but cannot be decompressed" in str(err.value)


def test_validate_reads_a_compressed_sbom(tmp_path: Path) -> None:
    component = {"type": "library", "name": "x", "version": "1", "purl": "pkg:npm/x@1"}
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "version": 1,
        "components": [component],
    }
    packed = tmp_path / "sbom.cdx.json.gz"
    packed.write_bytes(gzip.compress(orjson.dumps(doc)))
    assert validate_schema(packed) == []
    component["type"] = "no-such-type"  # schema validation still sees the document
    packed.write_bytes(gzip.compress(orjson.dumps(doc)))
    assert validate_schema(packed)


def _middle_keyed(components: int, dependencies: int) -> bytes:
    """A CycloneDX JSON document whose top-level keys sit between two large arrays: the
    components first, then bomFormat and specVersion, then the dependencies."""
    comps = [
        {"type": "library", "bom-ref": f"c{i}", "name": f"lib{i}", "purl": f"pkg:npm/lib{i}@1.0.0"}
        for i in range(components)
    ]
    deps = [{"ref": f"c{i}", "dependsOn": [f"c{(i + 1) % components}"]} for i in range(dependencies)]
    text = orjson.dumps({"components": comps}).decode()[:-1]
    text += ', "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, '
    text += orjson.dumps({"dependencies": deps}).decode()[1:]
    return text.encode()


def test_json_format_keys_between_two_large_arrays_are_found() -> None:
    raw = _middle_keyed(2000, 2000)
    head, tail = raw[: 64 * 1024], raw[-64 * 1024 :]
    assert b"bomFormat" not in head  # the case: neither end says what the document is
    assert b"bomFormat" not in tail
    sbom = load_sbom(raw, name="middle.json")
    assert sbom.spec_version == "1.5"
    assert len(sbom.components) == 2000
    assert len(sbom.edges) == 2000


def test_large_json_without_format_keys_is_still_not_an_sbom() -> None:
    raw = _middle_keyed(2000, 2000).replace(b'"bomFormat": "CycloneDX", ', b"")
    with pytest.raises(NotAnSbomError, match="neither CycloneDX nor SPDX"):
        load_sbom(raw, name="other.json")


def test_a_souverain_report_is_named_as_such() -> None:
    """Giving last night's JSON report instead of the SBOM gets a message saying what it is."""
    from souverain.pipeline import audit
    from souverain.report import REPORTERS
    from souverain.report.base import BytesReporter, RenderOptions

    result = audit(fixture_path(QUARKUS), reproducible=True).result
    reporter = REPORTERS["json"]
    assert isinstance(reporter, BytesReporter)
    report = reporter.render_bytes(result, RenderOptions(reproducible=True))
    assert len(report) > 128 * 1024  # the tool's name is in the tail only
    with pytest.raises(NotAnSbomError, match="a souverain JSON report, not an SBOM"):
        load_sbom(report, name="last-night.json")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8-sig"])
@pytest.mark.parametrize("fixture", [QUARKUS, TAGVALUE])
def test_unicode_encodings_with_a_byte_order_mark(fixture: str, encoding: str) -> None:
    """JSON and tag-value in UTF-16 or UTF-32 with their byte-order mark read as the UTF-8 file
    (a UTF-32 LE mark starts with the UTF-16 LE one: it must not be taken for it)."""
    plain = fixture_path(fixture)
    text = plain.read_text(encoding="utf-8")
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
        "utf-8-sig": b"",
    }[encoding]
    raw = bom + text.encode(encoding)
    a, b = load_sbom(plain), load_sbom(raw, name=f"sbom.{encoding}")
    assert b.format == a.format
    assert b.components == a.components
    assert b.edges == a.edges


def test_a_decompression_bomb_is_refused() -> None:
    """A small file that expands past the limit is refused before it exhausts memory."""
    from souverain.sbom.detect import decompressed

    bomb = gzip.compress(b" " * (2 << 20))  # 2 MiB of spaces in about 2 KB
    assert len(bomb) < 10_000
    with pytest.raises(InputError, match="expands past"):
        decompressed(bomb, name="bomb.json.gz", limit=1 << 20)
    assert len(decompressed(bomb, name="bomb.json.gz", limit=4 << 20)) == 2 << 20


@pytest.mark.parametrize(
    "compress", [gzip.compress, lzma.compress, bz2.compress], ids=["gzip", "xz", "bzip2"]
)
def test_concatenated_members_are_one_document(compress: Callable[[bytes], bytes]) -> None:
    """`cat a.gz b.gz` is a valid gzip file holding both parts (likewise xz and bzip2 streams)."""
    raw = fixture_path(QUARKUS).read_bytes()
    half = len(raw) // 2
    packed = compress(raw[:half]) + compress(raw[half:])
    assert load_sbom(packed, name="two.json.gz").components == load_sbom(raw, name="one.json").components
