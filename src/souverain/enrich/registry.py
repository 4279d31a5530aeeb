"""Opt-in online enrichment from package registries (PyPI JSON API, npm registry documents).

Two steps, so that the network is used concurrently and the enrichers stay pure:

1. :func:`prefetch` collects one lookup per distinct (source, package, version) from the
   components' purls, answers what it can from the on-disk cache, fetches the rest with a bounded
   worker pool (per-host token bucket, retries, total deadline) when a session is given, and keeps
   the answers in ``ctx.options[ANSWERS_KEY]``. Without a session (offline, the default) it only
   reads the cache. It returns :class:`OnlineStats`.
2. :class:`PypiEnricher` and :class:`NpmEnricher` (names ``registry:pypi`` / ``registry:npm``)
   read those answers (or the cache) and turn registry facts into attributions, with no network.

Only identifiers derived from purls (package name and version) are sent, to endpoints that are
settings (:mod:`souverain.endpoints`). No URL found in an SBOM or in a registry answer is fetched.

Attribution rules for the controller (evidence source ``registry``):

* the repository URL's owner matched to the knowledge base (``match_forge``) gives **medium**
  confidence, **high** when it agrees with the knowledge base's match of the purl itself
  (npm scope, PyPI name pattern) and the organisation's facts are checked;
* a project web domain matched to the knowledge base (``match_domain``) alone gives **low**;
* an author or maintainer e-mail domain never pins a package on a company by itself: it is only
  added as supporting evidence when the repository owner matches the same organisation;
* an author string alone (``match_name``, when the knowledge base offers it) stays **low**.

The declared licence becomes a ``license`` attribution through
``souverain.knowledge.licences.normalise`` when that module exists, capped at medium confidence.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from packageurl import PackageURL

from souverain.cache import JsonCache, default_cache_dir
from souverain.endpoints import Endpoint, Unavailable, resolve_endpoints
from souverain.enrich.base import EnrichContext, OrgLike, controller_of
from souverain.errors import NetworkError
from souverain.http import Fetched, HostRateLimiter, Limits, fetch_json
from souverain.model import (
    Attribution,
    Component,
    Confidence,
    Controller,
    DeclaredLicense,
    Evidence,
)
from souverain.progress import Progress

ANSWERS_KEY = "registry.answers"
"""``ctx.options`` key of the prefetched answers: ``{(source, package, version): doc | None}``."""
CACHE_KEY = "registry.cache"
"""``ctx.options`` key of the :class:`~souverain.cache.JsonCache` to read when not prefetched."""
TASK = "registry"
FORGE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})
_NPM_SHORTHANDS = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}
_REPO_KEYS = ("source", "repository", "code", "source code", "github", "gitlab", "homepage", "home")


# ------------------------------------------------------------------------------------------
# The knowledge-base API used here (souverain.knowledge.KnowledgeBase implements it)
# ------------------------------------------------------------------------------------------


class KnowledgeLike(Protocol):
    """The knowledge-base lookups used by the registry enrichers."""

    def match_forge(self, host: str, owner: str) -> OrgLike | None: ...
    def match_domain(self, domain: str) -> OrgLike | None: ...
    def chain(self, org_id: str) -> Sequence[OrgLike]: ...


# ------------------------------------------------------------------------------------------
# Lookups: what is asked of which registry
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lookup:
    """One registry question: ``package`` (PEP 503-normalised for PyPI, ``@scope/name`` for
    npm) at ``version`` (None: the latest)."""

    source: str
    package: str
    version: str | None
    namespace: str | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        """The answer's key in the store and the cache."""
        return (self.source, self.package, self.version)


def _pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _purl_version(purl: str) -> str | None:
    try:
        return PackageURL.from_string(purl).version or None
    except ValueError:
        return None


def lookup_for(component: Component) -> Lookup | None:
    """The lookup for a component with a PyPI or npm purl, else None. The version is the purl's
    (what the registry knows the package by), else the component's."""
    if not component.purl or not component.package or component.ecosystem not in ("pypi", "npm"):
        return None
    version = _purl_version(component.purl) or component.version or None
    if component.package.strip(".") == "" or (version is not None and version.strip(".") == ""):
        return None  # "." and ".." would be path segments, not names
    if component.ecosystem == "pypi":
        return Lookup("pypi", _pep503(component.package), version)
    scope = component.namespace
    if scope and not scope.startswith("@"):
        scope = "@" + scope
    name = f"{scope}/{component.package}" if scope else component.package
    return Lookup("npm", name, version, scope)


def urls_for(lookup: Lookup, endpoint: Endpoint) -> list[str]:
    """The URLs to try, in order: the version's document, then the package's document."""
    base = endpoint.base_for(lookup.namespace)
    if lookup.source == "pypi":
        name = quote(lookup.package, safe="")
        urls = [f"{base}/{name}/json"]
        if lookup.version:
            urls.insert(0, f"{base}/{name}/{quote(lookup.version, safe='')}/json")
        return urls
    name = quote(lookup.package, safe="@")  # "@scope/name" → "@scope%2Fname"
    return [f"{base}/{name}/{quote(lookup.version or 'latest', safe='')}", f"{base}/{name}"]


# ------------------------------------------------------------------------------------------
# Trimming answers (only what the enrichers read is kept and cached)
# ------------------------------------------------------------------------------------------

_NPM_FIELDS = (
    "name",
    "version",
    "license",
    "licenses",
    "author",
    "maintainers",
    "contributors",
    "repository",
    "homepage",
    "bugs",
)
_PYPI_FIELDS = (
    "name",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "home_page",
    "project_urls",
    "license",
    "license_expression",
    "classifiers",
)


def trim_answer(source: str, doc: Mapping[str, Any], version: str | None) -> dict[str, Any] | None:
    """The part of a registry answer the enrichers use, or None if it has none of it.

    A full npm package document is reduced to the requested version (or ``dist-tags.latest``)."""
    if source == "pypi":
        info = doc.get("info")
        if not isinstance(info, dict):
            return None
        return {"info": {k: info[k] for k in _PYPI_FIELDS if k in info}}
    if isinstance(doc.get("versions"), dict):  # a full package document
        tags = doc.get("dist-tags") if isinstance(doc.get("dist-tags"), dict) else {}
        wanted = version or (tags or {}).get("latest")
        picked = doc["versions"].get(wanted) if isinstance(wanted, str) else None
        if not isinstance(picked, dict):
            return None
        doc = picked
    if "name" not in doc:
        return None
    return {k: doc[k] for k in _NPM_FIELDS if k in doc}


# ------------------------------------------------------------------------------------------
# Facts extracted from an answer (pure)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """One value read from a registry answer, with the field it came from."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class RegistryFacts:
    """What a registry answer says about a package."""

    source: str
    package: str
    repositories: tuple[Fact, ...] = ()
    web: tuple[Fact, ...] = ()
    emails: tuple[Fact, ...] = ()
    authors: tuple[Fact, ...] = ()
    licences: tuple[DeclaredLicense, ...] = ()


_PERSON_RE = re.compile(r"^\s*([^<(]*?)\s*(?:<([^>]*)>)?\s*(?:\(([^)]*)\))?\s*$")


def _person(value: Any, fld: str) -> tuple[list[Fact], list[Fact], list[Fact]]:
    """(names, e-mails, urls) from an npm person (object or ``"Name <mail> (url)"``)."""
    names: list[Fact] = []
    emails: list[Fact] = []
    urls: list[Fact] = []
    if isinstance(value, dict):
        name, mail, url = value.get("name"), value.get("email"), value.get("url")
    elif isinstance(value, str):
        m = _PERSON_RE.match(value)
        name, mail, url = (m.group(1), m.group(2), m.group(3)) if m else (value, None, None)
    else:
        return names, emails, urls
    if isinstance(name, str) and name.strip():
        names.append(Fact(f"{fld}.name", name.strip()))
    if isinstance(mail, str) and "@" in mail:
        emails.append(Fact(f"{fld}.email", mail.strip()))
    if isinstance(url, str) and url.strip():
        urls.append(Fact(f"{fld}.url", url.strip()))
    return names, emails, urls


def _split_emails(value: Any, fld: str) -> list[Fact]:
    if not isinstance(value, str):
        return []
    found = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value)
    return [Fact(fld, e) for e in found]


def facts_from_pypi(package: str, doc: Mapping[str, Any]) -> RegistryFacts:
    """Facts from a (trimmed) PyPI JSON answer."""
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    assert isinstance(info, dict)
    repos: list[Fact] = []
    web: list[Fact] = []
    urls: list[Fact] = []
    if isinstance(info.get("home_page"), str) and info["home_page"]:
        urls.append(Fact("info.home_page", info["home_page"]))
    project_urls = info.get("project_urls")
    if isinstance(project_urls, dict):
        urls.extend(
            Fact(f"info.project_urls.{k}", v) for k, v in project_urls.items() if isinstance(v, str) and v
        )
    for f in urls:
        (repos if parse_repository(f.value) is not None else web).append(f)
    emails = _split_emails(info.get("author_email"), "info.author_email") + _split_emails(
        info.get("maintainer_email"), "info.maintainer_email"
    )
    authors = [
        Fact(f"info.{k}", info[k].strip())
        for k in ("author", "maintainer")
        if isinstance(info.get(k), str) and info[k].strip()
    ]
    return RegistryFacts(
        "pypi", package, tuple(repos), tuple(web), tuple(emails), tuple(authors), pypi_licences(info)
    )


def pypi_licences(info: Mapping[str, Any]) -> tuple[DeclaredLicense, ...]:
    """The best licence statement of a PyPI ``info`` block: ``license_expression`` (PEP 639),
    else a short ``license`` text, else the ``License ::`` classifiers."""
    expr = info.get("license_expression")
    if isinstance(expr, str) and expr.strip():
        return (DeclaredLicense("expression", expr.strip(), "info.license_expression"),)
    text = info.get("license")
    if isinstance(text, str) and text.strip() and len(text) <= 100 and "\n" not in text.strip():
        return (DeclaredLicense("name", text.strip(), "info.license"),)
    classifiers = info.get("classifiers")
    if isinstance(classifiers, list):
        found = tuple(
            DeclaredLicense("name", c.split("::")[-1].strip(), "info.classifiers")
            for c in classifiers
            if isinstance(c, str) and c.startswith("License ::") and c.count("::") >= 2
        )
        if found:
            return found
    return ()


def facts_from_npm(package: str, doc: Mapping[str, Any]) -> RegistryFacts:
    """Facts from a (trimmed) npm version document."""
    repos: list[Fact] = []
    repo = doc.get("repository")
    if isinstance(repo, dict) and isinstance(repo.get("url"), str):
        repos.append(Fact("repository.url", repo["url"]))
    elif isinstance(repo, str) and repo:
        repos.append(Fact("repository", repo))
    web: list[Fact] = []
    if isinstance(doc.get("homepage"), str) and doc["homepage"]:
        f = Fact("homepage", doc["homepage"])
        (repos if not repos and parse_repository(f.value) is not None else web).append(f)
    names, emails, urls = _person(doc.get("author"), "author")
    web.extend(urls)
    for key in ("maintainers", "contributors"):
        people = doc.get(key)
        if isinstance(people, list):
            for i, p in enumerate(people):
                _n, e, _u = _person(p, f"{key}[{i}]")
                emails.extend(e)
    return RegistryFacts(
        "npm", package, tuple(repos), tuple(web), tuple(emails), tuple(names), npm_licences(doc)
    )


def npm_licences(doc: Mapping[str, Any]) -> tuple[DeclaredLicense, ...]:
    """The licence statements of an npm version document (``license``, legacy ``licenses``)."""
    lic = doc.get("license")
    if isinstance(lic, str) and lic.strip():
        return (DeclaredLicense("expression", lic.strip(), "license"),)
    if isinstance(lic, dict) and isinstance(lic.get("type"), str):
        return (DeclaredLicense("name", lic["type"], "license.type", lic.get("url")),)
    legacy = doc.get("licenses")
    if isinstance(legacy, list):
        return tuple(
            DeclaredLicense("name", item["type"], f"licenses[{i}].type")
            for i, item in enumerate(legacy)
            if isinstance(item, dict) and isinstance(item.get("type"), str)
        )
    return ()


def parse_repository(url: str) -> tuple[str, str] | None:
    """``(host, owner)`` of a repository URL (``git+https://``, ``git@host:owner/repo``,
    ``github:owner/repo``, npm's ``owner/repo`` shorthand, or a forge web page), else None.
    Only the forges in :data:`FORGE_HOSTS` are recognised in web URLs; git URLs may name any
    host."""
    text = url.strip()
    if not text:
        return None
    m = re.match(r"^(github|gitlab|bitbucket):([^/\s]+)/[^/\s]+$", text)
    if m:
        return _NPM_SHORTHANDS[m.group(1)], m.group(2)
    if re.match(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$", text):  # npm shorthand owner/repo
        return "github.com", text.split("/", 1)[0]
    m = re.match(r"^[\w.-]+@([\w.-]+):/?([^/\s]+)/", text)  # scp-like git@host:owner/repo
    if m:
        return m.group(1).lower(), m.group(2)
    git_like = text.startswith(("git+", "git://", "ssh://")) or text.endswith(".git")
    try:
        parts = urlsplit(text.removeprefix("git+"))
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if not host or not segments or (host not in FORGE_HOSTS and not git_like):
        return None
    if host in FORGE_HOSTS and len(segments) < 2:
        return None
    return host, segments[0]


# ------------------------------------------------------------------------------------------
# Attributions (pure)
# ------------------------------------------------------------------------------------------


def _controller(kb: KnowledgeLike, org: OrgLike) -> Controller:
    return controller_of(kb, org)


def _ultimate_id(kb: KnowledgeLike, org: OrgLike) -> str:
    chain = tuple(kb.chain(org.id))
    return chain[-1].id if chain else org.id


def _origin(org: OrgLike) -> str:
    origin = getattr(org, "origin", "")
    return origin if isinstance(origin, str) else ""


def namespace_org(kb: Any, component: Component) -> OrgLike | None:
    """The knowledge base's own match of the component's purl (npm scope, Maven group, PyPI
    name pattern…) through ``match_package``, when the knowledge base offers it."""
    match_package = getattr(kb, "match_package", None)
    if not callable(match_package) or not component.ecosystem or not component.package:
        return None
    found = match_package(component.ecosystem, component.namespace, component.package)
    if isinstance(found, tuple) and found:
        found = found[0]
    return found if found is not None and hasattr(found, "id") else None


def controller_attribution(
    facts: RegistryFacts,
    kb: KnowledgeLike,
    *,
    ns_org: OrgLike | None = None,
    source_name: str = "",
) -> Attribution[Controller] | None:
    """The controller attribution the registry facts support, by the rules in the module doc,
    or None when they support none."""
    label = f"registry {facts.source} {facts.package}"
    repo_hits: list[tuple[Fact, str, str, OrgLike]] = []
    for f in facts.repositories:
        parsed = parse_repository(f.value)
        if parsed is None:
            continue
        org = kb.match_forge(*parsed)
        if org is not None:
            repo_hits.append((f, *parsed, org))
    if repo_hits:
        f, host, owner, org = repo_hits[0]
        ultimate = _ultimate_id(kb, org)
        evidence = [
            Evidence(
                "registry",
                f"{label}: {f.field} {f.value} → {host}/{owner} → {org.name} (knowledge base)",
                _origin(org),
            )
        ]
        for e in facts.emails:
            mail_org = kb.match_domain(e.value)
            if mail_org is not None and _ultimate_id(kb, mail_org) == ultimate:
                domain = e.value.rsplit("@", 1)[-1]
                evidence.append(
                    Evidence(
                        "registry",
                        f"{label}: {e.field} domain {domain} → {mail_org.name}, "
                        "agrees with the repository owner",
                        _origin(mail_org),
                    )
                )
        confidence = Confidence.MEDIUM
        if ns_org is not None and _ultimate_id(kb, ns_org) == ultimate:
            evidence.append(
                Evidence("registry", f"{label}: agrees with the purl's own match → {ns_org.name}")
            )
            if getattr(org, "checked", True) is not False:
                confidence = Confidence.HIGH
        return Attribution("controller", _controller(kb, org), confidence, tuple(evidence), source_name)
    for f in facts.web:
        org = kb.match_domain(f.value)
        if org is not None:
            host = urlsplit(f.value).hostname or f.value
            ev = Evidence(
                "registry",
                f"{label}: {f.field} {host} → {org.name} (knowledge base; web domain only)",
                _origin(org),
            )
            return Attribution("controller", _controller(kb, org), Confidence.LOW, (ev,), source_name)
    match_name = getattr(kb, "match_name", None)
    if callable(match_name):
        for f in facts.authors:
            org = match_name(f.value)
            if org is not None and hasattr(org, "id"):
                ev = Evidence(
                    "registry",
                    f"{label}: {f.field} {f.value!r} → {org.name} (knowledge base; author string only)",
                    _origin(org),
                )
                return Attribution("controller", _controller(kb, org), Confidence.LOW, (ev,), source_name)
    return None


def _normaliser() -> Callable[[Sequence[DeclaredLicense]], Any] | None:
    try:
        from souverain.knowledge import licences
    except ImportError:
        return None
    fn = getattr(licences, "normalise", None)
    return fn if callable(fn) else None


def license_attribution(facts: RegistryFacts, *, source_name: str = "") -> Attribution[Any] | None:
    """The licence attribution of the registry's declared licence (via the knowledge base's
    licence normaliser, confidence capped at medium), or None when there is no declaration or
    no normaliser."""
    normalise = _normaliser()
    if not facts.licences or normalise is None:
        return None
    verdict, confidence, evidence = normalise(facts.licences)
    if confidence == Confidence.HIGH:
        confidence = Confidence.MEDIUM
    said = "; ".join(f"{d.field} {d.value!r}" for d in facts.licences)
    ev = (
        Evidence("registry", f"registry {facts.source} {facts.package}: {said}"),
        *(Evidence("registry", e.detail, e.location) for e in evidence),
    )
    return Attribution("license", verdict, confidence, ev, source_name)


# ------------------------------------------------------------------------------------------
# Prefetch
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OnlineStats:
    """What :func:`prefetch` did. ``requested`` counts distinct lookups; ``offline_misses``
    the lookups an offline run found no cache entry for; ``no_endpoint`` holds
    ``(source, reason)`` pairs."""

    requested: int = 0
    cache_hits: int = 0
    fetched: int = 0
    not_found: int = 0
    failed: int = 0
    skipped: int = 0
    offline_misses: int = 0
    online: bool = False
    no_endpoint: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(slots=True)
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, warning: str | None = None) -> None:
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + 1
            if warning:
                self.warnings.append(warning)


def lookups_of(components: Iterable[Component]) -> list[Lookup]:
    """The distinct lookups of ``components``, in first-seen order."""
    seen: dict[tuple[str, str, str | None], Lookup] = {}
    for c in components:
        lk = lookup_for(c)
        if lk is not None and lk.key not in seen:
            seen[lk.key] = lk
    return list(seen.values())


def fetch_lookup(
    session: Any,
    lookup: Lookup,
    endpoint: Endpoint,
    *,
    limits: Limits,
    limiter: HostRateLimiter | None,
    deadline: float | None,
) -> tuple[Fetched, dict[str, Any] | None]:
    """Fetch one lookup (version document first, then the package document) and trim it."""
    outcome = Fetched("error", "", error="no URL")
    for url in urls_for(lookup, endpoint):
        outcome = fetch_json(session, url, limits=limits, limiter=limiter, deadline=deadline)
        if outcome.status == "ok" and outcome.data is not None:
            trimmed = trim_answer(lookup.source, outcome.data, lookup.version)
            if trimmed is None:
                return Fetched("not-found", url, error="version not in the answer"), None
            return outcome, trimmed
        if outcome.status == "error":
            break
    return outcome, None


def prefetch(
    components: Iterable[Component],
    ctx: EnrichContext,
    *,
    workers: int = 8,
    deadline: float = 120.0,
    progress: Progress | None = None,
    endpoints: Mapping[str, Endpoint | Unavailable | None] | None = None,
    cache: JsonCache | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    limits: Limits | None = None,
    rate: float = 20.0,
    require_online: bool = False,
) -> OnlineStats:
    """Answer every registry lookup of ``components`` before enrichment (see the module doc).

    Online when ``ctx.session`` is set: cache first, then at most ``workers`` concurrent fetches,
    ``rate`` requests per second per host, nothing started after ``deadline`` seconds (those
    lookups are counted as ``skipped``). Offline: the cache only. Answers go to
    ``ctx.options[ANSWERS_KEY]`` and the cache to ``ctx.options[CACHE_KEY]``. A failed lookup is a
    warning and a count; :class:`~souverain.errors.NetworkError` is raised only when
    ``require_online`` and nothing could be fetched at all.

    ``endpoints`` defaults to :func:`souverain.endpoints.resolve_endpoints` over the environment
    and ``ctx.options["online_config"]``; ``cache`` to a :class:`~souverain.cache.JsonCache` in
    ``cache_dir`` (else ``ctx.options["cache_dir"]``, else the default cache directory).
    """
    progress = progress if progress is not None else ctx.progress
    online = ctx.session is not None
    lookups = lookups_of(components)
    cache = cache or _cache_from(ctx, cache_dir)
    ctx.options[CACHE_KEY] = cache
    answers: dict[tuple[str, str, str | None], dict[str, Any] | None] = ctx.options.setdefault(
        ANSWERS_KEY, {}
    )
    if endpoints is None:
        config = ctx.options.get("online_config") or {}
        endpoints = resolve_endpoints(config, os.environ, Path.home(), run_npm=online)
    reasons = {s: r.reason for s, r in endpoints.items() if isinstance(r, Unavailable)}
    tally = _Tally()
    todo: list[tuple[Lookup, Endpoint]] = []
    no_endpoint: dict[str, str] = {}
    progress.start(TASK, len(lookups))
    for lk in lookups:
        entry = cache.get(*lk.key)
        if entry is not None:
            answers[lk.key] = entry.data
            tally.add("cache_hits")
            progress.advance(TASK, cache_hits=1)
            continue
        found = endpoints.get(lk.source)
        endpoint = found if isinstance(found, Endpoint) else None
        if not online:
            tally.add("offline_misses")
            progress.advance(TASK)
        elif endpoint is None:
            no_endpoint.setdefault(lk.source, reasons.get(lk.source, "no endpoint configured"))
            tally.add("no_endpoint")
            progress.advance(TASK)
        else:
            todo.append((lk, endpoint))
    if todo:
        _run_pool(
            ctx.session,
            todo,
            answers,
            cache,
            tally,
            progress,
            workers=workers,
            deadline=deadline,
            limits=limits or Limits(),
            rate=rate,
        )
    progress.finish(TASK)
    counts = tally.counts
    stats = OnlineStats(
        requested=len(lookups),
        cache_hits=counts.get("cache_hits", 0),
        fetched=counts.get("fetched", 0),
        not_found=counts.get("not_found", 0),
        failed=counts.get("failed", 0),
        skipped=counts.get("skipped", 0),
        offline_misses=counts.get("offline_misses", 0),
        online=online,
        no_endpoint=tuple(sorted(no_endpoint.items())),
        warnings=tuple(tally.warnings) + tuple(cache.warnings),
    )
    answered = stats.fetched + stats.not_found + stats.cache_hits
    if require_online and online and answered == 0 and (todo or no_endpoint):
        detail = "; ".join(stats.warnings[:3]) or "; ".join(f"{s}: {r}" for s, r in stats.no_endpoint)
        raise NetworkError(f"online enrichment required but every registry lookup failed ({detail})")
    return stats


def _cache_from(ctx: EnrichContext, cache_dir: str | os.PathLike[str] | None) -> JsonCache:
    existing = ctx.options.get(CACHE_KEY)
    if isinstance(existing, JsonCache) and cache_dir is None:
        return existing
    where = cache_dir or ctx.options.get("cache_dir")
    return JsonCache(Path(where) if where else default_cache_dir())


def _run_pool(
    session: Any,
    todo: list[tuple[Lookup, Endpoint]],
    answers: dict[tuple[str, str, str | None], dict[str, Any] | None],
    cache: JsonCache,
    tally: _Tally,
    progress: Progress,
    *,
    workers: int,
    deadline: float,
    limits: Limits,
    rate: float,
) -> None:
    limiter = HostRateLimiter(rate)
    end = time.monotonic() + deadline
    lock = threading.Lock()

    def work(lk: Lookup, endpoint: Endpoint) -> None:
        if time.monotonic() >= end:
            tally.add("skipped")
            progress.advance(TASK)
            return
        try:
            outcome, doc = fetch_lookup(session, lk, endpoint, limits=limits, limiter=limiter, deadline=end)
        except Exception as exc:  # a bug or an odd session must not stop the audit
            outcome, doc = Fetched("error", "", error=f"unexpected {type(exc).__name__}: {exc}"), None
        if outcome.status == "ok" and doc is not None:
            cache.put(*lk.key, "ok", doc)
            with lock:
                answers[lk.key] = doc
            tally.add("fetched")
            progress.advance(TASK)
        elif outcome.status == "not-found":
            cache.put(*lk.key, "not-found", None)
            with lock:
                answers[lk.key] = None
            tally.add("not_found")
            progress.advance(TASK)
        elif time.monotonic() >= end and outcome.error.startswith("deadline"):
            tally.add("skipped", f"{lk.source} {lk.package}: {outcome.error}")
            progress.advance(TASK, errors=1)
        else:
            tally.add("failed", f"{lk.source} {lk.package}: {outcome.error}")
            progress.advance(TASK, errors=1)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="souverain-registry") as pool:
        futures = [pool.submit(work, lk, ep) for lk, ep in todo]
        # One wait for everything (a FIRST_COMPLETED loop would cost O(n) per completion).
        _done, pending = wait(futures, timeout=max(0.0, end - time.monotonic()) + 0.05)
        for fut in pending:  # not started by the deadline: skipped
            if fut.cancel():
                tally.add("skipped")
                progress.advance(TASK)
        wait([f for f in pending if not f.cancelled()])


# ------------------------------------------------------------------------------------------
# Enrichers
# ------------------------------------------------------------------------------------------


def answer_for(lookup: Lookup, ctx: EnrichContext) -> dict[str, Any] | None:
    """The prefetched answer of ``lookup``, else the cached one, else None. Never fetches."""
    answers = ctx.options.get(ANSWERS_KEY)
    if isinstance(answers, dict) and lookup.key in answers:
        value = answers[lookup.key]
        return value if isinstance(value, dict) else None
    cache = ctx.options.get(CACHE_KEY)
    if isinstance(cache, JsonCache):
        entry = cache.get(*lookup.key)
        return entry.data if entry is not None else None
    return None


class _RegistryEnricher:
    name = ""
    source = ""

    def enrich(self, component: Component, ctx: EnrichContext) -> Iterable[Attribution[Any]]:
        """Attributions from the registry answer for ``component`` (none without an answer)."""
        lookup = lookup_for(component)
        if lookup is None or lookup.source != self.source:
            return []
        doc = answer_for(lookup, ctx)
        if doc is None:
            return []
        if self.source == "pypi":
            facts = facts_from_pypi(lookup.package, doc)
        else:
            facts = facts_from_npm(lookup.package, doc)
        kb: Any = ctx.kb
        out: list[Attribution[Any]] = []
        controller = controller_attribution(
            facts, kb, ns_org=namespace_org(kb, component), source_name=self.name
        )
        if controller is not None:
            out.append(controller)
        licence = license_attribution(facts, source_name=self.name)
        if licence is not None:
            out.append(licence)
        return out


class PypiEnricher(_RegistryEnricher):
    """Attributions from PyPI JSON answers (prefetched or cached)."""

    name = "registry:pypi"
    source = "pypi"


class NpmEnricher(_RegistryEnricher):
    """Attributions from npm registry documents (prefetched or cached)."""

    name = "registry:npm"
    source = "npm"


REGISTRY_ENRICHERS = (PypiEnricher(), NpmEnricher())
"""The registry enrichers, for ``enrich_all`` in online runs (and offline with a warm cache)."""


def online_enrichers(
    ctx: EnrichContext,
    *,
    endpoints: Mapping[str, Endpoint | Unavailable | None] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> tuple[PypiEnricher, NpmEnricher]:
    """The registry enrichers, with ``ctx`` set up to read the prefetched answers or the cache
    in ``cache_dir``. ``endpoints`` is accepted for symmetry with :func:`prefetch`: the
    enrichers never use the network, so they do not need it."""
    del endpoints
    ctx.options[CACHE_KEY] = _cache_from(ctx, cache_dir)
    return REGISTRY_ENRICHERS
