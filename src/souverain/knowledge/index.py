"""The in-memory knowledge base: validated entries, pre-indexed so every lookup is O(1) or
O(len(key)) (dict probes over the key's dot, slash or label prefixes; one compiled regular
expression per ecosystem for name globs)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar, cast
from urllib.parse import urlsplit

from souverain.knowledge.schema import (
    Bloc,
    Organisation,
    Regime,
    Service,
    normalise_name,
    normalise_pypi,
)

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")

#: Forge hosts and the identifier kind that lists their owners.
FORGES = {"github.com": "github", "gitlab.com": "gitlab"}


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    """A lookup result: the entry, a readable description of the identifier that matched
    (``"npm scope @azure"``) and whether it is a namespace the entry owns (else a name pattern)."""

    target: T
    identifier: str
    namespace: bool


class _GlobSet(Generic[T]):
    """Glob patterns of one ecosystem compiled into one regular expression; the most specific
    pattern (longest literal text) wins when several match. A name that starts with none of the
    patterns' literal heads (``azure-`` of ``azure-*``) is answered without the expression."""

    __slots__ = ("_patterns", "_regex", "exact", "heads", "wild")

    def __init__(self, patterns: Iterable[tuple[str, T]]) -> None:
        #: The patterns without wildcard, by name; ``wild`` matches the others (None: there is
        #: none), only names starting with one of ``heads`` (when not None) can match them.
        self.exact: dict[str, tuple[str, T]] = {}
        wild: list[tuple[str, T]] = []
        for pattern, target in patterns:
            if any(c in pattern for c in "*?["):
                wild.append((pattern, target))
            else:
                self.exact.setdefault(pattern, (pattern, target))
        wild.sort(key=lambda pt: -len(pt[0].replace("*", "").replace("?", "")))
        self._patterns = wild
        # What every match of a pattern starts with: its text up to the first wildcard. None when
        # some pattern starts with a wildcard (then any name may match).
        heads = tuple(re.split(r"[*?\[]", p, maxsplit=1)[0] for p, _ in wild)
        self.heads: tuple[str, ...] | None = None if "" in heads else heads
        self._regex = (
            re.compile("|".join(f"(?P<g{i}>{fnmatch.translate(p)})" for i, (p, _) in enumerate(wild)))
            if wild
            else None
        )
        self.wild: Callable[[str], tuple[str, T] | None] | None = self._wild if wild else None

    def get(self, name: str) -> tuple[str, T] | None:
        hit = self.exact.get(name)
        if hit is not None or self._regex is None:
            return hit
        return self._wild(name)

    def _wild(self, name: str) -> tuple[str, T] | None:
        if self._regex is None or (self.heads is not None and not name.startswith(self.heads)):
            return None
        m = self._regex.match(name)
        if m is None or m.lastgroup is None:
            return None
        return self._patterns[int(m.lastgroup[1:])]


class _Identifiers(Generic[T]):
    """Every identifier of a set of entries (organisations or services), indexed by kind.

    :meth:`package` runs once or twice per component: it dispatches on the purl type to a lookup
    of that type alone, over tables built once whose values are the shared :class:`Match`
    answers (no identifier text is formatted per lookup)."""

    def __init__(self, entries: Iterable[tuple[T, Mapping[str, tuple[str, ...]]]]) -> None:
        self.domains: dict[str, T] = {}
        self.owners: dict[tuple[str, str], T] = {}  # (kind github/gitlab, owner lower) → target
        self.prefixes: dict[tuple[str, str], tuple[str, T]] = {}  # (maven|golang, prefix lower)
        self.namespaces: dict[tuple[str, str], tuple[str, T]] = {}  # (npm-scope|composer|…, ns lower)
        self._matches: dict[tuple[str, int, bool], Match[T]] = {}  # see _match
        globs: dict[str, list[tuple[str, T]]] = {}
        for target, identifiers in entries:
            for kind, values in identifiers.items():
                for value in values:
                    self._add(kind, value, target, globs)
        self.globs: dict[str, _GlobSet[T]] = {eco: _GlobSet(items) for eco, items in globs.items()}
        # Every purl type package() can answer for (a superset: each table it reads, by the type
        # that reads it). Any other type is answered None without a lookup: e.g. deb, rpm and apk
        # packages (most of a container image) against the service index.
        self.ecosystems: frozenset[str] = frozenset(
            {*self.globs, *(kind for kind, _ in self.prefixes)}
            | {"npm" if kind == "npm-scope" else kind for kind, _ in self.namespaces}
            | ({"golang", "github", "gitlab", "swift"} if self.owners else set())
        )
        # The answers of package(), built once: a glob set per purl type whose targets are the
        # Match of each pattern; longest-prefix and namespace tables (key → Match) per kind.
        self._glob_matches: dict[str, _GlobSet[Match[T]]] = {
            eco: _GlobSet((p, self._glob_match(eco, p, t)) for p, t in items) for eco, items in globs.items()
        }
        self._npm_full: _GlobSet[Match[T]] | None = (
            _GlobSet((p, self._match(f"npm package pattern {p}", t, True)) for p, t in globs["npm"])
            if "npm" in globs
            else None
        )
        self._maven_prefixes = self._tables("maven", "Maven groupId prefix {}", self.prefixes)
        self._golang_prefixes = self._tables("golang", "Go module path prefix {}", self.prefixes)
        self._npm_scopes = self._tables("npm-scope", "npm scope {}", self.namespaces)
        # In the memos of answers that depend on part of the purl only, ``_none`` stands for "no
        # match" (a plain None is "not looked up yet").
        self._none: Match[T] = Match(cast(T, None), "", False)
        self._forge_memo: dict[tuple[str, str], Match[T]] = {}  # (host, owner) → see _golang
        self.lookups: _Lookups[T] = _Lookups(
            (eco, self._lookup_for(eco))
            for eco in self.ecosystems
            if eco == eco.lower()  # package() lower-cases the type: "Maven:" patterns never match
        )

    def _add(self, kind: str, value: str, target: T, globs: dict[str, list[tuple[str, T]]]) -> None:
        low = value.lower()
        if kind == "domains":
            self.domains.setdefault(low, target)
        elif kind in ("github", "gitlab"):
            self.owners.setdefault((kind, low), target)
        elif kind in ("maven", "golang"):
            self.prefixes.setdefault((kind, low.rstrip("./")), (value, target))
        elif kind == "npm" and value.startswith("@") and "/" not in value:
            self.namespaces.setdefault(("npm-scope", low), (value, target))
        elif kind in ("composer", "docker", "deb", "rpm", "apk"):
            self.namespaces.setdefault((kind, low), (value, target))
        elif kind == "names":
            eco, _, pattern = value.partition(":")
            globs.setdefault(eco, []).append((pattern.lower(), target))
        elif kind == "pypi":
            globs.setdefault(kind, []).append((normalise_pypi(value), target))
        else:  # npm unscoped, nuget, cargo, gem
            globs.setdefault(kind, []).append((low, target))

    def _match(self, identifier: str, target: T, owned: bool) -> Match[T]:
        """``Match(target, identifier, owned)``, shared: thousands of packages match the same
        entry (every Debian package, every artifact of a Maven groupId) and an immutable value
        need not be rebuilt for each. Targets are entries of this index: their ids are stable."""
        key = (identifier, id(target), owned)
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = Match(target, identifier, owned)
        return found

    def _glob_match(self, eco: str, pattern: str, target: T) -> Match[T]:
        # An exact package name, or a NuGet reserved prefix (Microsoft.*), is owned by the vendor
        # like a namespace; other globs are conventions only.
        exact = not any(ch in pattern for ch in "*?[")
        owned = exact or (eco == "nuget" and pattern.endswith(".*"))
        what = "package name" if exact else "name pattern"
        return self._match(f"{eco} {what} {pattern}", target, owned)

    def _tables(
        self, kind: str, identifier: str, table: Mapping[tuple[str, str], tuple[str, T]]
    ) -> dict[str, Match[T]]:
        """The entries of one kind of ``table`` as key → Match (identifier from the value as written)."""
        return {
            key: self._match(identifier.format(value), target, True)
            for (k, key), (value, target) in table.items()
            if k == kind
        }

    # -- lookups --------------------------------------------------------------------------

    def domain(self, host: str) -> tuple[str, T] | None:
        labels = host.split(".")
        for i in range(len(labels) - 1):
            key = ".".join(labels[i:])
            hit = self.domains.get(key)
            if hit is not None:
                return key, hit
        return None

    def forge(self, host: str, owner: str) -> T | None:
        kind = FORGES.get(host)
        return None if kind is None else self.owners.get((kind, owner.lower()))

    def package(self, ecosystem: str, namespace: str | None, name: str) -> Match[T] | None:
        """The entry a purl's type, namespace and name belong to (see :meth:`_lookup_for`)."""
        return self.lookups[ecosystem](namespace, name)

    def _lookup_for(self, eco: str) -> PurlLookup[T]:
        """The lookup of one purl type (lower case), from the namespace and the name:

        - ``maven`` with a groupId: its longest prefix in the KB (``com.azure`` for
          ``com.azure.core``), else the name globs;
        - ``npm`` with a scope: the full ``@scope/name`` among the npm names, else the scope; a
          scope not in the KB says nothing, even if the name looks like a vendor's;
        - ``golang``: the owner of a module on a forge, else the longest path prefix; nothing else;
        - ``github``/``gitlab`` with an owner: that owner, nothing else;
        - ``swift``: the owner of a package on a forge (the namespace is the source host and
          owner, ``github.com/apple``), nothing else;
        - ``composer``, ``docker`` (first segment), ``deb``, ``rpm``, ``apk`` with a namespace:
          that namespace, else the name globs;
        - otherwise (and for the fall-throughs above) the name globs of the type (PEP 503 key
          for ``pypi``, lower case for the others).

        Each is a closure over its own tables, the name globs inlined (exact names in a dict,
        then the patterns): it runs once or twice per component."""
        globs = self._glob_matches.get(eco)
        exact: Mapping[str, tuple[str, Match[T]]] = globs.exact if globs is not None else {}
        wild = globs.wild if globs is not None else None
        heads = globs.heads if globs is not None else None
        pypi = eco == "pypi"

        def by_name(name: str) -> Match[T] | None:
            key = _pypi_key(name) if pypi else name.lower()
            hit = exact.get(key)
            if hit is None and wild is not None and (heads is None or key.startswith(heads)):
                hit = wild(key)
            return None if hit is None else hit[1]

        if eco == "maven":
            return self._maven_lookup(by_name)
        if eco == "npm":
            return self._npm_lookup(exact, wild, heads)
        if eco == "golang":
            return self._golang
        if eco in ("github", "gitlab"):
            return self._forge_lookup(eco, by_name)
        if eco == "swift":
            return self._swift
        if eco in ("composer", "docker", "deb", "rpm", "apk"):
            return self._namespace_lookup(eco, by_name)
        if wild is None:  # exact names only (no pattern): by_name() inlined
            return lambda namespace, name: _second(exact.get(_pypi_key(name) if pypi else name.lower()))
        return lambda namespace, name: by_name(name)

    def _maven_lookup(self, by_name: Callable[[str], Match[T] | None]) -> PurlLookup[T]:
        prefixes = self._maven_prefixes
        none = self._none
        # groupId → its longest-prefix answer (``none`` for no match): shared by all its artifacts.
        memo: dict[str, Match[T]] = {}

        def maven(namespace: str | None, name: str) -> Match[T] | None:
            if namespace:
                hit = memo.get(namespace)
                if hit is None:
                    if len(memo) >= _MEMO_LIMIT:
                        memo.clear()
                    ns = namespace.strip("/")
                    found = _longest_prefix(prefixes, ns.lower(), ".") if ns else None
                    hit = memo[namespace] = none if found is None else found
                if hit is not none:
                    return hit
            return by_name(name)

        return maven

    def _npm_lookup(
        self,
        exact: Mapping[str, tuple[str, Match[T]]],
        wild: Callable[[str], tuple[str, Match[T]] | None] | None,
        heads: tuple[str, ...] | None,
    ) -> PurlLookup[T]:
        full_globs = self._npm_full
        scopes = self._npm_scopes

        def npm(namespace: str | None, name: str) -> Match[T] | None:
            ns = namespace.strip("/") if namespace else ""
            if not ns:  # the name globs, inlined
                key = name.lower()
                hit = exact.get(key)
                if hit is None and wild is not None and (heads is None or key.startswith(heads)):
                    hit = wild(key)
                return None if hit is None else hit[1]
            scope = ns if ns.startswith("@") else "@" + ns
            if full_globs is not None:
                full = full_globs.get(f"{scope}/{name}".lower())
                if full is not None:
                    return full[1]
            return scopes.get(scope.lower())

        return npm

    def _golang(self, namespace: str | None, name: str) -> Match[T] | None:
        ns = namespace.strip("/") if namespace else ""
        path = f"{ns}/{name}" if ns else name
        host, _, rest = path.partition("/")
        if rest:
            lhost = host.lower()
            kind = FORGES.get(lhost)
            if kind is not None:
                found = self._golang_forge(lhost, kind, rest.partition("/")[0])
                if found is not None:
                    return found
        return _longest_prefix(self._golang_prefixes, path.lower(), "/")

    def _golang_forge(self, lhost: str, kind: str, owner: str) -> Match[T] | None:
        """The answer for a Go module on a forge (``lhost``, lower case, of ``kind``) by its
        owner's account, memoised per (host, owner); None when the account is not known."""
        key = (lhost, owner)
        memo = self._forge_memo
        found = memo.get(key)
        if found is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            target = self.owners.get((kind, owner.lower()))
            found = memo[key] = (
                self._none
                if target is None
                else self._match(f"Go module path {lhost}/{owner}/…", target, True)
            )
        return None if found is self._none else found

    def _swift(self, namespace: str | None, name: str) -> Match[T] | None:
        """A Swift package by the owner's account on a known forge: its purl namespace is the
        source host and owner (``pkg:swift/github.com/apple/swift-nio``). Names say nothing."""
        host, _, rest = (namespace or "").strip("/").partition("/")
        owner = rest.partition("/")[0]
        lhost = host.lower()
        kind = FORGES.get(lhost)
        target = None if kind is None or not owner else self.owners.get((kind, owner.lower()))
        return None if target is None else self._match(f"Swift package path {lhost}/{owner}/…", target, True)

    def _forge_lookup(self, eco: str, by_name: Callable[[str], Match[T] | None]) -> PurlLookup[T]:
        owners = self.owners

        def forge(namespace: str | None, name: str) -> Match[T] | None:
            ns = namespace.strip("/") if namespace else ""
            if not ns:
                return by_name(name)
            owner = ns.split("/", 1)[0]
            target = owners.get((eco, owner.lower()))
            return None if target is None else self._match(f"{eco} owner {owner}", target, True)

        return forge

    def _namespace_lookup(self, eco: str, by_name: Callable[[str], Match[T] | None]) -> PurlLookup[T]:
        table = self._tables(eco, eco + " namespace {}", self.namespaces)
        docker = eco == "docker"

        def namespaced(namespace: str | None, name: str) -> Match[T] | None:
            if namespace:
                ns = namespace.strip("/")
                if ns:
                    hit = table.get((ns.split("/", 1)[0] if docker else ns).lower())
                    if hit is not None:
                        return hit
            return by_name(name)

        return namespaced


#: Beyond this many keys a lookup memo is emptied (the knowledge base lives as long as the process).
_MEMO_LIMIT = 1 << 18

#: A purl lookup of one type: (namespace, name) → the match or None.
PurlLookup = Callable[[str | None, str], Match[T] | None]


def _no_match(namespace: str | None, name: str) -> None:
    """The lookup of a purl type no table of the index reads."""
    return None


class _Lookups(dict[str, PurlLookup[T]]):
    """Purl type → its lookup. A type written in another case is looked up in lower case (and
    remembered); a type no table reads gets :func:`_no_match`: indexing never fails."""

    def __missing__(self, ecosystem: str) -> PurlLookup[T]:
        low = ecosystem.lower()
        found: PurlLookup[T] = self.get(low, _no_match) if low != ecosystem else _no_match
        if len(self) < 1024:  # the distinct types of one SBOM: a handful
            self[ecosystem] = found
        return found


#: What :class:`_Joint` answers for one purl type: (namespace, name) → (match in the first index,
#: match in the second), each what that index's own lookup answers.
PairLookup = Callable[[str | None, str], tuple[Match[A] | None, Match[B] | None]]
_NO_PAIR: tuple[None, None] = (None, None)


def _no_pair(namespace: str | None, name: str) -> tuple[None, None]:
    """The joint lookup of a purl type neither index reads."""
    return _NO_PAIR


class _PairLookups(dict[str, PairLookup[A, B]]):
    """Purl type → its joint lookup, indexed as :class:`_Lookups` is (any case, never fails)."""

    def __missing__(self, ecosystem: str) -> PairLookup[A, B]:
        low = ecosystem.lower()
        found: PairLookup[A, B] = self.get(low, _no_pair) if low != ecosystem else _no_pair
        if len(self) < 1024:
            self[ecosystem] = found
        return found


class _Joint(Generic[A, B]):
    """The purl lookups of two indexes (organisations and services) answered together: the
    enrichment asks both for every component, and their work is the same up to the last table
    probe (the name lower-cased or PEP 503-normalised, the namespace stripped, the Go module
    path cut at each ``/``…). Each type's joint lookup reads tables merged from both indexes
    (key → the pair of answers) and gives the pair of Match values each index's own lookup
    (:meth:`_Identifiers._lookup_for`) gives; the rare shapes (a scoped npm package, a
    github/gitlab purl) ask both lookups. The tests compare the pair with both lookups."""

    def __init__(self, a: _Identifiers[A], b: _Identifiers[B]) -> None:
        self._a, self._b = a, b
        types = {eco for eco in a.ecosystems | b.ecosystems if eco == eco.lower()}
        self.lookups: _PairLookups[A, B] = _PairLookups((eco, self._lookup_for(eco)) for eco in types)

    def _lookup_for(self, eco: str) -> PairLookup[A, B]:
        by_name = self._by_name(eco)
        if eco == "maven":
            return self._maven(by_name)
        if eco == "npm" and by_name is None:
            return self._npm(_no_pair)
        if eco == "golang":
            return self._golang()
        if eco in ("composer", "docker", "deb", "rpm", "apk"):
            return self._namespaced(eco, by_name)
        if eco in ("github", "gitlab", "swift"):
            la, lb = self._a.lookups[eco], self._b.lookups[eco]
            return lambda namespace, name: (la(namespace, name), lb(namespace, name))
        return by_name or _no_pair

    def _by_name(self, eco: str) -> PairLookup[A, B] | None:
        """The name globs of both indexes for ``eco`` (see :class:`_GlobSet`), or None when
        neither has any: exact names in one table, then each index's patterns when the name
        starts with a literal head of either. A function of (namespace, name) that reads the
        name only (but for a scoped npm package, which it gives to each index's own lookup):
        the lookup of most types as it is."""
        ga, gb = self._a._glob_matches.get(eco), self._b._glob_matches.get(eco)
        if ga is None and gb is None:
            return None
        exact: dict[str, tuple[Match[A] | None, Match[B] | None]] = {}
        if ga is not None:
            for key, (_, ma) in ga.exact.items():
                exact[key] = (ma, None)
        if gb is not None:
            for key, (_, mb) in gb.exact.items():
                exact[key] = (exact.get(key, _NO_PAIR)[0], mb)
        wild_a = ga.wild if ga is not None else None
        wild_b = gb.wild if gb is not None else None
        heads: tuple[str, ...] | None = ()
        for glob, wild in ((ga, wild_a), (gb, wild_b)):
            if glob is not None and wild is not None:
                heads = None if heads is None or glob.heads is None else heads + glob.heads
        any_wild = wild_a is not None or wild_b is not None
        pypi = eco == "pypi"
        npm = eco == "npm"
        scoped_a, scoped_b = self._a.lookups[eco], self._b.lookups[eco]

        def by_name(namespace: str | None, name: str) -> tuple[Match[A] | None, Match[B] | None]:
            if npm and namespace and namespace.strip("/"):  # a scope: each index's own lookup
                return scoped_a(namespace, name), scoped_b(namespace, name)
            # the name's key; for pypi, _pypi_key(name) inlined (a call per component saved)
            if pypi and ("_" in name or "." in name or "--" in name):
                key = normalise_pypi(name)
            else:
                key = name.lower()
            pair = exact.get(key, _NO_PAIR)
            if any_wild and (heads is None or key.startswith(heads)):
                ma, mb = pair
                if ma is None and wild_a is not None:
                    hit_a = wild_a(key)  # checks its own heads again
                    ma = None if hit_a is None else hit_a[1]
                if mb is None and wild_b is not None:
                    hit_b = wild_b(key)
                    mb = None if hit_b is None else hit_b[1]
                pair = (ma, mb)
            return pair

        return by_name

    def _maven(self, by_name: PairLookup[A, B] | None) -> PairLookup[A, B]:
        prefixes = _merged(self._a._maven_prefixes, self._b._maven_prefixes)
        # groupId → both longest-prefix answers: shared by all its artifacts.
        memo: dict[str, tuple[Match[A] | None, Match[B] | None]] = {}

        def maven(namespace: str | None, name: str) -> tuple[Match[A] | None, Match[B] | None]:
            if not namespace:
                return _NO_PAIR if by_name is None else by_name(namespace, name)
            pair = memo.get(namespace)
            if pair is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                ns = namespace.strip("/").lower()
                pair = memo[namespace] = _longest_prefixes(prefixes, ns, ".") if ns else _NO_PAIR
            return pair if by_name is None else _either(pair, by_name, name)

        return maven

    def _npm(self, by_name: PairLookup[A, B]) -> PairLookup[A, B]:
        """The npm lookup when neither index has npm names (by_name then scopes only)."""
        la, lb = self._a.lookups["npm"], self._b.lookups["npm"]

        def npm(namespace: str | None, name: str) -> tuple[Match[A] | None, Match[B] | None]:
            if namespace and namespace.strip("/"):  # a scope: each index's own lookup
                return la(namespace, name), lb(namespace, name)
            return by_name(namespace, name)

        return npm

    def _golang(self) -> PairLookup[A, B]:
        a, b = self._a, self._b
        prefixes = _merged(a._golang_prefixes, b._golang_prefixes)
        memo: dict[tuple[str, str], tuple[Match[A] | None, Match[B] | None]] = {}
        # Every proper prefix (cut at a "/") of a path prefix of the tables: a namespace that is
        # none of them has no prefix longer than itself in the tables.
        extended = {key[:i] for key in prefixes for i, ch in enumerate(key) if ch == "/"}
        # namespace → the answer of its every module, when it cannot depend on the name: the
        # namespace holds the forge owner (or is on no forge) and no table prefix extends it.
        by_namespace: dict[str, tuple[Match[A] | None, Match[B] | None]] = {}

        def golang(namespace: str | None, name: str) -> tuple[Match[A] | None, Match[B] | None]:
            if namespace:
                known = by_namespace.get(namespace)
                if known is not None:
                    return known
            ns = namespace.strip("/") if namespace else ""
            path = f"{ns}/{name}" if ns else name
            host, _, rest = path.partition("/")
            lhost = host.lower()
            forge: tuple[Match[A] | None, Match[B] | None] = _NO_PAIR
            kind = FORGES.get(lhost) if rest else None
            if kind is not None:  # the owner's account first (see _Identifiers._golang)
                owner = rest.partition("/")[0]
                hit = memo.get((lhost, owner))
                if hit is None:
                    if len(memo) >= _MEMO_LIMIT:
                        memo.clear()
                    hit = memo[lhost, owner] = (
                        a._golang_forge(lhost, kind, owner),
                        b._golang_forge(lhost, kind, owner),
                    )
                forge = hit
            if forge[0] is not None and forge[1] is not None:
                pair = forge
            else:
                ma, mb = _longest_prefixes(prefixes, path.lower(), "/")
                pair = (ma if forge[0] is None else forge[0], mb if forge[1] is None else forge[1])
            if namespace and ns and ns.lower() not in extended and ("/" in ns or lhost not in FORGES):
                if len(by_namespace) >= _MEMO_LIMIT:
                    by_namespace.clear()
                by_namespace[namespace] = pair
            return pair

        return golang

    def _namespaced(self, eco: str, by_name: PairLookup[A, B] | None) -> PairLookup[A, B]:
        table = _merged(
            self._a._tables(eco, eco + " namespace {}", self._a.namespaces),
            self._b._tables(eco, eco + " namespace {}", self._b.namespaces),
        )
        docker = eco == "docker"
        # namespace as written → its table answer (_NO_PAIR: none), shared by all its packages
        memo: dict[str, tuple[Match[A] | None, Match[B] | None]] = {}

        def namespaced(namespace: str | None, name: str) -> tuple[Match[A] | None, Match[B] | None]:
            if namespace:
                pair = memo.get(namespace)
                if pair is None:
                    if len(memo) >= _MEMO_LIMIT:
                        memo.clear()
                    ns = namespace.strip("/")
                    key = (ns.split("/", 1)[0] if docker else ns).lower()
                    pair = memo[namespace] = table.get(key, _NO_PAIR) if ns else _NO_PAIR
                if pair is not _NO_PAIR:  # (every pair of the table has an answer)
                    return pair if by_name is None else _either(pair, by_name, name)
            return _NO_PAIR if by_name is None else by_name(namespace, name)

        return namespaced


def _merged(
    a: Mapping[str, Match[A]], b: Mapping[str, Match[B]]
) -> dict[str, tuple[Match[A] | None, Match[B] | None]]:
    """Two tables of answers by key as one: key → (a's answer or None, b's answer or None)."""
    return {key: (a.get(key), b.get(key)) for key in (*a, *b)}


def _either(
    pair: tuple[Match[A] | None, Match[B] | None], by_name: PairLookup[A, B], name: str
) -> tuple[Match[A] | None, Match[B] | None]:
    """``pair``, each side that found nothing answered by the name lookup instead."""
    ma, mb = pair
    if ma is not None and mb is not None:
        return pair
    na, nb = by_name(None, name)
    return (na if ma is None else ma, nb if mb is None else mb)


def _longest_prefixes(
    table: Mapping[str, tuple[Match[A] | None, Match[B] | None]], key: str, sep: str
) -> tuple[Match[A] | None, Match[B] | None]:
    """:func:`_longest_prefix` for both sides of a merged table in one walk: each side's answer
    is that of its longest prefix."""
    ma: Match[A] | None = None
    mb: Match[B] | None = None
    while True:
        hit = table.get(key)
        if hit is not None:
            if ma is None:
                ma = hit[0]
            if mb is None:
                mb = hit[1]
            if ma is not None and mb is not None:
                break
        cut = key.rfind(sep)
        if cut < 0:
            break
        key = key[:cut]
    return ma, mb


def _second(hit: tuple[str, Match[T]] | None) -> Match[T] | None:
    return None if hit is None else hit[1]


def _longest_prefix(table: Mapping[str, Match[T]], key: str, sep: str) -> Match[T] | None:
    """The entry of the longest prefix of ``key`` ending at a ``sep`` (or the whole key): probes
    the whole key, then cuts at each separator from the right."""
    while True:
        hit = table.get(key)
        if hit is not None:
            return hit
        cut = key.rfind(sep)
        if cut < 0:
            return None
        key = key[:cut]


def _pypi_key(name: str) -> str:
    """:func:`normalise_pypi` without its regular expression when there is nothing to collapse
    (no ``_``, ``.`` or ``--``: most names), as it runs once per PyPI component."""
    if "_" in name or "." in name or "--" in name:
        return normalise_pypi(name)
    return name.lower()


def _plain_url_host(text: str) -> str | None:
    """The host of ``scheme://host/…`` when the scheme is only ASCII letters and the host only
    ASCII letters, digits, ``.``, ``-`` and ``_``; None for anything else (userinfo, port, IPv6,
    percent signs, non-ASCII…), which :func:`urllib.parse.urlsplit` must then read.

    For those plain URLs ``urlsplit(text).hostname`` is exactly the lower-cased text between
    ``://`` and the next ``/``; this string split is several times faster, and URLs are read once
    per external reference (hundreds of thousands in a large SBOM)."""
    scheme, _, rest = text.partition("://")
    netloc = rest.partition("/")[0]
    if (
        scheme.isascii()
        and scheme.isalpha()
        and netloc.isascii()
        and netloc.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        return netloc.lower()
    return None


def host_of(text: str) -> str | None:
    """The lower-case host of an e-mail address, URL (``git+https://…``, ``git@host:owner/repo``)
    or bare domain, without ``www.``; None when there is none."""
    text = text.strip().strip("<>")
    if not text:
        return None
    if "://" not in text and "@" in text:
        text = text.rpartition("@")[2]
        text = text.split(":", 1)[0].split("/", 1)[0]
    elif "://" in text:
        text = text.partition("+")[2] if text.split("://", 1)[0].count("+") else text
        host = _plain_url_host(text)
        if host is None:
            try:
                host = urlsplit(text).hostname
            except ValueError:
                return None
        text = host or ""
    else:
        text = text.split("/", 1)[0]
    host = text.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host if "." in host else None


def host_key(text: str) -> str:
    """A prefix of ``text`` whose :func:`host_of` is the same, shared by every URL of one host:
    ``scheme://netloc`` (up to the first ``/`` after ``://``), else the whole text.

    :func:`host_of` reads a URL's host from the text before that ``/`` only (its scheme, and its
    netloc, which ends at the first ``/``, ``?`` or ``#``); it strips the text's ends, which the
    cut would change only when the character before the ``/`` is a space or ``<``/``>``: then
    the whole text is the key. For memos of hosts per URL (thousands of repository URLs, a few
    hosts)."""
    i = text.find("://")
    if i < 0:
        return text
    j = text.find("/", i + 3)
    if j < 0:
        return text
    last = text[j - 1]
    if last not in _HOST_END and (last.isspace() or last in "<>"):
        return text
    return text[:j]


#: Characters a host (or a port) commonly ends with: neither space nor ``<``/``>``, so host_key
#: needs no isspace() call for them (it runs once per external reference).
_HOST_END = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_]")


def forge_owner(url: str) -> tuple[str, str] | None:
    """``(host, owner)`` of a repository URL on a known forge (``https://github.com/org/repo``,
    ``git@github.com:org/repo.git``, ``git+https://…``), else None."""
    return forge_owner_at(url, host_of(url))


def forge_owner_at(url: str, url_host: str | None) -> tuple[str, str] | None:
    """:func:`forge_owner` when ``url_host`` is ``host_of(url)``, already known (the caller reads
    the same URL's host for a domain match too)."""
    text = url.strip()
    if text.startswith("git@") and ":" in text:
        host, _, path = text[4:].partition(":")
    else:
        host = url_host or ""
        if host not in FORGES:
            return None
        if "://" in text:
            tail = text.split("://", 1)[1]
            path = tail.split("/", 1)[1] if "/" in tail else ""
        else:
            path = text.split("/", 1)[1] if "/" in text else ""
    host = host.lower().removeprefix("www.")
    owner = path.strip("/").split("/", 1)[0]
    if host not in FORGES or not owner:
        return None
    return host, owner


class KnowledgeBase:
    """Organisations, services, blocs and regimes, immutable after construction.

    Build it with :func:`souverain.knowledge.load` (which validates); the constructor trusts its
    input. Lookups never raise on unknown keys: they return None.
    """

    __slots__ = (
        "_blocs",
        "_blocs_of",
        "_by_name",
        "_expansions",
        "_ids",
        "_iso",
        "_joint",
        "_regimes",
        "_service_ids",
        "_services",
        "organisations",
    )

    def __init__(
        self,
        organisations: Sequence[Organisation],
        services: Sequence[Service] = (),
        blocs: Sequence[Bloc] = (),
        regimes: Sequence[Regime] = (),
        iso_codes: frozenset[str] = frozenset(),
    ) -> None:
        self.organisations: Mapping[str, Organisation] = MappingProxyType({o.id: o for o in organisations})
        self._services: Mapping[str, Service] = MappingProxyType({s.id: s for s in services})
        self._by_name: dict[str, Organisation] = {}
        for org in organisations:
            for n in (org.name, *org.aliases):
                key = normalise_name(n)
                if key:
                    self._by_name.setdefault(key, org)
        self._ids: _Identifiers[Organisation] = _Identifiers((o, o.identifiers) for o in organisations)
        self._service_ids: _Identifiers[Service] = _Identifiers((s, s.clients) for s in services)
        self._joint: _Joint[Organisation, Service] | None = None  # see package_and_service_lookups
        self._iso = iso_codes
        self._blocs: Mapping[str, Bloc] = MappingProxyType({b.code: b for b in blocs})
        blocs_of: dict[str, list[str]] = {}
        for b in sorted(blocs, key=lambda b: b.code):
            for m in b.members:
                blocs_of.setdefault(m, []).append(b.code)
        self._blocs_of = {c: tuple(v) for c, v in blocs_of.items()}
        by_country: dict[str, list[Regime]] = {}
        for r in regimes:
            by_country.setdefault(r.country, []).append(r)
        self._regimes = {c: tuple(v) for c, v in by_country.items()}
        self._expansions: dict[str, frozenset[str]] = {c: frozenset({c}) for c in iso_codes}
        self._expansions.update({b.code: b.members for b in blocs})

    # -- organisations --------------------------------------------------------------------

    def organisation(self, org_id: str) -> Organisation | None:
        """The organisation with this id, or None."""
        return self.organisations.get(org_id)

    def chain(self, org_id: str) -> tuple[Organisation, ...]:
        """The organisation, its parent, … up to the ultimate owner (stops on a cycle or a missing
        parent); empty when the id is unknown."""
        out: list[Organisation] = []
        seen: set[str] = set()
        org = self.organisations.get(org_id)
        while org is not None and org.id not in seen:
            out.append(org)
            seen.add(org.id)
            org = self.organisations.get(org.parent) if org.parent else None
        return tuple(out)

    def ultimate(self, org_id: str) -> Organisation:
        """The ultimate owner of an organisation (itself when it has no parent).

        Raises KeyError for an unknown id."""
        chain = self.chain(org_id)
        if not chain:
            raise KeyError(org_id)
        return chain[-1]

    def match_name(self, name: str) -> Organisation | None:
        """The organisation whose legal name or alias equals ``name`` after normalisation (case,
        punctuation, legal suffixes); exact, never a substring match."""
        key = normalise_name(name)
        return self._by_name.get(key) if key else None

    def match_domain(self, domain_or_email_or_url: str) -> Organisation | None:
        """The organisation owning the domain of an e-mail address, URL or host name; subdomains
        match (``docs.microsoft.com`` → microsoft.com)."""
        hit = self.match_domain_detail(domain_or_email_or_url)
        return hit[1] if hit else None

    def match_domain_detail(self, text: str) -> tuple[str, Organisation] | None:
        """Like :meth:`match_domain`, also returning the KB domain that matched."""
        host = host_of(text)
        return self._ids.domain(host) if host else None

    def match_host_detail(self, host: str) -> tuple[str, Organisation] | None:
        """:meth:`match_domain_detail` for a host already read with :func:`host_of`."""
        return self._ids.domain(host)

    def match_forge(self, host: str, owner: str) -> Organisation | None:
        """The organisation owning a GitHub/GitLab account (``("github.com", "Azure")``)."""
        return self._ids.forge(host.lower().removeprefix("www."), owner)

    def match_package_detail(
        self, ecosystem: str, namespace: str | None, name: str
    ) -> Match[Organisation] | None:
        """Like :meth:`match_package`, also saying whether a namespace (vs a name pattern) matched."""
        return self._ids.package(ecosystem, namespace, name)

    def package_lookups(self) -> Mapping[str, PurlLookup[Organisation]]:
        """:meth:`match_package_detail` for loops over many components: purl type → a function
        of (namespace, name); every type can be indexed (one that no table reads gives a
        function answering None). ``lookups[t](ns, n)`` is ``match_package_detail(t, ns, n)``."""
        return self._ids.lookups

    def service_lookups(self) -> Mapping[str, PurlLookup[Service]]:
        """:meth:`match_service_detail` as :meth:`package_lookups` gives :meth:`match_package_detail`."""
        return self._service_ids.lookups

    def package_and_service_lookups(self) -> Mapping[str, PairLookup[Organisation, Service]]:
        """:meth:`package_lookups` and :meth:`service_lookups` in one: purl type → a function of
        (namespace, name) giving the pair ``(match_package_detail(…), match_service_detail(…))``
        with the work the two share done once (the enrichment asks both for every component)."""
        if self._joint is None:
            self._joint = _Joint(self._ids, self._service_ids)
        return self._joint.lookups

    def match_package(
        self, ecosystem: str, namespace: str | None, name: str
    ) -> tuple[Organisation, str] | None:
        """``(organisation, identifier that matched)`` for a purl's type, namespace and name."""
        m = self._ids.package(ecosystem, namespace, name)
        return (m.target, m.identifier) if m else None

    # -- services -------------------------------------------------------------------------

    @property
    def services(self) -> Mapping[str, Service]:
        """Every service by id."""
        return self._services

    def match_service_detail(self, ecosystem: str, namespace: str | None, name: str) -> Match[Service] | None:
        """Like :meth:`match_service`, also saying whether a namespace matched."""
        return self._service_ids.package(ecosystem, namespace, name)

    def match_service(self, ecosystem: str, namespace: str | None, name: str) -> tuple[Service, str] | None:
        """``(service, identifier that matched)`` when the package is a client library of a service."""
        m = self._service_ids.package(ecosystem, namespace, name)
        return (m.target, m.identifier) if m else None

    def match_service_domain(self, text: str) -> tuple[str, Service] | None:
        """The service whose ``clients.domains`` owns the host of an endpoint URL."""
        host = host_of(text)
        return self._service_ids.domain(host) if host else None

    # -- jurisdictions --------------------------------------------------------------------

    @property
    def blocs(self) -> Mapping[str, Bloc]:
        """Every bloc by code."""
        return self._blocs

    def is_country(self, code: str) -> bool:
        """True for an ISO 3166-1 alpha-2 code."""
        return code in self._iso

    def expand(self, codes: Iterable[str]) -> frozenset[str]:
        """Country codes for a list of codes and bloc names (``["EU", "CH"]``); case-insensitive.

        Raises ValueError naming the first code that is neither a country nor a bloc."""
        out: set[str] = set()
        for code in codes:
            members = self._expansions.get(code.strip().upper())
            if members is None:
                known = ", ".join(sorted(self._blocs))
                raise ValueError(
                    f"unknown country or bloc {code!r} (blocs: {known}; countries: ISO 3166-1 alpha-2)"
                )
            out |= members
        return frozenset(out)

    def blocs_of(self, country: str) -> tuple[str, ...]:
        """The blocs a country belongs to, sorted (``"FR"`` → ``("EEA", "EU")``)."""
        return self._blocs_of.get(country.upper(), ())

    def regimes(self, country: str) -> tuple[Regime, ...]:
        """The extraterritorial regimes of a country, in file order."""
        return self._regimes.get(country.upper(), ())

    def stats(self) -> dict[str, int]:
        """Counts for ``souverain kb stats``."""
        orgs = list(self.organisations.values())
        stats = {
            "organisations": len(orgs),
            "services": len(self._services),
            "blocs": len(self._blocs),
            "regimes": sum(len(v) for v in self._regimes.values()),
            "countries": len({o.country for o in orgs if o.country}),
            "unchecked": sum(1 for o in orgs if not o.checked),
            "with_parent": sum(1 for o in orgs if o.parent),
            "identifiers": sum(len(v) for o in orgs for v in o.identifiers.values()),
        }
        for org in orgs:
            key = f"kind:{org.kind.value}"
            stats[key] = stats.get(key, 0) + 1
        return stats
