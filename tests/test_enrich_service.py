"""Service bindings: client libraries of remote services and CycloneDX services entries."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from souverain.enrich.base import EnrichContext, Enricher
from souverain.enrich.service import ServiceEnricher, attribute
from souverain.knowledge import KnowledgeBase, load, load_default
from souverain.model import Component, Confidence, ExternalRef, NodeKind, Party
from souverain.sbom import load_sbom

KB_DIR = Path(__file__).parent / "fixtures" / "kb"


def fixture_path(name: str) -> Path:
    """An SBOM of the test corpus: ``tests/fixtures/sboms/<name>`` first, else the shared corpus."""
    local = Path(__file__).parent / "fixtures" / "sboms" / name
    return local if local.exists() else Path("/work/shared/corpus/public") / name


@cache
def fixture_kb() -> KnowledgeBase:
    return load([KB_DIR / "orgs.toml", KB_DIR / "services.toml"], include_default=False)


def _pkg(eco: str, name: str, ns: str | None = None) -> Component:
    return Component(ref=f"{eco}:{ns}/{name}", name=name, ecosystem=eco, namespace=ns, package=name)


def test_boto3_is_an_aws_client_operated_in_the_us() -> None:
    (att,) = list(ServiceEnricher().enrich(_pkg("pypi", "boto3"), EnrichContext(kb=fixture_kb())))
    assert att.aspect == "service"
    assert att.source == "service"
    assert att.value is not None
    assert att.value.name == "Amazon Web Services"
    assert att.value.operator == "Amazon.com, Inc."
    assert att.value.operator_id == "amazon"
    assert att.value.country == "US"
    assert att.confidence is Confidence.HIGH
    assert att.evidence[0].location.endswith("services.toml#aws")


def test_scoped_npm_package_pattern_and_glob_confidence() -> None:
    kb = fixture_kb()
    blob = attribute(_pkg("npm", "storage-blob", "@azure"), kb)
    assert blob is not None
    assert blob.value is not None
    assert blob.value.name == "Azure Blob Storage"
    nuget = attribute(_pkg("nuget", "AWSSDK.S3"), kb)
    assert nuget is not None
    assert nuget.confidence is Confidence.HIGH  # a NuGet reserved prefix is owned
    queue = attribute(_pkg("pypi", "azure-storage-queue"), kb)
    assert queue is not None
    assert queue.confidence is Confidence.MEDIUM  # a name glob is a naming convention, not ownership


def test_go_module_prefix_at_slash_boundary() -> None:
    kb = fixture_kb()
    v2 = attribute(_pkg("golang", "aws-sdk-go-v2", "github.com/aws"), kb)
    assert v2 is not None
    sub = attribute(_pkg("golang", "s3", "github.com/aws/aws-sdk-go-v2/service"), kb)
    assert sub is not None
    assert attribute(_pkg("golang", "aws-sdk-go-extra", "github.com/aws"), kb) is None


def test_qualifications_are_carried() -> None:
    att = attribute(_pkg("pypi", "ovh"), fixture_kb())
    assert att is not None
    assert att.value is not None
    assert att.value.country == "FR"
    assert len(att.value.qualifications) == 1
    assert att.value.qualifications[0].startswith("SecNumCloud (")


def test_not_a_client_yields_nothing() -> None:
    ctx = EnrichContext(kb=fixture_kb())
    assert list(ServiceEnricher().enrich(_pkg("pypi", "flask"), ctx)) == []
    assert (
        list(ServiceEnricher().enrich(_pkg("npm", "core-auth", "@azure"), ctx)) == []
    )  # vendor, not a service
    assert list(ServiceEnricher().enrich(Component(ref="x", name="x"), ctx)) == []


def test_cyclonedx_service_endpoint_and_provider() -> None:
    kb = fixture_kb()
    by_endpoint = Component(
        ref="s1",
        name="object store",
        kind=NodeKind.SERVICE,
        external_refs=(ExternalRef("endpoint", "https://s3.eu-west-3.amazonaws.com/"),),
        location="/services/0",
    )
    att = attribute(by_endpoint, kb)
    assert att is not None
    assert att.value is not None
    assert att.value.operator_id == "amazon"
    assert att.evidence[0].location == "/services/0/endpoints/0"
    by_provider = Component(
        ref="s2",
        name="cloud",
        kind=NodeKind.SERVICE,
        parties=(Party("provider", "OVHcloud", location="/services/1/provider"),),
    )
    att2 = attribute(by_provider, kb)
    assert att2 is not None
    assert att2.value is not None
    assert att2.value.name == "OVHcloud"
    assert att2.value.country == "FR"
    assert att2.confidence is Confidence.MEDIUM


def test_person_provider_is_ignored() -> None:
    svc = Component(
        ref="s", name="s", kind=NodeKind.SERVICE, parties=(Party("provider", "Microsoft", is_person=True),)
    )
    assert attribute(svc, fixture_kb()) is None


def test_real_saasbom_services() -> None:
    """The corpus SaaSBOM: services provided by "Acme Inc" at example.com stay unattributed; the S3
    service, whose endpoint is on amazon.com, is bound to Amazon with low confidence."""
    sbom = load_sbom(fixture_path("cdx-1.4_saasbom-apigateway-services.json"))
    services = {c.name: c for c in sbom.components if c.kind is NodeKind.SERVICE}
    kb = load_default()
    for name in ("API Gateway", "Microservice 1", "Postgres"):
        assert attribute(services[name], kb) is None
    s3 = attribute(services["S3"], kb)
    assert s3 is not None
    assert s3.value is not None
    assert s3.value.country == "US"
    assert s3.confidence is Confidence.LOW
    assert "s3-example.amazon.com" in s3.evidence[0].detail


def test_enricher_satisfies_protocol() -> None:
    assert isinstance(ServiceEnricher(), Enricher)
