"""Helpers shared by the SBOM readers: the per-document accumulator, text decoding, parties."""

from __future__ import annotations

import codecs
import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from souverain.errors import InputError
from souverain.model import (
    Component,
    DeclaredLicense,
    ExternalRef,
    Hash,
    Party,
    Skipped,
    slot_constructor,
)
from souverain.sbom.purls import PurlCache, PurlParts

NO_VALUE = frozenset({"NOASSERTION", "NONE"})
"""SPDX placeholders meaning "no value"."""

PERSON_ADDRESS_NOTE = "addresses on authors (a contact has none in CycloneDX; not read)"
"""Counted in ``notes`` for each ``authors[]`` entry written with an ``address``."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# The readers build these objects 100k+ times per large SBOM: model.slot_constructor fills the
# slots directly instead of going through the frozen dataclass __init__ (about half the cost).
# Every field must be given, positionally, in declaration order; tests/test_sbom_fields.py checks
# that each one builds the same object as the class itself.
new_component = slot_constructor(Component)
"""``Component`` with all 23 fields positional, in declaration order."""
new_party = slot_constructor(Party)
"""``Party(role, name, emails, urls, country, is_person, location)``, all positional."""
new_external_ref = slot_constructor(ExternalRef)
"""``ExternalRef(type, url)``."""
new_hash = slot_constructor(Hash)
"""``Hash(alg, value)``."""
new_licence = slot_constructor(DeclaredLicense)
"""``DeclaredLicense(kind, value, field, url)``, all positional."""


class Collector:
    """What a reader accumulates besides components and edges: skipped items, notes, purls."""

    __slots__ = ("notes", "path", "purls", "skipped", "unknown_relationships")

    def __init__(self, path: str) -> None:
        self.path = path
        self.skipped: list[Skipped] = []
        self.notes: Counter[str] = Counter()
        self.unknown_relationships: Counter[str] = Counter()
        self.purls = PurlCache()

    def skip(self, location: str, reason: str) -> None:
        """Record something that could not be read."""
        self.skipped.append(Skipped(location, reason))

    def purl(self, text: object, location: str) -> tuple[PurlParts | None, str | None]:
        """Parse a purl field: ``(info or None, text as written or None)``; records a Skipped
        entry for a malformed or non-string purl."""
        if text is None or text == "":
            return None, None
        if not isinstance(text, str):
            self.skip(location, f"purl is not a string ({type(text).__name__})")
            return None, None
        info = self.purls.parse(text)
        if info is None:
            self.skip(location, f"malformed purl {text!r}: {self.purls.errors.get(text, 'invalid')}")
        return info, text

    def text(self, value: object, location: str) -> str | None:
        """A scalar field as a string: strings as they are, numbers converted, anything else
        recorded as unreadable and dropped."""
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.skip(location, f"expected a string, found {type(value).__name__}")
        return None


def decode_text(raw: bytes, path: str) -> str:
    """Decode a text SBOM: UTF-8 (with or without BOM), or UTF-16/32 with a BOM. Raises
    InputError naming the byte offset of invalid UTF-8."""
    encoding, body = "utf-8", raw
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if raw.startswith(bom):
            encoding, body = enc, raw[len(bom) :]
            break
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1 if encoding == "utf-8" else None
        where = f"line {line}" if line else f"byte {exc.start}"
        raise InputError(path, f"invalid {encoding} text ({exc.reason})", location=where) from None


def org_party(
    role: str, entity: object, location: str, col: Collector, *, is_person: bool | None = None
) -> Party | None:
    """A Party from a CycloneDX organizational entity (``name``, ``url[]``, ``contact[]``,
    1.6 ``address.country``) or contact (``name``, ``email``); None when it names nobody."""
    if isinstance(entity, str):  # some tools write a bare string
        return new_party(role, entity, (), (), None, None, location) if entity.strip() else None
    if type(entity) is not dict:  # from orjson or the XML converter: exactly dict when a dict
        col.skip(location, f"{role} is not an object")
        return None
    get = entity.get
    name = get("name")
    if len(entity) == 2 and type(name) is str:  # the usual {"name": "…", "url": ["…"]}
        urls = get("url")
        if type(urls) is list and len(urls) == 1:
            url = urls[0]
            stripped = name.strip()
            if stripped and type(url) is str and url:
                return new_party(role, stripped, (), (url,), None, is_person, location)
    if name is not None and type(name) is not str:
        name = col.text(name, location + "/name")
    name = name.strip() if name else None  # "" and "  " mean no name
    emails: list[str] = []
    email = get("email")
    if type(email) is str and email:
        emails.append(email)
    urls = get("url")
    url_list = []
    if type(urls) is list:
        for u in urls:  # a loop: cheaper than a comprehension for the usual one or two
            if type(u) is str and u:
                url_list.append(u)  # noqa: PERF401
    elif type(urls) is str and urls:
        url_list.append(urls)
    if "contact" in entity:
        contacts = get("contact")
        if type(contacts) is list:
            for contact in contacts:
                if type(contact) is dict:
                    mail = contact.get("email")
                    if type(mail) is str and mail:
                        emails.append(mail)
    country = None
    if "address" in entity:
        if is_person is True:
            # an organizationalContact (authors[]: a person) has no address in CycloneDX: a
            # country written there is not read, so a person never gives one
            col.notes[PERSON_ADDRESS_NOTE] += 1
        else:
            address = get("address")
            if type(address) is dict:
                value = address.get("country")
                if type(value) is str and value.strip():
                    country = value.strip()
    if not name and not emails and not url_list:
        return None
    return new_party(role, name or None, tuple(emails), tuple(url_list), country, is_person, location)


def spdx_party(role: str, value: object, location: str, col: Collector) -> Party | None:
    """A Party from an SPDX ``Person: Name (email)`` / ``Organization: Name (email)`` /
    ``Tool: …`` string; None for NOASSERTION or an empty value."""
    if value is None:
        return None
    if not isinstance(value, str):
        col.skip(location, f"{role} is not a string")
        return None
    text = value.strip()
    if not text or text in NO_VALUE:
        return None
    kind, sep, rest = text.partition(":")
    kind = kind.strip()
    if sep and kind in ("Person", "Organization", "Tool"):
        is_person: bool | None = {"Person": True, "Organization": False}.get(kind)
        text = rest.strip()
    else:
        is_person = None
    emails: tuple[str, ...] = ()
    if text.endswith(")") and "(" in text:
        head, _, tail = text[:-1].rpartition("(")
        mail = tail.strip()
        emails = (mail,) if mail and mail not in NO_VALUE else ()
        text = head.strip()
    if not text and not emails:
        return None
    return new_party(role, text or None, emails, (), None, is_person, location)


def tool_name(parts: Callable[[str], object]) -> str:
    """Join a tool's vendor/group, name and version into one readable string."""
    words = [parts(k) for k in ("vendor", "group", "name", "version")]
    return " ".join(w.strip() for w in words if isinstance(w, str) and w.strip())


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty list (absent or wrongly typed field)."""
    return value if isinstance(value, list) else []
