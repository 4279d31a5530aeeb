"""Tests of the registry enrichers and the concurrent prefetch (souverain.enrich.registry).

Everything runs against the local recorded registry on 127.0.0.1 (tests/http_server.py) or on
answers read from tests/fixtures/http; no other network is used."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
import requests
from packageurl import PackageURL

from souverain.cache import JsonCache
from souverain.endpoints import Endpoint, Unavailable
from souverain.enrich.base import EnrichContext, Enricher
from souverain.enrich.registry import (
    ANSWERS_KEY,
    Lookup,
    NpmEnricher,
    PypiEnricher,
    RegistryFacts,
    controller_attribution,
    facts_from_npm,
    facts_from_pypi,
    license_attribution,
    lookup_for,
    lookups_of,
    online_enrichers,
    parse_repository,
    prefetch,
    urls_for,
)
from souverain.errors import NetworkError
from souverain.http import Limits, make_session
from souverain.knowledge import load_default
from souverain.model import Attribution, Component, Confidence, ControllerKind, ExternalRef
from souverain.sbom import load_sbom

from tests.http_server import FIXTURES, RecordedServer

FAST = Limits(timeout=2.0, retries=2, backoff=0.01, backoff_cap=0.02, retry_after_cap=0.01)
JUICE = "cdx-1.6_juice-shop_npm-bare.json"


def sbom_path(name: str) -> Path:
    local = Path(__file__).parent / "fixtures" / "sboms" / name
    return local if local.exists() else Path("/work/shared/corpus/public") / name


def comp(purl: str, **extra: Any) -> Component:
    p = PackageURL.from_string(purl)
    return Component(
        ref=purl,
        name=p.name,
        version=p.version,
        purl=p.to_string(),
        purl_text=purl,
        ecosystem=p.type,
        namespace=p.namespace or None,
        package=p.name,
        **extra,
    )


def recorded(source: str, name: str) -> dict[str, Any]:
    data = orjson.loads((FIXTURES / source / (name.replace("/", "__") + ".json")).read_bytes())
    assert isinstance(data, dict)
    return data


# --------------------------------------------------------------------------------------------
# A small fake knowledge base with the same lookup methods as souverain.knowledge.KnowledgeBase
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    kind: ControllerKind
    country: str | None
    parent: str | None = None
    checked: bool = True
    origin: str = ""


@dataclass
class FakeKB:
    orgs: dict[str, Org] = field(default_factory=dict)
    forges: dict[tuple[str, str], str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    packages: dict[tuple[str, str | None, str], str] = field(default_factory=dict)

    def match_forge(self, host: str, owner: str) -> Org | None:
        found = self.forges.get((host, owner.lower()))
        return self.orgs[found] if found else None

    def match_domain(self, text: str) -> Org | None:
        host = text.rsplit("@", 1)[-1].split("//")[-1].split("/")[0].lower().removeprefix("www.")
        for domain, org in self.domains.items():
            if host == domain or host.endswith("." + domain):
                return self.orgs[org]
        return None

    def chain(self, org_id: str) -> tuple[Org, ...]:
        out = []
        org: Org | None = self.orgs.get(org_id)
        while org is not None:
            out.append(org)
            org = self.orgs.get(org.parent) if org.parent else None
        return tuple(out)

    def match_package(self, ecosystem: str, namespace: str | None, name: str) -> tuple[Org, str] | None:
        found = self.packages.get((ecosystem, namespace, name))
        return (self.orgs[found], f"{ecosystem} {namespace or name}") if found else None


class NamedFakeKB(FakeKB):
    def match_name(self, name: str) -> Org | None:
        found = self.names.get(name.lower())
        return self.orgs[found] if found else None


def fake_kb(cls: type[FakeKB] = FakeKB) -> FakeKB:
    orgs = {
        "microsoft": Org("microsoft", "Microsoft Corporation", ControllerKind.COMPANY, "US"),
        "alphabet": Org("alphabet", "Alphabet Inc.", ControllerKind.COMPANY, "US"),
        "google": Org("google", "Google LLC", ControllerKind.COMPANY, "US", parent="alphabet"),
        "meta": Org("meta", "Meta Platforms, Inc.", ControllerKind.COMPANY, "US"),
        "example": Org("example", "Example GmbH", ControllerKind.COMPANY, "DE", checked=False),
    }
    return cls(
        orgs=orgs,
        forges={
            ("github.com", "azure"): "microsoft",
            ("github.com", "microsoft"): "microsoft",
            ("github.com", "googleapis"): "google",
            ("github.com", "example-org"): "example",
        },
        # googlegroups.com is deliberately matched to Google here (the real KB ignores it) to
        # show that an e-mail domain alone never pins a package.
        domains={
            "microsoft.com": "microsoft",
            "google.com": "google",
            "googlegroups.com": "google",
            "example.org": "example",
        },
        names={"facebook": "meta"},
        packages={
            ("pypi", None, "azure-storage-blob"): "microsoft",
            ("npm", "@google-cloud", "storage"): "google",
            ("npm", None, "generic"): "example",
        },
    )


def val(a: Attribution[Any] | None) -> Any:
    """The value of an attribution that must have one."""
    assert a is not None
    assert a.value is not None
    return a.value


# --------------------------------------------------------------------------------------------
# Pure parts
# --------------------------------------------------------------------------------------------


def test_lookup_for_purls() -> None:
    assert lookup_for(comp("pkg:pypi/Azure_Storage.Blob@12.19.0")) == Lookup(
        "pypi", "azure-storage-blob", "12.19.0"
    )
    assert lookup_for(comp("pkg:npm/%40google-cloud/storage@7.7.0")) == Lookup(
        "npm", "@google-cloud/storage", "7.7.0", "@google-cloud"
    )
    assert lookup_for(comp("pkg:npm/express")) == Lookup("npm", "express", None)
    assert lookup_for(comp("pkg:maven/org.example/lib@1.0")) is None
    assert lookup_for(Component(ref="x", name="express", ecosystem="npm")) is None  # no purl
    dots = Component(ref="d", name="..", purl="pkg:npm/..@1", ecosystem="npm", package="..")
    assert lookup_for(dots) is None  # never a path segment
    # the purl's version is what the registry knows; the component's is the fallback
    versionless = Component(
        ref="y", name="express", version="4.18.2", purl="pkg:npm/express", ecosystem="npm", package="express"
    )
    assert lookup_for(versionless) == Lookup("npm", "express", "4.18.2")
    only_purl = Component(
        ref="z", name="express", purl="pkg:npm/express@4.18.2", ecosystem="npm", package="express"
    )
    assert lookup_for(only_purl) == Lookup("npm", "express", "4.18.2")


def test_lookups_are_deduplicated() -> None:
    comps = [
        comp("pkg:npm/express@4.18.2"),
        comp("pkg:npm/express@4.18.2?x=1"),
        comp("pkg:npm/express@4.0.0"),
    ]
    assert [lk.version for lk in lookups_of(comps)] == ["4.18.2", "4.0.0"]


def test_urls_for_lookups() -> None:
    npm = Endpoint("npm", "http://127.0.0.1:1/npm", "test", (("@acme", "http://127.0.0.1:2/acme"),))
    assert urls_for(Lookup("npm", "@google-cloud/storage", "7.7.0", "@google-cloud"), npm) == [
        "http://127.0.0.1:1/npm/@google-cloud%2Fstorage/7.7.0",
        "http://127.0.0.1:1/npm/@google-cloud%2Fstorage",
    ]
    assert (
        urls_for(Lookup("npm", "@acme/x", None, "@acme"), npm)[0]
        == "http://127.0.0.1:2/acme/@acme%2Fx/latest"
    )
    pypi = Endpoint("pypi", "http://127.0.0.1:1/pypi", "test")
    assert urls_for(Lookup("pypi", "requests", "2.31.0"), pypi) == [
        "http://127.0.0.1:1/pypi/requests/2.31.0/json",
        "http://127.0.0.1:1/pypi/requests/json",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git+https://github.com/googleapis/nodejs-storage.git", ("github.com", "googleapis")),
        ("https://github.com/Azure/azure-sdk-for-python/tree/main/sdk", ("github.com", "Azure")),
        ("git@gitlab.com:acme/tool.git", ("gitlab.com", "acme")),
        ("git://github.com/expressjs/express.git", ("github.com", "expressjs")),
        ("ssh://git@git.example.org/team/repo.git", ("git.example.org", "team")),
        ("github:stevemao/left-pad", ("github.com", "stevemao")),
        ("stevemao/left-pad", ("github.com", "stevemao")),
        ("https://requests.readthedocs.io", None),
        ("http://www.tornadoweb.org/", None),
        ("https://github.com/", None),
        ("", None),
    ],
)
def test_parse_repository(url: str, expected: tuple[str, str] | None) -> None:
    assert parse_repository(url) == expected


def test_facts_from_recorded_pypi_answers() -> None:
    azure = facts_from_pypi("azure-storage-blob", recorded("pypi", "azure-storage-blob"))
    assert [f.field for f in azure.repositories] == ["info.home_page"]
    assert [f.value for f in azure.emails] == ["ascl@microsoft.com"]
    assert [(d.kind, d.value, d.field) for d in azure.licences] == [("name", "MIT License", "info.license")]
    tornado = facts_from_pypi("tornado", recorded("pypi", "tornado"))
    assert [f.value for f in tornado.repositories] == ["https://github.com/tornadoweb/tornado"]
    assert {f.field for f in tornado.web} == {"info.home_page", "info.project_urls.Homepage"}
    assert [f.value for f in tornado.authors] == ["Facebook"]


def test_facts_from_recorded_npm_answers() -> None:
    gcs = facts_from_npm("@google-cloud/storage", recorded("npm", "@google-cloud/storage"))
    assert [f.value for f in gcs.repositories] == ["git+https://github.com/googleapis/nodejs-storage.git"]
    assert [f.field for f in gcs.emails] == ["maintainers[0].email", "maintainers[1].email"]
    assert [(d.kind, d.value) for d in gcs.licences] == [("expression", "Apache-2.0")]
    pad = facts_from_npm("left-pad", recorded("npm", "left-pad"))
    assert [f.value for f in pad.repositories] == ["stevemao/left-pad"]
    assert [f.value for f in pad.authors] == ["azer"]
    person = facts_from_npm("x", {"name": "x", "author": "Jane Doe <jane@example.org> (https://example.org)"})
    assert [f.value for f in person.authors] == ["Jane Doe"]
    assert [f.value for f in person.emails] == ["jane@example.org"]
    assert [f.value for f in person.web] == ["https://example.org"]


# --------------------------------------------------------------------------------------------
# Controller rules
# --------------------------------------------------------------------------------------------


def test_repository_owner_gives_medium_and_agreeing_email_is_evidence() -> None:
    kb = fake_kb()
    facts = facts_from_pypi("azure-storage-blob", recorded("pypi", "azure-storage-blob"))
    got = controller_attribution(facts, kb)
    assert got is not None
    assert got.confidence is Confidence.MEDIUM
    assert got.value is not None
    assert (got.value.org_id, got.value.country) == ("microsoft", "US")
    assert all(e.source == "registry" for e in got.evidence)
    assert "Azure" in got.evidence[0].detail
    assert any("microsoft.com" in e.detail for e in got.evidence[1:])


def test_agreement_with_the_purl_match_gives_high() -> None:
    kb = fake_kb()
    facts = facts_from_npm("@google-cloud/storage", recorded("npm", "@google-cloud/storage"))
    got = controller_attribution(facts, kb, ns_org=kb.orgs["google"])
    assert got is not None
    assert got.confidence is Confidence.HIGH
    assert got.value is not None
    assert (got.value.org_id, got.value.ultimate_id, got.value.chain) == (
        "google",
        "alphabet",
        ("google", "alphabet"),
    )
    disagreeing = controller_attribution(facts, kb, ns_org=kb.orgs["microsoft"])
    assert disagreeing is not None
    assert disagreeing.confidence is Confidence.MEDIUM


def test_unchecked_organisation_never_gets_high() -> None:
    kb = fake_kb()
    facts = facts_from_npm("generic", recorded("npm", "_generic"))
    got = controller_attribution(facts, kb, ns_org=kb.orgs["example"])
    assert got is not None
    assert got.value is not None
    assert got.value.org_id == "example"
    assert got.confidence is Confidence.MEDIUM


def test_email_domain_alone_never_pins_a_company() -> None:
    kb = fake_kb()
    tornado = facts_from_pypi("tornado", recorded("pypi", "tornado"))
    assert controller_attribution(tornado, kb) is None  # googlegroups.com → Google is not enough
    community = RegistryFacts(
        "npm",
        "some-lib",
        repositories=(facts_from_npm("x", {"name": "x", "repository": "someone/some-lib"}).repositories),
        emails=(facts_from_npm("x", {"name": "x", "maintainers": [{"email": "dev@google.com"}]}).emails),
    )
    assert controller_attribution(community, kb) is None


def test_author_string_alone_stays_low() -> None:
    kb = fake_kb(NamedFakeKB)
    got = controller_attribution(facts_from_pypi("tornado", recorded("pypi", "tornado")), kb)
    assert got is not None
    assert got.value is not None
    assert got.value.org_id == "meta"
    assert got.confidence is Confidence.LOW
    assert "author string only" in got.evidence[0].detail


def test_web_domain_alone_is_low() -> None:
    kb = fake_kb()
    facts = facts_from_npm("x", {"name": "x", "homepage": "https://docs.microsoft.com/x"})
    got = controller_attribution(facts, kb)
    assert got is not None
    assert got.value is not None
    assert (got.value.org_id, got.confidence) == ("microsoft", Confidence.LOW)


def test_licence_attribution_is_capped_and_sourced_registry() -> None:
    facts = facts_from_pypi("azure-storage-blob", recorded("pypi", "azure-storage-blob"))
    got = license_attribution(facts, source_name="registry:pypi")
    assert got is not None
    assert got.aspect == "license"
    assert val(got).expression == "MIT"
    assert got.confidence is Confidence.MEDIUM  # the normaliser says high for 'MIT License'
    assert {e.source for e in got.evidence} == {"registry"}
    assert "info.license 'MIT License'" in got.evidence[0].detail
    assert license_attribution(RegistryFacts("npm", "x")) is None


# --------------------------------------------------------------------------------------------
# Prefetch against the local registry
# --------------------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    with RecordedServer(slow=0.6) as srv:
        yield srv


@pytest.fixture
def session() -> Iterator[requests.Session]:
    s = make_session(timeout=2.0)
    yield s
    s.close()


def endpoints(server: RecordedServer) -> dict[str, Endpoint | Unavailable | None]:
    return {
        "pypi": Endpoint("pypi", server.url + "/pypi", "test"),
        "npm": Endpoint("npm", server.url + "/npm", "test"),
    }


class RecordingProgress:
    def __init__(self) -> None:
        self.events: list[tuple[str, int | None, dict[str, int]]] = []

    def start(self, task: str, total: int | None) -> None:
        self.events.append(("start", total, {}))

    def advance(self, task: str, steps: int = 1, **counters: int) -> None:
        self.events.append(("advance", steps, counters))

    def finish(self, task: str) -> None:
        self.events.append(("finish", None, {}))


REAL = [
    "pkg:pypi/azure-storage-blob@12.19.0",
    "pkg:pypi/tornado@6.4",
    "pkg:npm/%40google-cloud/storage@7.7.0",
    "pkg:npm/typescript@5.3.3",
    "pkg:npm/express@4.18.2",
    "pkg:npm/does-not-exist@1.0.0",
]


def enrich(components: Sequence[Component], ctx: EnrichContext) -> dict[str, list[Attribution[Any]]]:
    enrichers: Sequence[Enricher] = online_enrichers(ctx)
    return {c.ref: [a for e in enrichers for a in e.enrich(c, ctx)] for c in components}


def test_prefetch_then_enrich_with_the_real_knowledge_base(
    server: RecordedServer, session: requests.Session, tmp_path: Path
) -> None:
    sbom_link = f"{server.url}/pypi/sbom-link-never-fetched/json"
    components = [comp(p, external_refs=(ExternalRef("website", sbom_link),)) for p in REAL]
    components.append(comp("pkg:npm/express@4.18.2"))  # a duplicate: one lookup only
    ctx = EnrichContext(kb=load_default(), session=session)
    progress = RecordingProgress()
    stats = prefetch(
        components, ctx, endpoints=endpoints(server), cache_dir=tmp_path, limits=FAST, progress=progress
    )
    assert (stats.requested, stats.fetched, stats.not_found, stats.failed, stats.cache_hits) == (
        6,
        5,
        1,
        0,
        0,
    )
    assert stats.online
    # only package-name paths were asked; the SBOM's URL never was
    assert not [p for p in server.paths if "sbom-link" in p]
    pattern = re.compile(r"^/(pypi/[a-z0-9-]+(/[\w.]+)?/json|npm/(@[\w-]+%2F)?[\w.-]+(/[\w.]+)?)$")
    assert [p for p in server.paths if not pattern.match(p)] == []
    assert progress.events[0] == ("start", 6, {})
    assert progress.events[-1] == ("finish", None, {})
    assert sum(e[1] or 0 for e in progress.events if e[0] == "advance") == 6

    got = enrich(components, ctx)
    by_aspect = {ref: {a.aspect: a for a in atts} for ref, atts in got.items()}
    azure = by_aspect[components[0].ref]["controller"]
    assert (val(azure).org_id, azure.confidence, azure.source) == (
        "microsoft",
        Confidence.HIGH,
        "registry:pypi",
    )
    gcs = by_aspect[components[2].ref]["controller"]
    assert (val(gcs).org_id, val(gcs).ultimate_id, gcs.confidence) == (
        "google",
        "alphabet",
        Confidence.HIGH,
    )
    ts = by_aspect[components[3].ref]["controller"]
    assert (val(ts).org_id, ts.source) == ("microsoft", "registry:npm")
    tornado = by_aspect[components[1].ref].get("controller")
    assert tornado is None or (val(tornado).org_id != "google" and tornado.confidence is Confidence.LOW)
    assert by_aspect[components[5].ref] == {}  # not in the registry: nothing said
    assert val(by_aspect[components[4].ref]["license"]).expression == "MIT"


def test_second_run_and_offline_run_use_the_cache(
    server: RecordedServer, session: requests.Session, tmp_path: Path
) -> None:
    components = [comp(p) for p in REAL]
    prefetch(
        components,
        EnrichContext(kb=load_default(), session=session),
        endpoints=endpoints(server),
        cache_dir=tmp_path,
        limits=FAST,
    )
    asked = len(server.paths)
    again = prefetch(
        components,
        EnrichContext(kb=load_default(), session=session),
        endpoints=endpoints(server),
        cache_dir=tmp_path,
        limits=FAST,
    )
    assert (again.cache_hits, again.fetched) == (6, 0)
    assert len(server.paths) == asked
    offline_ctx = EnrichContext(kb=load_default())
    offline = prefetch(components, offline_ctx, endpoints={}, cache_dir=tmp_path)
    assert (offline.online, offline.cache_hits, offline.offline_misses) == (False, 6, 0)
    assert len(server.paths) == asked
    got = enrich(components, offline_ctx)
    assert val(got[components[0].ref][0]).org_id == "microsoft"
    # without prefetch, the enrichers read the cache directly
    fresh = EnrichContext(kb=load_default())
    assert enrich(components, EnrichContext(kb=load_default(), options={"cache_dir": str(tmp_path)}))
    online_enrichers(fresh, cache_dir=tmp_path)
    assert PypiEnricher().enrich(components[0], fresh)
    assert ANSWERS_KEY not in fresh.options


def test_offline_cold_cache_asks_nothing(server: RecordedServer, tmp_path: Path) -> None:
    stats = prefetch(
        [comp(p) for p in REAL],
        EnrichContext(kb=load_default()),
        endpoints=endpoints(server),
        cache_dir=tmp_path,
    )
    assert (stats.online, stats.offline_misses, stats.cache_hits, stats.fetched) == (False, 6, 0, 0)
    assert server.paths == []


def test_faults_are_counted_and_warned(
    server: RecordedServer, session: requests.Session, tmp_path: Path
) -> None:
    names = ["fault-404", "fault-html", "fault-500", "fault-429", "fault-malformed", "fault-offhost"]
    components = [comp(f"pkg:npm/{n}@1.0.0") for n in names]
    stats = prefetch(
        components,
        EnrichContext(kb=load_default(), session=session),
        endpoints=endpoints(server),
        cache_dir=tmp_path,
        limits=FAST,
    )
    assert (stats.fetched, stats.not_found, stats.failed) == (2, 1, 3)
    assert len(stats.warnings) == 3
    assert any("fault-html" in w and "not JSON" in w for w in stats.warnings)
    # failures are not cached: the next run asks again
    cache = JsonCache(tmp_path)
    assert cache.get("npm", "fault-html", "1.0.0") is None
    assert cache.get("npm", "fault-404", "1.0.0") is not None


def test_deadline_skips_the_rest(server: RecordedServer, tmp_path: Path) -> None:
    session = make_session(timeout=5.0)
    components = [comp(f"pkg:npm/fault-slow@1.0.{i}") for i in range(8)]
    stats = prefetch(
        components,
        EnrichContext(kb=load_default(), session=session),
        endpoints=endpoints(server),
        cache_dir=tmp_path,
        workers=2,
        deadline=0.3,
        limits=FAST,
    )
    assert stats.fetched == 0
    assert stats.skipped + stats.failed == 8
    assert stats.skipped >= 6  # at most the first two (one per worker) were under way
    assert len(server.paths) <= 2


def test_no_endpoint_is_reported_and_the_run_goes_on(
    server: RecordedServer, session: requests.Session, tmp_path: Path
) -> None:
    eps: dict[str, Endpoint | Unavailable | None] = {
        "pypi": Unavailable("pypi", "custom simple index"),
        "npm": Endpoint("npm", server.url + "/npm", "t"),
    }
    stats = prefetch(
        [comp(p) for p in REAL],
        EnrichContext(kb=load_default(), session=session),
        endpoints=eps,
        cache_dir=tmp_path,
        limits=FAST,
    )
    assert stats.no_endpoint == (("pypi", "custom simple index"),)
    assert (stats.fetched, stats.not_found) == (3, 1)
    assert not [p for p in server.paths if p.startswith("/pypi")]


def test_require_online(server: RecordedServer, session: requests.Session, tmp_path: Path) -> None:
    failing = [comp("pkg:npm/fault-html@1.0.0"), comp("pkg:npm/fault-downgrade@1.0.0")]
    ctx = EnrichContext(kb=load_default(), session=session)
    with pytest.raises(NetworkError, match="every registry lookup failed") as info:
        prefetch(
            failing, ctx, endpoints=endpoints(server), cache_dir=tmp_path, limits=FAST, require_online=True
        )
    assert info.value.exit_code == 4
    with pytest.raises(NetworkError):
        prefetch(
            [comp("pkg:pypi/requests@2.31.0")],
            ctx,
            endpoints={"pypi": Unavailable("pypi", "none")},
            cache_dir=tmp_path,
            require_online=True,
        )
    stats = prefetch(
        [*failing, comp("pkg:npm/express@4.18.2")],
        ctx,
        endpoints=endpoints(server),
        cache_dir=tmp_path,
        limits=FAST,
        require_online=True,
    )
    assert (stats.fetched, stats.failed) == (1, 2)  # partial success does not raise
    # answers from the cache count as success
    cached = prefetch(
        [comp("pkg:npm/express@4.18.2"), comp("pkg:pypi/requests@2.31.0")],
        ctx,
        endpoints={"pypi": Unavailable("pypi", "none")},
        cache_dir=tmp_path,
        require_online=True,
    )
    assert (cached.cache_hits, cached.no_endpoint) == (1, (("pypi", "none"),))


def test_enrichers_ignore_other_ecosystems_and_missing_answers() -> None:
    ctx = EnrichContext(kb=load_default(), options={ANSWERS_KEY: {}})
    assert list(NpmEnricher().enrich(comp("pkg:pypi/requests@2.31.0"), ctx)) == []
    assert list(PypiEnricher().enrich(comp("pkg:pypi/requests@2.31.0"), ctx)) == []
    assert isinstance(NpmEnricher(), Enricher)
    assert (PypiEnricher.name, NpmEnricher.name) == ("registry:pypi", "registry:npm")


def test_juice_shop_sbom_against_the_generic_registry(tmp_path: Path) -> None:
    sbom = load_sbom(sbom_path(JUICE))
    expected = {
        (c.package, c.namespace, c.version) for c in sbom.components if c.ecosystem == "npm" and c.purl
    }
    with RecordedServer(generic=True) as srv:
        session = make_session(timeout=5.0)
        stats = prefetch(
            sbom.components,
            EnrichContext(kb=load_default(), session=session),
            endpoints=endpoints(srv),
            cache_dir=tmp_path,
            limits=FAST,
            rate=100000.0,
        )
        paths = list(srv.paths)
    assert stats.requested == len(expected)
    assert (stats.fetched, stats.failed, stats.skipped) == (len(expected), 0, 0)
    assert len(paths) == len(expected)  # one request per distinct package version
    assert all(p.startswith("/npm/") for p in paths)


# --------------------------------------------------------------------------------------------
# Fallback from the version document to the package document, with a fake session
# --------------------------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, status: int, body: dict[str, Any] | None = None) -> None:
        self.status_code = status
        self.headers = {"Content-Type": "application/json"}
        self._body = orjson.dumps(body or {})

    def iter_content(self, chunk_size: int = 1) -> Iterator[bytes]:
        yield self._body

    def close(self) -> None:
        pass


class FakeSession:
    """Answers by exact URL; anything else is a 404. Records what was asked."""

    def __init__(self, answers: dict[str, dict[str, Any]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def get(self, url: str, **kwargs: Any) -> FakeResponse:
        self.asked.append(url)
        body = self.answers.get(url)
        return FakeResponse(200, body) if body is not None else FakeResponse(404)


def test_version_document_falls_back_to_package_document(tmp_path: Path) -> None:
    base = "http://127.0.0.1:1"
    packument = {
        "name": "express",
        "dist-tags": {"latest": "4.18.2"},
        "versions": {"4.18.2": recorded("npm", "express"), "4.17.1": {"name": "express", "license": "MIT"}},
        "time": {"4.18.2": "2022-10-08T00:00:00.000Z"},
    }
    session = FakeSession(
        {f"{base}/npm/express": packument, f"{base}/pypi/tornado/json": recorded("pypi", "tornado")}
    )
    ctx = EnrichContext(kb=load_default(), session=session)  # type: ignore[arg-type]
    eps: dict[str, Endpoint | Unavailable | None] = {
        "npm": Endpoint("npm", base + "/npm", "t"),
        "pypi": Endpoint("pypi", base + "/pypi", "t"),
    }
    components = [comp("pkg:npm/express@4.18.2"), comp("pkg:pypi/tornado@6.4"), comp("pkg:npm/express@9.9.9")]
    stats = prefetch(components, ctx, endpoints=eps, cache_dir=tmp_path, limits=FAST)
    assert session.asked == [
        f"{base}/npm/express/4.18.2",
        f"{base}/npm/express",
        f"{base}/pypi/tornado/6.4/json",
        f"{base}/pypi/tornado/json",
        f"{base}/npm/express/9.9.9",
        f"{base}/npm/express",
    ]
    assert (stats.fetched, stats.not_found) == (2, 1)  # 9.9.9 is not in the package document
    answers = ctx.options[ANSWERS_KEY]
    assert answers[("npm", "express", "4.18.2")]["repository"]["url"].endswith("expressjs/express.git")
    assert "versions" not in answers[("npm", "express", "4.18.2")]  # trimmed before caching
    assert set(answers[("pypi", "tornado", "6.4")]) == {"info"}
    assert answers[("npm", "express", "9.9.9")] is None


def test_a_session_that_raises_is_a_counted_failure(tmp_path: Path) -> None:
    class Broken:
        def get(self, url: str, **kwargs: Any) -> FakeResponse:
            raise RuntimeError("boom")

    ctx = EnrichContext(kb=load_default(), session=Broken())  # type: ignore[arg-type]
    eps: dict[str, Endpoint | Unavailable | None] = {"npm": Endpoint("npm", "http://127.0.0.1:1/npm", "t")}
    stats = prefetch([comp("pkg:npm/express@4.18.2")], ctx, endpoints=eps, cache_dir=tmp_path, limits=FAST)
    assert (stats.failed, stats.fetched) == (1, 0)
    assert "RuntimeError: boom" in stats.warnings[0]
