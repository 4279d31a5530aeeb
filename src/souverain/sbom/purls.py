"""Package URL parsing with packageurl-python, memoised per document, with a verified fast path.

``PackageURL.from_string`` + ``to_string`` is the main per-component cost of reading an SBOM
(25-35 µs per purl, several seconds per 100k components). Two things keep it down, neither of
which changes a result:

* :class:`PurlCache` memoises packageurl-python's answers by the exact text written (parsing
  is a pure function of it); fast-path results of a verified type are recomputed instead (one
  regex pass is cheaper than remembering 100k distinct purls).
* A *fast path* for purls that are already in canonical form by construction: lowercase ASCII
  letters, digits and ``. - _ ~`` only (``%40`` allowed for an npm scope; versions may also hold
  capitals, which the library keeps except for a few types), sorted qualifiers, no
  subpath, and a type without special normalisation rules. For those, packageurl-python's
  normalisation is the identity (nothing to lowercase, nothing to percent-encode), so the
  canonical string is the text itself and the parts are a split. This is not trusted blindly:
  for every purl type the first :data:`VERIFY_PER_TYPE` fast-path results of a document are
  compared with packageurl-python's, and the first disagreement turns the fast path off for that
  type (tests compare both over generated purls too).
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import NamedTuple

from packageurl import PackageURL


class PurlInfo(NamedTuple):
    """The parts of a parsed purl that souverain keeps."""

    canonical: str  # PackageURL.to_string()
    type: str
    namespace: str | None
    name: str


PurlParts = tuple[str, str, str | None, str]
"""``(canonical, type, namespace, name)``: what :class:`PurlCache` returns. The fast path gives
plain tuples (building the named tuple costs as much as the rest of a fast parse), equal to the
:class:`PurlInfo` that packageurl-python's path gives; readers unpack them."""


VERIFY_PER_TYPE = 3
"""Fast-path results checked against packageurl-python, per purl type and document."""

# Types whose names or namespaces packageurl-python rewrites beyond lowercasing/quoting.
_SLOW_TYPES = frozenset({"pub", "cpan", "mlflow", "huggingface", "hackage", "swid"})
_UNDERSCORE_TYPES = frozenset({"pypi", "hackage", "pub"})  # "_" is rewritten to "-" (or kept) there

_CASE_SENSITIVE_VERSION_OFF = frozenset({"huggingface", "oci"})  # versions lowercased there
_SPECIAL = _SLOW_TYPES | _UNDERSCORE_TYPES | _CASE_SENSITIVE_VERSION_OFF  # checked one by one
# type / [%40]namespace segments / name @ version ? qualifiers, as groups (an absent part is
# None). "%" only as the "%40" that starts an npm scope. Possessive quantifiers except where
# the namespace gives its last segment back to the name: at most one step back, no search
# (empty path segments, which the library drops, fail).
_FAST = re.compile(
    r"pkg:([a-z][a-z0-9.-]*+)/(?:(%40)?+([a-z0-9._~-]++(?:/[a-z0-9._~-]++)*)/)?([a-z0-9._~-]++)"
    r"(?:@([A-Za-z0-9._~-]++))?+(?:\?([a-z0-9._~=&-]++))?+"
).fullmatch


def parse_purl(text: str) -> PurlInfo:
    """Parse ``text`` with packageurl-python; raise ``ValueError`` when it is not a valid purl."""
    try:
        purl = PackageURL.from_string(text)
        canonical = purl.to_string()
    except ValueError:
        raise
    except Exception as exc:  # packageurl may raise other errors on odd input
        raise ValueError(str(exc)) from exc
    return PurlInfo(canonical, purl.type, purl.namespace or None, purl.name)


@functools.lru_cache(maxsize=256)
def _sorted_qualifiers(quals: str) -> bool:
    """True when ``quals`` is ``k=v&k=v…`` with non-empty keys and values, keys strictly
    increasing (a document repeats a few qualifier strings: memoised)."""
    keys = []
    for pair in quals.split("&"):
        key, sep, value = pair.partition("=")
        if not key or not sep or not value or "=" in value:
            return False
        keys.append(key)
    return all(a < b for a, b in itertools.pairwise(keys))  # unsorted or repeated: reordered or merged


def fast_parse(text: str) -> PurlParts | None:
    """The parts of an already-canonical simple purl by splitting it, or None when ``text`` is
    outside the fast-path alphabet (then use :func:`parse_purl`)."""
    return _from_match(text, _FAST(text))


def _from_match(text: str, m: re.Match[str] | None) -> PurlParts | None:
    """:func:`fast_parse` once the regex has run."""
    if m is None:
        return None  # outside the alphabet, or an empty path segment (the library drops those)
    ptype, scope, namespace, name, version, quals = m.groups()
    if ptype in _SPECIAL:
        if ptype in _SLOW_TYPES:
            return None
        if ptype in _UNDERSCORE_TYPES and ("_" in name or (namespace is not None and "_" in namespace)):
            return None
        if version is not None and ptype in _CASE_SENSITIVE_VERSION_OFF and version != version.lower():
            return None
    if quals is not None and not _sorted_qualifiers(quals):
        return None
    if scope is not None:  # "%40…": only an npm scope may be percent-encoded here
        if ptype != "npm":
            return None
        namespace = "@" + namespace
    return (text, ptype, namespace, name)


class PurlCache:
    """Memoised purl parsing for one document. ``parse`` returns None for a malformed purl and
    keeps the error message in ``errors`` (by text) so that callers can report it."""

    __slots__ = ("_cache", "_checked", "_fast_off", "_plain", "_trusted", "errors")

    def __init__(self) -> None:
        self._cache: dict[str, PurlParts | None] = {}
        self._checked: dict[str, int] = {}
        self._fast_off: set[str] = set()
        self._trusted: set[str] = set()  # types whose first VERIFY_PER_TYPE fast results agreed
        self._plain: set[str] = set()  # the trusted types without rules of their own (_SPECIAL)
        self.errors: dict[str, str] = {}

    def _slow(self, text: str) -> PurlParts | None:
        try:
            return parse_purl(text)
        except ValueError as exc:
            self.errors[text] = str(exc) or "invalid purl"
            return None

    def _verify(self, text: str, info: PurlParts) -> PurlParts | None:
        """A fast-path result for a type not yet trusted: compared with packageurl-python's."""
        ptype = info[1]
        if ptype in self._fast_off:
            return self._slow(text)
        checked = self._checked.get(ptype, 0) + 1
        self._checked[ptype] = checked
        reference = self._slow(text)
        if reference != info:
            self._fast_off.add(ptype)
            return reference
        if checked >= VERIFY_PER_TYPE:
            self._trusted.add(ptype)
            if ptype not in _SPECIAL:
                self._plain.add(ptype)
        return info

    def parse(self, text: str) -> PurlParts | None:
        """The parsed purl, or None when ``text`` is not a valid purl."""
        m = _FAST(text)
        if m is not None:
            ptype, scope, namespace, name, _, quals = m.groups()
            # The usual case, checked inline (this runs once per component): a trusted type
            # without rules of its own, no npm scope, qualifiers absent or sorted. The parts are
            # the groups, as _from_match would return them; nothing to remember.
            if ptype in self._plain and scope is None and (quals is None or _sorted_qualifiers(quals)):
                return (text, ptype, namespace, name)
            info = _from_match(text, m)
            if info is not None and ptype in self._trusted:
                return info  # a pure function of the text too
        else:
            info = None
        cache = self._cache
        if text in cache:
            return cache[text]
        info = self._slow(text) if info is None else self._verify(text, info)
        cache[text] = info
        return info
