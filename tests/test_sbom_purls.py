"""The purl fast path agrees with packageurl-python, and PurlCache never caches a wrong answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.sbom import purls
from souverain.sbom.purls import PurlCache, PurlInfo, PurlParts, fast_parse, parse_purl

SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._~-", min_size=1, max_size=8)
TYPES = st.sampled_from(
    ["npm", "maven", "pypi", "golang", "deb", "rpm", "apk", "generic", "cargo", "gem", "nuget", "github",
     "composer", "oci", "docker", "conan", "swift", "hex", "pub", "cpan", "hackage", "bitbucket", "x.y-z"]
)


@st.composite
def simple_purls(draw: st.DrawFn) -> str:
    ptype = draw(TYPES)
    segments = draw(st.lists(SEGMENT, min_size=1, max_size=4))
    if ptype == "npm" and draw(st.booleans()):
        segments = ["%40" + segments[0], *segments[1:]] if len(segments) > 1 else segments
    text = f"pkg:{ptype}/{'/'.join(segments)}"
    if draw(st.booleans()):
        text += "@" + draw(st.text(alphabet="abcXYZ0123456789._~-%+", min_size=1, max_size=8))
    quals = draw(st.dictionaries(st.sampled_from(["arch", "distro", "type", "classifier", "os"]), SEGMENT,
                                 max_size=3))
    if quals:
        keys = sorted(quals) if draw(st.booleans()) else list(quals)
        text += "?" + "&".join(f"{k}={quals[k]}" for k in keys)
    return text


@settings(max_examples=400, deadline=None, derandomize=True)
@given(simple_purls())
def test_fast_path_agrees_with_packageurl(text: str) -> None:
    fast = fast_parse(text)
    if fast is None:
        return
    assert fast == parse_purl(text)


@pytest.mark.parametrize(
    "text",
    [
        "pkg:npm/%40babel/core@7.24.7",
        "pkg:maven/org.apache.commons/commons-lang3@3.14.0?type=jar",
        "pkg:deb/debian/libc6@2.36-9~deb12u4?arch=amd64&distro=debian-12",
        "pkg:golang/github.com/pkg/errors@v0.9.1",
        "pkg:pypi/requests@2.31.0",
        "pkg:generic/acme/acme-platform@2024.6.0",
        "pkg:maven/org.slf4j/slf4j-api@1.5.6-SNAPSHOT?type=jar",
        "pkg:oci/nats-box@1.0",
    ],
)
def test_fast_path_is_taken_for_common_canonical_purls(text: str) -> None:
    fast = fast_parse(text)
    assert fast is not None
    assert fast == parse_purl(text)


@pytest.mark.parametrize(
    "text",
    [
        "pkg:NPM/Foo@1",  # uppercase: the library lowercases
        "pkg:pypi/Django_Rest@1.0",  # pypi rewrites "_" and case
        "pkg:maven/a/b@1?type=jar&classifier=x",  # unsorted qualifiers
        "pkg:npm/%40babel/helper@7#packages/x",  # subpath
        "pkg:deb/debian/curl@7.88+1",  # "+" is percent-encoded by the library
        "pkg:golang/./staging/src/k8s.io/api@(devel)",
        "pkg:oci/nats-box@SHA256-ABC",  # oci versions are lowercased
        "pkg:npm/%2540x/y@1",  # percent-encoded "%"
    ],
)
def test_fast_path_declines_what_needs_normalising(text: str) -> None:
    assert fast_parse(text) is None


def test_cache_reports_malformed_purls() -> None:
    cache = PurlCache()
    assert cache.parse("not a purl") is None
    assert "not a purl" in cache.errors
    assert cache.parse("pkg:/nothing@1") is None
    info = cache.parse("pkg:npm/%40scope/name@1.0.0")
    assert info == PurlInfo("pkg:npm/%40scope/name@1.0.0", "npm", "@scope", "name")


def test_cache_turns_the_fast_path_off_on_disagreement(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(text: str, m: object) -> PurlParts | None:
        return (text, "npm", None, "WRONG") if text.startswith("pkg:npm/") else None

    monkeypatch.setattr(purls, "_from_match", wrong)
    cache = PurlCache()
    first = cache.parse("pkg:npm/a@1")
    assert first is not None
    assert first[3] == "a"  # verified against packageurl-python, disagreement detected
    later = [cache.parse(f"pkg:npm/p{i}@1") for i in range(10)]
    assert all(p is not None and p[3] == f"p{i}" for i, p in enumerate(later))


def test_cache_trusts_a_type_after_its_first_agreeing_results() -> None:
    cache = PurlCache()
    texts = [f"pkg:npm/p{i}@1" for i in range(purls.VERIFY_PER_TYPE + 2)]
    assert [cache.parse(t) for t in texts] == [parse_purl(t) for t in texts]
    assert len(cache._cache) == purls.VERIFY_PER_TYPE  # the verified ones; then the inline path
    scoped = "pkg:npm/%40s/q@1?a=1&b=2"
    assert cache.parse(scoped) == parse_purl(scoped) == ("pkg:npm/%40s/q@1?a=1&b=2", "npm", "@s", "q")


def _reference(text: str) -> PurlParts | None:
    try:
        return parse_purl(text)
    except ValueError:
        return None


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(simple_purls() | st.sampled_from(["pkg:npm/%40/x@1", "pkg:npm//x", "nope"]), max_size=30))
def test_cache_gives_what_packageurl_gives_once_types_are_trusted(texts: list[str]) -> None:
    # each text read twice: the second reading of a trusted type takes the inline path
    cache = PurlCache()
    for text in texts + texts:
        assert cache.parse(text) == _reference(text), text
