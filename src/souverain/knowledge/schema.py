"""The knowledge-base format: value types and the validation of parsed TOML documents.

Every ``data/`` file (``organisations/*.toml``, ``services.toml``, ``jurisdictions.toml``) and every
user extension file is one TOML document whose top-level keys are among ``organisation`` (array),
``service`` (array), ``blocs`` (table), ``regime`` (array) and ``iso3166`` (table). The format is
described in docs/knowledge-base.md.

Validation is done in two passes and collects every problem instead of stopping at the first:

1. :func:`parse_document` checks one document on its own (keys, types, kinds, dates, identifier
   syntax) and returns the entries it could read plus :class:`Problem` values;
2. :func:`check_entries` checks what needs every file at once (country codes against the ISO list,
   duplicate ids, parents that exist, parent cycles, identifiers claimed by two organisations).

Problems name the file and the entry (``organisation id=microsoft``); the loader turns them into a
:class:`~souverain.errors.KnowledgeBaseError`. Nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from souverain.model import ControllerKind

# --------------------------------------------------------------------------------------------
# Value types
# --------------------------------------------------------------------------------------------

IDENTIFIER_KINDS = (
    "domains",
    "github",
    "gitlab",
    "maven",
    "npm",
    "pypi",
    "nuget",
    "golang",
    "cargo",
    "gem",
    "composer",
    "docker",
    "deb",
    "rpm",
    "apk",
    "names",
)
"""The keys of ``[organisation.identifiers]`` and ``[service.clients]``."""

#: Hosting, mail and documentation domains shared by unrelated people: never a vendor's identifier.
GENERIC_DOMAINS = frozenset(
    {
        "github.com",
        "github.io",
        "githubusercontent.com",
        "gitlab.com",
        "gitlab.io",
        "bitbucket.org",
        "bitbucket.io",
        "codeberg.org",
        "sourceforge.net",
        "sf.net",
        "sr.ht",
        "readthedocs.io",
        "readthedocs.org",
        "googlegroups.com",
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "protonmail.com",
        "proton.me",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.ru",
        "yandex.ru",
        "qq.com",
        "163.com",
        "126.com",
        "users.noreply.github.com",
        "pages.dev",
        "netlify.app",
        "vercel.app",
        "herokuapp.com",
        "blogspot.com",
        "wordpress.com",
        "medium.com",
    }
)

#: The ecosystems a ``names`` pattern may name (``"generic:oracle-*"``).
NAME_ECOSYSTEMS = frozenset(
    {
        "generic",
        "npm",
        "pypi",
        "nuget",
        "cargo",
        "gem",
        "maven",
        "golang",
        "composer",
        "docker",
        "deb",
        "rpm",
        "apk",
        "conan",
        "conda",
        "cocoapods",
        "swift",
        "hex",
        "pub",
        "hackage",
        "cran",
        "oci",
        "github",
        "bitbucket",
    }
)

ORGANISATION_KEYS = frozenset(
    {
        "id",
        "name",
        "aliases",
        "kind",
        "country",
        "parent",
        "source",
        "as_of",
        "checked",
        "note",
        "identifiers",
    }
)
SERVICE_KEYS = frozenset({"id", "name", "operator", "clients", "qualification", "source", "as_of", "note"})
QUALIFICATION_KEYS = frozenset({"name", "scope", "date", "source", "note"})
BLOC_KEYS = frozenset({"name", "members", "source", "as_of", "note"})
REGIME_KEYS = frozenset({"country", "name", "year", "summary", "source", "as_of", "note"})
ISO_KEYS = frozenset({"codes", "source", "as_of", "note"})
TOP_LEVEL_KEYS = frozenset({"organisation", "service", "blocs", "regime", "iso3166"})

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BLOC_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")
_ALPHA2_RE = re.compile(r"^[A-Z]{2}$")
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")
_OWNER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_MAVEN_RE = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
_GOLANG_RE = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}(/[A-Za-z0-9._~-]+)*$")
_GLOB_RE = re.compile(r"^[A-Za-z0-9._+*?@/-]+$")


@dataclass(frozen=True, slots=True)
class Organisation:
    """One organisation of the knowledge base.

    ``identifiers`` maps an identifier kind (``domains``, ``npm``, ``maven``…) to its values as
    written; ``origin`` is ``"<file>#<id>"`` (``organisations/us.toml#microsoft``) for evidence.
    ``checked`` False means the facts could not be checked: such entries never give high confidence.
    """

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: ControllerKind
    country: str | None
    parent: str | None
    source: str
    as_of: str
    checked: bool
    identifiers: Mapping[str, tuple[str, ...]]
    origin: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Qualification:
    """A sovereign-cloud qualification held by (an offer of) a service, e.g. SecNumCloud."""

    name: str
    scope: str
    date: str
    source: str

    def __str__(self) -> str:
        return f"{self.name} ({self.scope}, {self.date}, source {self.source})"


@dataclass(frozen=True, slots=True)
class Service:
    """A remote service, its operator (an organisation id) and the patterns of its client libraries."""

    id: str
    name: str
    operator: str
    clients: Mapping[str, tuple[str, ...]]
    qualifications: tuple[Qualification, ...] = ()
    origin: str = ""
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Regime:
    """An extraterritorial legal regime of a country (US CLOUD Act, CN National Intelligence Law…)."""

    country: str
    name: str
    year: int
    summary: str
    source: str

    def __str__(self) -> str:
        return f"{self.country} {self.name} ({self.year})"


@dataclass(frozen=True, slots=True)
class Bloc:
    """A named group of countries a policy may use (``EU``, ``EEA``…)."""

    code: str
    name: str
    members: frozenset[str]
    source: str
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: the file, the entry (``organisation id=x``) and what is wrong."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}: " if self.entry else f"{self.file}: "
        return where + self.message


@dataclass(slots=True)
class Document:
    """What :func:`parse_document` could read from one file."""

    file: str
    organisations: list[Organisation] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    blocs: list[Bloc] = field(default_factory=list)
    regimes: list[Regime] = field(default_factory=list)
    iso_codes: frozenset[str] | None = None
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Normalisation shared by validation and lookups
# --------------------------------------------------------------------------------------------

_LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "se",
        "sa",
        "sas",
        "sasu",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "oy",
        "oyj",
        "as",
        "asa",
        "aps",
        "kk",
        "pty",
        "pte",
        "ulc",
        "eg",
        "ev",
    }
)
_PUNCT_RE = re.compile(r"[^\w]+", re.UNICODE)


@functools.lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """A comparison key for an organisation name: case, accents and punctuation folded, a leading
    "the" and trailing legal-form suffixes (Inc., Ltd, GmbH, S.A.S., Corporation…) removed.

    ``"Microsoft Corporation"`` and ``"microsoft corp."`` both give ``"microsoft"``. A name made only
    of suffixes keeps them (``"AG"`` stays ``"ag"``). Returns ``""`` for an empty name.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    # Collapse dotted abbreviations ("S.A.S.", "B.V.") before splitting on punctuation.
    text = re.sub(r"\b(\w)\.(?=\w\b\.?)", r"\1", text)
    words = [w for w in _PUNCT_RE.split(text) if w]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def normalise_pypi(name: str) -> str:
    """PEP 503 normalisation: lower case, runs of ``-``, ``_`` and ``.`` become one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --------------------------------------------------------------------------------------------
# Pass 1: one document
# --------------------------------------------------------------------------------------------


def _str(
    table: Mapping[str, Any], key: str, problems: list[Problem], file: str, entry: str, *, required: bool
) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(Problem(file, entry, f"missing required key '{key}'"))
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, entry, f"'{key}' must be a non-empty string, got {value!r}"))
        return None
    return value.strip()


def _date(table: Mapping[str, Any], key: str, problems: list[Problem], file: str, entry: str) -> str | None:
    value = table.get(key)
    if value is None:
        problems.append(Problem(file, entry, f"missing required key '{key}'"))
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    problems.append(Problem(file, entry, f"'{key}' must be an ISO date (YYYY-MM-DD), got {value!r}"))
    return None


def _source(table: Mapping[str, Any], problems: list[Problem], file: str, entry: str) -> str | None:
    value = _str(table, "source", problems, file, entry, required=True)
    if value is not None and not value.startswith(("https://", "http://")):
        problems.append(
            Problem(file, entry, f"'source' must be an http(s) URL of the page read, got {value!r}")
        )
    return value


def _unknown_keys(
    table: Mapping[str, Any], allowed: frozenset[str], problems: list[Problem], file: str, entry: str
) -> None:
    known = ", ".join(sorted(allowed))
    problems.extend(
        Problem(file, entry, f"unknown key '{key}' (allowed: {known})")
        for key in sorted(set(table) - allowed)
    )


def _string_list(value: Any, key: str, problems: list[Problem], file: str, entry: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(Problem(file, entry, f"'{key}' must be a list of non-empty strings, got {value!r}"))
        return ()
    return tuple(v.strip() for v in value)


def _check_identifier(kind: str, value: str) -> str | None:
    """Why ``value`` is not a valid identifier of ``kind``, or None when it is."""
    if kind == "domains":
        low = value.lower()
        if not _DOMAIN_RE.match(low):
            return f"'{value}' is not a domain name"
        if low in GENERIC_DOMAINS or any(low.endswith("." + g) for g in GENERIC_DOMAINS):
            return f"'{value}' is a generic hosting or mail domain shared by unrelated parties"
        return None
    if kind in ("github", "gitlab"):
        ok = _OWNER_RE.match(value) if kind == "github" else re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", value)
        return None if ok else f"'{value}' is not a {kind} owner name"
    if kind == "maven":
        return None if _MAVEN_RE.match(value) else f"'{value}' is not a Maven groupId prefix (no wildcards)"
    if kind == "golang":
        return None if _GOLANG_RE.match(value) else f"'{value}' is not a Go module path prefix"
    if kind in ("composer", "docker", "deb", "rpm", "apk"):
        return None if _OWNER_RE.match(value) else f"'{value}' is not a {kind} namespace"
    if kind == "npm" and value.startswith("@") and "/" not in value:
        ok = re.match(r"^@[a-z0-9][a-z0-9._-]*$", value)
        return None if ok else f"'{value}' is not an npm scope (lower case, no wildcard)"
    if kind == "names":
        eco, sep, pattern = value.partition(":")
        if not sep or eco not in NAME_ECOSYSTEMS or not pattern:
            known = ", ".join(sorted(NAME_ECOSYSTEMS))
            return f"'{value}' must be 'ecosystem:glob' with a known ecosystem ({known})"
        value = pattern
    if not _GLOB_RE.match(value):
        return f"'{value}' is not a valid {kind} name pattern"
    if value.strip("*?") == "" or value.replace("*", "").replace("?", "").strip("-._") == "":
        return f"'{value}' is a pattern that matches almost anything"
    return None


def _identifiers(
    value: Any, key: str, problems: list[Problem], file: str, entry: str
) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(file, entry, f"'{key}' must be a table, got {value!r}"))
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for kind, items in value.items():
        if kind not in IDENTIFIER_KINDS:
            problems.append(
                Problem(
                    file,
                    entry,
                    f"unknown identifier kind '{key}.{kind}' (allowed: {', '.join(IDENTIFIER_KINDS)})",
                )
            )
            continue
        values = _string_list(items, f"{key}.{kind}", problems, file, entry)
        for v in values:
            why = _check_identifier(kind, v)
            if why:
                problems.append(Problem(file, entry, f"{key}.{kind}: {why}"))
        if values:
            out[kind] = values
    return out


def _parse_organisation(raw: Any, index: int, file: str, problems: list[Problem]) -> Organisation | None:
    entry = f"organisation #{index + 1}"
    if not isinstance(raw, dict):
        problems.append(Problem(file, entry, "must be a table ([[organisation]])"))
        return None
    org_id = raw.get("id")
    if isinstance(org_id, str) and org_id:
        entry = f"organisation id={org_id}"
    before = len(problems)
    _unknown_keys(raw, ORGANISATION_KEYS, problems, file, entry)
    oid = _str(raw, "id", problems, file, entry, required=True)
    if oid is not None and not _ID_RE.match(oid):
        problems.append(Problem(file, entry, f"'id' must match [a-z0-9][a-z0-9-]*, got {oid!r}"))
    name = _str(raw, "name", problems, file, entry, required=True)
    aliases = _string_list(raw.get("aliases", []), "aliases", problems, file, entry)
    kind_text = _str(raw, "kind", problems, file, entry, required=True)
    allowed_kinds = ("company", "foundation", "government", "consortium", "community")
    kind: ControllerKind | None = None
    if kind_text is not None:
        if kind_text in allowed_kinds:
            kind = ControllerKind(kind_text)
        else:
            problems.append(
                Problem(file, entry, f"bad kind {kind_text!r} (allowed: {', '.join(allowed_kinds)})")
            )
    country = _str(raw, "country", problems, file, entry, required=False)
    if country is None and "country" not in raw and kind not in (ControllerKind.COMMUNITY, None):
        problems.append(
            Problem(file, entry, "missing required key 'country' (only community entries may omit it)")
        )
    parent = _str(raw, "parent", problems, file, entry, required=False)
    source = _source(raw, problems, file, entry)
    as_of = _date(raw, "as_of", problems, file, entry)
    checked = raw.get("checked", False)
    if not isinstance(checked, bool):
        problems.append(Problem(file, entry, f"'checked' must be true or false, got {checked!r}"))
        checked = False
    note = _str(raw, "note", problems, file, entry, required=False)
    identifiers = _identifiers(raw.get("identifiers"), "identifiers", problems, file, entry)
    if len(problems) > before or oid is None or name is None or kind is None:
        return None
    assert source is not None
    assert as_of is not None
    return Organisation(
        id=oid,
        name=name,
        aliases=aliases,
        kind=kind,
        country=country,
        parent=parent,
        source=source,
        as_of=as_of,
        checked=checked,
        identifiers=identifiers,
        origin=f"{file}#{oid}",
        note=note,
    )


def _parse_service(raw: Any, index: int, file: str, problems: list[Problem]) -> Service | None:
    entry = f"service #{index + 1}"
    if not isinstance(raw, dict):
        problems.append(Problem(file, entry, "must be a table ([[service]])"))
        return None
    if isinstance(raw.get("id"), str) and raw["id"]:
        entry = f"service id={raw['id']}"
    before = len(problems)
    _unknown_keys(raw, SERVICE_KEYS, problems, file, entry)
    sid = _str(raw, "id", problems, file, entry, required=True)
    if sid is not None and not _ID_RE.match(sid):
        problems.append(Problem(file, entry, f"'id' must match [a-z0-9][a-z0-9-]*, got {sid!r}"))
    name = _str(raw, "name", problems, file, entry, required=True)
    operator = _str(raw, "operator", problems, file, entry, required=True)
    clients = _identifiers(raw.get("clients"), "clients", problems, file, entry)
    source = _str(raw, "source", problems, file, entry, required=False)
    if "as_of" in raw:
        _date(raw, "as_of", problems, file, entry)
    quals: list[Qualification] = []
    raw_quals = raw.get("qualification", [])
    if not isinstance(raw_quals, list):
        problems.append(
            Problem(file, entry, "'qualification' must be an array of tables ([[service.qualification]])")
        )
        raw_quals = []
    for q in raw_quals:
        if not isinstance(q, dict):
            problems.append(Problem(file, entry, "each qualification must be a table"))
            continue
        _unknown_keys(q, QUALIFICATION_KEYS, problems, file, entry + " qualification")
        qname = _str(q, "name", problems, file, entry + " qualification", required=True)
        scope = _str(q, "scope", problems, file, entry + " qualification", required=False) or ""
        date = _date(q, "date", problems, file, entry + f" qualification {qname or ''}".rstrip())
        qsource = _source(q, problems, file, entry + f" qualification {qname or ''}".rstrip())
        if qname and date and qsource:
            quals.append(Qualification(qname, scope, date, qsource))
    if len(problems) > before or sid is None or name is None or operator is None:
        return None
    return Service(sid, name, operator, clients, tuple(quals), origin=f"{file}#{sid}", source=source)


def _parse_blocs(raw: Any, file: str, problems: list[Problem]) -> list[Bloc]:
    if not isinstance(raw, dict):
        problems.append(Problem(file, "blocs", "must be a table of [blocs.NAME] tables"))
        return []
    out: list[Bloc] = []
    for code, table in raw.items():
        entry = f"bloc {code}"
        if not _BLOC_RE.match(code):
            problems.append(
                Problem(file, entry, "bloc names are upper case letters, digits and _ (e.g. EU, FIVE_EYES)")
            )
            continue
        if not isinstance(table, dict):
            problems.append(Problem(file, entry, "must be a table"))
            continue
        before = len(problems)
        _unknown_keys(table, BLOC_KEYS, problems, file, entry)
        name = _str(table, "name", problems, file, entry, required=True)
        members = _string_list(table.get("members"), "members", problems, file, entry)
        source = _source(table, problems, file, entry)
        _date(table, "as_of", problems, file, entry)
        if len(problems) == before and name and source:
            out.append(Bloc(code, name, frozenset(members), source, origin=file))
    return out


def _parse_regime(raw: Any, index: int, file: str, problems: list[Problem]) -> Regime | None:
    entry = f"regime #{index + 1}"
    if not isinstance(raw, dict):
        problems.append(Problem(file, entry, "must be a table ([[regime]])"))
        return None
    if isinstance(raw.get("name"), str):
        entry = f"regime {raw.get('country', '?')} {raw['name']}"
    before = len(problems)
    _unknown_keys(raw, REGIME_KEYS, problems, file, entry)
    country = _str(raw, "country", problems, file, entry, required=True)
    name = _str(raw, "name", problems, file, entry, required=True)
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        problems.append(Problem(file, entry, f"'year' must be a year (integer), got {year!r}"))
    summary = _str(raw, "summary", problems, file, entry, required=True)
    source = _source(raw, problems, file, entry)
    _date(raw, "as_of", problems, file, entry)
    if len(problems) > before or not (country and name and summary and source):
        return None
    assert isinstance(year, int)
    return Regime(country, name, year, summary, source)


def parse_document(doc: Mapping[str, Any], file: str) -> Document:
    """Read one parsed TOML document (``tomllib.loads`` output) named ``file`` in messages.

    Returns the entries that are valid on their own and the problems found; cross-file checks are
    left to :func:`check_entries`.
    """
    out = Document(file)
    for key in sorted(set(doc) - TOP_LEVEL_KEYS):
        out.problems.append(
            Problem(file, "", f"unknown top-level key '{key}' (allowed: {', '.join(sorted(TOP_LEVEL_KEYS))})")
        )
    for key, parse in (("organisation", _parse_organisation), ("service", _parse_service)):
        items = doc.get(key, [])
        if not isinstance(items, list):
            out.problems.append(Problem(file, key, f"'{key}' must be an array of tables ([[{key}]])"))
            continue
        for i, raw in enumerate(items):
            value = parse(raw, i, file, out.problems)
            if isinstance(value, Organisation):
                out.organisations.append(value)
            elif isinstance(value, Service):
                out.services.append(value)
    if "blocs" in doc:
        out.blocs = _parse_blocs(doc["blocs"], file, out.problems)
    regimes = doc.get("regime", [])
    if not isinstance(regimes, list):
        out.problems.append(Problem(file, "regime", "'regime' must be an array of tables ([[regime]])"))
        regimes = []
    for i, raw in enumerate(regimes):
        regime = _parse_regime(raw, i, file, out.problems)
        if regime is not None:
            out.regimes.append(regime)
    if "iso3166" in doc:
        iso = doc["iso3166"]
        if not isinstance(iso, dict):
            out.problems.append(Problem(file, "iso3166", "must be a table"))
        else:
            _unknown_keys(iso, ISO_KEYS, out.problems, file, "iso3166")
            codes = _string_list(iso.get("codes"), "codes", out.problems, file, "iso3166")
            _source(iso, out.problems, file, "iso3166")
            bad = [c for c in codes if not _ALPHA2_RE.match(c)]
            if bad:
                out.problems.append(Problem(file, "iso3166", f"not alpha-2 codes: {', '.join(bad)}"))
            out.iso_codes = frozenset(codes)
    return out


# --------------------------------------------------------------------------------------------
# Pass 2: every file at once
# --------------------------------------------------------------------------------------------


def identifier_keys(kind: str, value: str) -> str:
    """The case-folded key under which an identifier is indexed (for duplicate detection)."""
    if kind == "pypi":
        return normalise_pypi(value)
    return value.lower()


def _entry_file(origin: str) -> str:
    return origin.rpartition("#")[0]


def check_entries(
    organisations: Sequence[Organisation],
    services: Sequence[Service],
    blocs: Sequence[Bloc],
    regimes: Sequence[Regime],
    iso_codes: frozenset[str],
) -> list[Problem]:
    """Cross-file checks over the merged entries: countries are ISO 3166-1 alpha-2 codes, parents
    and operators exist, no parent cycle, no identifier or name claimed by two organisations."""
    problems: list[Problem] = []
    by_id = {o.id: o for o in organisations}
    for org in organisations:
        file, entry = _entry_file(org.origin), f"organisation id={org.id}"
        if org.country is not None and org.country not in iso_codes:
            problems.append(
                Problem(file, entry, f"bad country code {org.country!r} (not ISO 3166-1 alpha-2)")
            )
        if org.parent is not None:
            if org.parent not in by_id:
                problems.append(Problem(file, entry, f"parent {org.parent!r} does not exist"))
            elif org.parent == org.id:
                problems.append(Problem(file, entry, "an organisation cannot be its own parent"))
    problems.extend(_cycles(by_id))
    problems.extend(_claims(organisations))
    problems.extend(
        Problem(_entry_file(svc.origin), f"service id={svc.id}", f"operator {svc.operator!r} does not exist")
        for svc in services
        if svc.operator not in by_id
    )
    for bloc in blocs:
        bad = sorted(m for m in bloc.members if m not in iso_codes)
        if bad:
            problems.append(
                Problem(
                    bloc.origin or "jurisdictions.toml",
                    f"bloc {bloc.code}",
                    f"bad member codes: {', '.join(bad)}",
                )
            )
    problems.extend(
        Problem("jurisdictions.toml", f"regime {regime.name}", f"bad country code {regime.country!r}")
        for regime in regimes
        if regime.country not in iso_codes
    )
    return problems


def _cycles(by_id: Mapping[str, Organisation]) -> list[Problem]:
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in by_id:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in by_id and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = by_id[node].parent
        if node is not None and state.get(node) == 1:
            cycle = [*path[path.index(node) :], node]
            org = by_id[node]
            problems.append(
                Problem(
                    _entry_file(org.origin), f"organisation id={node}", f"parent cycle: {' → '.join(cycle)}"
                )
            )
        for n in path:
            state[n] = 2
    return problems


def _claims(organisations: Iterable[Organisation]) -> list[Problem]:
    problems: list[Problem] = []
    owner: dict[tuple[str, str], Organisation] = {}
    for org in organisations:
        keys: set[tuple[str, str]] = set()
        for kind, values in org.identifiers.items():
            keys.update((kind, identifier_keys(kind, v)) for v in values)
        for n in (org.name, *org.aliases):
            norm = normalise_name(n)
            if norm:
                keys.add(("name", norm))
        for key in sorted(keys):
            other = owner.get(key)
            if other is None:
                owner[key] = org
            elif other.id != org.id:
                what = "name/alias" if key[0] == "name" else f"identifier {key[0]}"
                problems.append(
                    Problem(
                        _entry_file(org.origin),
                        f"organisation id={org.id}",
                        f"{what} {key[1]!r} is also claimed by organisation id={other.id} ({other.origin})",
                    )
                )
    return problems
