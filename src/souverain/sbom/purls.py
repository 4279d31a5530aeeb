"""Package URL parsing with packageurl-python, memoised per document.

``PackageURL.from_string`` + ``to_string`` is the main per-component cost of reading an SBOM
(about 25-35 µs per purl). :class:`PurlCache` memoises results by the exact text written, which
is always correct (parsing is a pure function of the text) and pays off whenever the same purl is
written several times (services, duplicated components, dependency-only documents).
"""

from __future__ import annotations

from typing import NamedTuple

from packageurl import PackageURL


class PurlInfo(NamedTuple):
    """The parts of a parsed purl that souverain keeps."""

    canonical: str  # PackageURL.to_string()
    type: str
    namespace: str | None
    name: str


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


class PurlCache:
    """Memoised :func:`parse_purl` for one document. ``parse`` returns None for a malformed purl
    and keeps the error message in ``errors`` (by text) so that callers can report it."""

    __slots__ = ("_cache", "errors")

    def __init__(self) -> None:
        self._cache: dict[str, PurlInfo | None] = {}
        self.errors: dict[str, str] = {}

    def parse(self, text: str) -> PurlInfo | None:
        """The parsed purl, or None when ``text`` is not a valid purl."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        info: PurlInfo | None
        try:
            info = parse_purl(text)
        except ValueError as exc:
            info = None
            self.errors[text] = str(exc) or "invalid purl"
        self._cache[text] = info
        return info
