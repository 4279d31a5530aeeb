"""A hand-built, realistic :class:`~souverain.model.AuditResult` for the reporter tests.

A small product ("acme-portal", home FR, trusted EU/EEA) with 15 components: a US proprietary
choke point (Oracle JDBC), a Chinese service-bound SDK (Alibaba Cloud OSS), open components from
foundations and communities, a component of unknown licence and controller, and two hostile
components (an HTML payload as a name, a ``</script>`` payload in a version and in evidence).
The numbers (reach, share, exposure…) are made up but consistent with the edges below; reporters
must only render them.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import replace
from pathlib import Path

from souverain.model import (
    Assessment,
    Attribution,
    AuditResult,
    Component,
    ComponentMetrics,
    Confidence,
    Controller,
    ControllerKind,
    DeclaredLicense,
    EdgeKind,
    Evidence,
    ExternalRef,
    Finding,
    Hash,
    Jurisdiction,
    LicenseVerdict,
    Openness,
    ParsedSbom,
    Party,
    Policy,
    SbomFormat,
    ServiceBinding,
    Severity,
    Skipped,
    Summary,
    Waiver,
)
from souverain.report import get_reporter
from souverain.report.base import RenderOptions

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_VERSION = "</script><script>alert(2)</script>"
HOSTILE_EVIDENCE = "supplier says </script><script>document.title='pwned'</script> [bold red]x[/] \x1b[31m"
SBOM_PATH = "sbom/acme-portal.cdx.json"


def _purl(ecosystem: str, namespace: str | None, name: str, version: str) -> str:
    ns = f"{namespace}/" if namespace else ""
    return f"pkg:{ecosystem}/{ns}{name}@{version}"


def _component(
    ref: str,
    name: str,
    version: str,
    *,
    ecosystem: str | None = "maven",
    namespace: str | None = None,
    line: int | None = None,
    licenses: tuple[DeclaredLicense, ...] = (),
    supplier: str | None = None,
    ctype: str = "library",
) -> Component:
    purl = _purl(ecosystem, namespace, name, version) if ecosystem else None
    parties = (Party(role="supplier", name=supplier, is_person=False),) if supplier else ()
    return Component(
        ref=ref,
        name=name,
        version=version,
        group=namespace,
        purl=purl,
        purl_text=purl,
        ecosystem=ecosystem,
        namespace=namespace,
        package=name if ecosystem else None,
        type=ctype,
        licenses=licenses,
        parties=parties,
        hashes=(Hash("SHA-256", hashlib.sha256(ref.encode()).hexdigest()),),
        external_refs=(ExternalRef("website", f"https://example.org/{name.replace('<', '')[:20]}"),)
        if ecosystem
        else (),
        location=f"/components/{line or 0}",
        line=line,
    )


def _lic(
    expr: str | None,
    openness: Openness,
    conf: Confidence,
    declared: tuple[str, ...],
    *evidence: str,
    category: str | None = None,
) -> Attribution[LicenseVerdict]:
    return Attribution(
        "license",
        LicenseVerdict(declared=declared, expression=expr, openness=openness, category=category, chosen=expr),
        conf,
        tuple(Evidence("sbom", e, "/components/0/licenses") for e in evidence),
        source="licence",
    )


def _ctl(
    name: str | None,
    kind: ControllerKind,
    country: str | None,
    conf: Confidence,
    *evidence: str,
    ultimate: str | None = None,
) -> Attribution[Controller]:
    value = (
        None
        if name is None and kind is ControllerKind.UNKNOWN
        else Controller(
            name=name,
            kind=kind,
            country=country,
            ultimate=ultimate or name,
            org_id=name.lower().replace(" ", "-") if name else None,
        )
    )
    return Attribution(
        "controller",
        value,
        conf,
        tuple(Evidence("knowledge-base", e, "organisations/x.toml") for e in evidence),
        source="controller",
    )


def make_result(*, reproducible: bool = True) -> AuditResult:
    """The reference AuditResult used by every reporter test."""
    root = _component("acme-portal", "acme-portal", "2.3.0", namespace="fr.acme", ctype="application", line=5)
    mk = _component
    apache = (DeclaredLicense("id", "Apache-2.0"),)
    comps = (
        mk(
            "ojdbc",
            "ojdbc11",
            "23.3.0.23.09",
            namespace="com.oracle.database.jdbc",
            line=20,
            licenses=(DeclaredLicense("name", "Oracle Free Use Terms and Conditions (FUTC)"),),
            supplier="Oracle America, Inc.",
        ),
        mk(
            "aliyun-oss",
            "aliyun-sdk-oss",
            "3.17.4",
            namespace="com.aliyun.oss",
            line=41,
            licenses=apache,
            supplier="Alibaba Cloud",
        ),
        mk("spring-core", "spring-core", "6.1.5", namespace="org.springframework", line=62, licenses=apache),
        mk(
            "jackson",
            "jackson-databind",
            "2.17.0",
            namespace="com.fasterxml.jackson.core",
            line=80,
            licenses=apache,
        ),
        mk(
            "commons-lang3",
            "commons-lang3",
            "3.14.0",
            namespace="org.apache.commons",
            line=98,
            licenses=apache,
        ),
        mk(
            "slf4j",
            "slf4j-api",
            "2.0.12",
            namespace="org.slf4j",
            line=115,
            licenses=(DeclaredLicense("id", "MIT"),),
        ),
        mk(
            "hibernate",
            "hibernate-core",
            "6.4.4.Final",
            namespace="org.hibernate.orm",
            line=133,
            licenses=(DeclaredLicense("id", "LGPL-2.1-only"),),
        ),
        mk(
            "asm",
            "asm",
            "9.7",
            namespace="org.ow2.asm",
            line=150,
            licenses=(DeclaredLicense("id", "BSD-3-Clause"),),
        ),
        mk("left-pad-ng", "left-pad-ng", "1.0.0", ecosystem="npm", line=168),
        mk("hostile-name", HOSTILE_NAME, "1.0", ecosystem=None, line=180),
        mk(
            "evil-lib",
            "evil-lib",
            HOSTILE_VERSION,
            ecosystem="npm",
            line=190,
            licenses=(DeclaredLicense("name", "[click me](javascript:alert(3))"),),
        ),
        mk(
            "sap-cloud-sdk",
            "cloudplatform-core",
            "5.6.0",
            namespace="com.sap.cloud.sdk.cloudplatform",
            line=205,
            licenses=apache,
            supplier="SAP SE",
        ),
        mk("netty", "netty-handler", "4.1.108.Final", namespace="io.netty", line=222, licenses=apache),
        mk("guava", "guava", "33.1.0-jre", namespace="com.google.guava", line=240, licenses=apache),
        mk(
            "elastic",
            "elasticsearch-java",
            "8.13.0",
            namespace="co.elastic.clients",
            line=258,
            licenses=(DeclaredLicense("expression", "Elastic-2.0"),),
        ),
    )
    edges = (
        ("acme-portal", "ojdbc", EdgeKind.RUNTIME),
        ("acme-portal", "aliyun-oss", EdgeKind.RUNTIME),
        ("acme-portal", "spring-core", EdgeKind.RUNTIME),
        ("acme-portal", "hostile-name", EdgeKind.RUNTIME),
        ("acme-portal", "sap-cloud-sdk", EdgeKind.RUNTIME),
        ("acme-portal", "elastic", EdgeKind.RUNTIME),
        ("spring-core", "jackson", EdgeKind.RUNTIME),
        ("spring-core", "commons-lang3", EdgeKind.RUNTIME),
        ("spring-core", "hibernate", EdgeKind.RUNTIME),
        ("hibernate", "ojdbc", EdgeKind.RUNTIME),
        ("hibernate", "asm", EdgeKind.RUNTIME),
        ("aliyun-oss", "jackson", EdgeKind.RUNTIME),
        ("aliyun-oss", "slf4j", EdgeKind.RUNTIME),
        ("sap-cloud-sdk", "guava", EdgeKind.RUNTIME),
        ("sap-cloud-sdk", "netty", EdgeKind.RUNTIME),
        ("elastic", "left-pad-ng", EdgeKind.DEV),
        ("hostile-name", "evil-lib", EdgeKind.RUNTIME),
    )
    sbom = ParsedSbom(
        path=SBOM_PATH,
        format=SbomFormat.CYCLONEDX_JSON,
        spec_version="1.6",
        sha256=hashlib.sha256(b"acme-portal sbom").hexdigest(),
        components=comps,
        root=root,
        edges=edges,
        skipped=(Skipped("/components/15/purl", "malformed purl 'pkg:/broken'"),),
        serial_number="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        name="acme-portal",
        tools=("cyclonedx-maven-plugin 2.8.0",),
    )
    H, M, L = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW
    Op = Openness
    K = ControllerKind
    J = Jurisdiction
    ass: dict[str, Assessment] = {}

    def put(
        ref: str,
        lic: Attribution[LicenseVerdict],
        ctl: Attribution[Controller],
        jur: Jurisdiction,
        regimes: tuple[str, ...] = (),
        service: Attribution[ServiceBinding] | None = None,
    ) -> None:
        ass[ref] = Assessment(
            ref=ref, license=lic, controller=ctl, service=service, jurisdiction=jur, regimes=regimes
        )

    us = ("US CLOUD Act", "US FISA 702")
    put(
        "ojdbc",
        _lic(
            "LicenseRef-scancode-oracle-futc",
            Op.PROPRIETARY,
            H,
            ("Oracle Free Use Terms and Conditions (FUTC)",),
            "licence name 'Oracle Free Use Terms and Conditions (FUTC)' → proprietary",
            category="Proprietary Free",
        ),
        _ctl(
            "Oracle America, Inc.",
            K.COMPANY,
            "US",
            H,
            "Maven group com.oracle → Oracle (knowledge base)",
            "SBOM supplier 'Oracle America, Inc.'",
            ultimate="Oracle Corporation",
        ),
        J.FOREIGN,
        us,
    )
    put(
        "aliyun-oss",
        _lic("Apache-2.0", Op.OPEN, H, ("Apache-2.0",), "license id Apache-2.0", category="Permissive"),
        _ctl(
            "Alibaba Cloud",
            K.COMPANY,
            "CN",
            H,
            "Maven group com.aliyun → Alibaba Cloud (knowledge base)",
            ultimate="Alibaba Group Holding Limited",
        ),
        J.FOREIGN,
        ("CN National Intelligence Law",),
        Attribution(
            "service",
            ServiceBinding("Alibaba Cloud Object Storage Service", "Alibaba Cloud", "alibaba-cloud", "CN"),
            H,
            (
                Evidence(
                    "knowledge-base",
                    "purl pkg:maven/com.aliyun.oss/* is an OSS client",
                    "services.toml#alibaba-oss",
                ),
            ),
            "service",
        ),
    )
    put(
        "spring-core",
        _lic("Apache-2.0", Op.OPEN, H, ("Apache-2.0",), "license id Apache-2.0", category="Permissive"),
        _ctl(
            "VMware LLC",
            K.COMPANY,
            "US",
            M,
            "Maven group org.springframework → VMware (knowledge base)",
            ultimate="Broadcom Inc.",
        ),
        J.FOREIGN,
        us,
    )
    put(
        "jackson",
        _lic("Apache-2.0", Op.OPEN, H, ("Apache-2.0",), "license id Apache-2.0", category="Permissive"),
        _ctl(
            "FasterXML community",
            K.COMMUNITY,
            None,
            M,
            "GitHub organisation FasterXML is a community project",
        ),
        J.UNKNOWN,
    )
    put(
        "commons-lang3",
        _lic("Apache-2.0", Op.OPEN, H, ("Apache-2.0",), "license id Apache-2.0", category="Permissive"),
        _ctl(
            "The Apache Software Foundation",
            K.FOUNDATION,
            "US",
            H,
            "Maven group org.apache → ASF (knowledge base)",
        ),
        J.FOREIGN,
        us,
    )
    put(
        "slf4j",
        _lic("MIT", Op.OPEN, H, ("MIT",), "license id MIT", category="Permissive"),
        _ctl("QOS.ch Sarl", K.COMPANY, "CH", M, "Maven group org.slf4j → QOS.ch (knowledge base)"),
        J.FOREIGN,
    )
    put(
        "hibernate",
        _lic(
            "LGPL-2.1-only",
            Op.OPEN,
            H,
            ("LGPL-2.1-only",),
            "license id LGPL-2.1-only",
            category="Copyleft Limited",
        ),
        _ctl(
            "Red Hat, Inc.",
            K.COMPANY,
            "US",
            H,
            "Maven group org.hibernate → Red Hat (knowledge base)",
            ultimate="International Business Machines Corporation",
        ),
        J.FOREIGN,
        us,
    )
    put(
        "asm",
        _lic("BSD-3-Clause", Op.OPEN, H, ("BSD-3-Clause",), "license id BSD-3-Clause", category="Permissive"),
        _ctl("OW2", K.CONSORTIUM, "FR", H, "Maven group org.ow2 → OW2 (knowledge base)"),
        J.HOME,
    )
    put(
        "left-pad-ng",
        Attribution(
            "license",
            None,
            L,
            (Evidence("sbom", "no licence in the SBOM and none in the knowledge base", "/components/9"),),
        ),
        Attribution(
            "controller",
            None,
            L,
            (Evidence("sbom", "no supplier, author or known purl namespace", "/components/9"),),
        ),
        J.UNKNOWN,
    )
    put(
        "hostile-name", Attribution("license", None, L, ()), Attribution("controller", None, L, ()), J.UNKNOWN
    )
    put(
        "evil-lib",
        _lic(
            None,
            Op.UNKNOWN,
            L,
            ("[click me](javascript:alert(3))",),
            "unrecognised licence name '[click me](javascript:alert(3))'",
        ),
        Attribution(
            "controller",
            Controller(name="<b>Evil</b> Corp", kind=K.COMPANY, country="RU"),
            L,
            (Evidence("sbom", HOSTILE_EVIDENCE, "/components/11/supplier"),),
            "sbom",
        ),
        J.FOREIGN,
    )
    put(
        "sap-cloud-sdk",
        _lic("Apache-2.0", Op.OPEN, H, ("Apache-2.0",), "license id Apache-2.0", category="Permissive"),
        _ctl(
            "SAP SE",
            K.COMPANY,
            "DE",
            H,
            "SBOM supplier 'SAP SE'",
            "Maven group com.sap → SAP (knowledge base)",
        ),
        J.TRUSTED,
        (),
        Attribution(
            "service",
            ServiceBinding(
                "SAP Business Technology Platform", "SAP SE", "sap", "DE", ("C5 (2023-05, source BSI)",)
            ),
            M,
            (Evidence("knowledge-base", "com.sap.cloud.sdk is the SAP BTP client", "services.toml#sap"),),
            "service",
        ),
    )
    put(
        "netty",
        _lic("Apache-2.0", Op.OPEN, H, ("Apache-2.0",), "license id Apache-2.0", category="Permissive"),
        _ctl("Netty project", K.COMMUNITY, None, M, "io.netty is a community project (knowledge base)"),
        J.UNKNOWN,
    )
    put(
        "guava",
        _lic("Apache-2.0", Op.OPEN, H, ("Apache-2.0",), "license id Apache-2.0", category="Permissive"),
        _ctl(
            "Google LLC",
            K.COMPANY,
            "US",
            H,
            "Maven group com.google → Google (knowledge base)",
            ultimate="Alphabet Inc.",
        ),
        J.FOREIGN,
        us,
    )
    put(
        "elastic",
        _lic(
            "Elastic-2.0",
            Op.SOURCE_AVAILABLE,
            H,
            ("Elastic-2.0",),
            "expression Elastic-2.0",
            category="Source-available",
        ),
        _ctl(
            "Elasticsearch B.V.",
            K.COMPANY,
            "NL",
            H,
            "Maven group co.elastic → Elastic (knowledge base)",
            ultimate="Elastic N.V.",
        ),
        J.TRUSTED,
    )

    def m(reach: int, dominated: int, depth: int, direct: bool) -> ComponentMetrics:
        return ComponentMetrics(
            reach=reach, share=round(reach / 15, 4), dominated=dominated, depth=depth, direct=direct
        )

    metrics = {
        "ojdbc": m(3, 0, 1, True),
        "aliyun-oss": m(1, 0, 1, True),
        "spring-core": m(1, 2, 1, True),
        "jackson": m(3, 0, 2, False),
        "commons-lang3": m(2, 1, 2, False),
        "slf4j": m(2, 1, 2, False),
        "hibernate": m(2, 1, 2, False),
        "asm": m(3, 1, 3, False),
        "left-pad-ng": m(2, 1, 2, False),
        "hostile-name": m(1, 1, 1, True),
        "evil-lib": m(2, 1, 2, False),
        "sap-cloud-sdk": m(1, 2, 1, True),
        "netty": m(2, 1, 2, False),
        "guava": m(2, 1, 2, False),
        "elastic": m(1, 1, 1, True),
    }
    summary = Summary(
        components=15,
        dependencies=len(edges) - 6,
        root="acme-portal",
        flat=False,
        skipped=sbom.skipped,
        openness={"open": 11, "source-available": 1, "proprietary": 1, "unknown": 2},
        exposure_by_country={"US": 0.6, "CN": 0.2667, "RU": 0.1333, "CH": 0.1333, "DE": 0.2, "NL": 0.0667},
        exposure_by_controller={
            "Oracle Corporation": 0.2,
            "Alibaba Group Holding Limited": 0.2667,
            "Broadcom Inc.": 0.0667,
            "Alphabet Inc.": 0.1333,
            "SAP SE": 0.2,
            "<b>Evil</b> Corp": 0.1333,
        },
        score=58,
        exposure_groups={"foreign": 0.7333, "proprietary": 0.2, "unknown": 0.2667},
        concentration={"country": 0.41, "controller": 0.22},
        depth=3,
        direct=6,
        confidence={"high": 9, "medium": 3, "low": 3},
        graph_issues={"duplicate_edges": 1},
    )
    # Findings as the analysis writes them: the catalogue's English title and recommendation, a
    # message written out by hand from the rule's English template, and the params it is made of
    # (reporters render the French message from them). The hostile recommendation of evil-lib is
    # a custom text (shown as it is in every language); the resolved finding comes from a
    # baseline report, so it has no params (its message stays English).
    n = 15
    findings = (
        Finding(
            "f1a2b3c4d5e6",
            "SOV001",
            "Foreign proprietary choke point",
            Severity.CRITICAL,
            "ojdbc",
            0.2,
            "com.oracle.database.jdbc/ojdbc11 23.3.0.23.09 is proprietary and controlled by Oracle "
            "Corporation (US), outside the trusted zone. 20 % of the product (3 of 15 components) "
            "depends on it; the product uses it directly.",
            (
                "licence: Oracle Free Use Terms and Conditions (FUTC) → proprietary",
                "controller: Maven group com.oracle → Oracle Corporation (US)",
            ),
            "Negotiate contractual guarantees (escrow, perpetual licence, local entity) or plan its "
            "replacement by an open or trusted alternative.",
            status="new",
            params={
                "component": "com.oracle.database.jdbc/ojdbc11",
                "version": "23.3.0.23.09",
                "controller": "Oracle Corporation",
                "country": "US",
                "reach": 3,
                "share": 0.2,
                "n": n,
                "dominated": 0,
                "direct": True,
                "openness": "proprietary",
            },
        ),
        Finding(
            "0a9b8c7d6e5f",
            "SOV003",
            "Bound to a foreign service",
            Severity.HIGH,
            "aliyun-oss",
            0.0667,
            "com.aliyun.oss/aliyun-sdk-oss 3.17.4 is a client of Alibaba Cloud Object Storage Service, "
            "operated by Alibaba Cloud (CN) outside the trusted zone; it stops working if the service is "
            "cut off, whatever its licence. 6.7 % of the product (1 of 15 components) depends on it; "
            "the product uses it directly.",
            (
                "service: purl pkg:maven/com.aliyun.oss/* is an OSS client",
                "regime: CN National Intelligence Law",
            ),
            "Add an abstraction layer and a trusted or self-hosted alternative for the service "
            "(e.g. one with a sovereign-cloud qualification); keep data exit procedures ready.",
            status="unchanged",
            params={
                "component": "com.aliyun.oss/aliyun-sdk-oss",
                "version": "3.17.4",
                "controller": "Alibaba Group Holding Limited",
                "country": "CN",
                "reach": 1,
                "share": 0.0667,
                "n": n,
                "dominated": 0,
                "direct": True,
                "service": "Alibaba Cloud Object Storage Service",
                "operator": "Alibaba Cloud",
                "service_country": "CN",
                "service_jurisdiction": "foreign",
            },
        ),
        Finding(
            "77e1c0ffee00",
            "SOV005",
            "Unknown licence with real weight",
            Severity.MEDIUM,
            "evil-lib",
            0.1333,
            f"No licence is known for evil-lib {HOSTILE_VERSION}, controlled by <b>Evil</b> Corp (RU). "
            "13 % of the product (2 of 15 components) depends on it; 1 component is reachable only "
            "through it.",
            (HOSTILE_EVIDENCE, "licence: [click me](javascript:alert(3))"),
            "Check the supplier | and *fill* the SBOM `supplier` field.",
            status="new",
            params={
                "component": "evil-lib",
                "version": HOSTILE_VERSION,
                "controller": "<b>Evil</b> Corp",
                "country": "RU",
                "reach": 2,
                "share": 0.1333,
                "n": n,
                "dominated": 1,
                "direct": False,
            },
        ),
        Finding(
            "5e5e5e5e5e5e",
            "SOV005",
            "Unknown licence with real weight",
            Severity.MEDIUM,
            "left-pad-ng",
            0.1333,
            "No licence is known for left-pad-ng 1.0.0, whose controller is unknown. 13 % of the product "
            "(2 of 15 components) depends on it; 1 component is reachable only through it.",
            ("no licence in the SBOM and none in the knowledge base",),
            "Ask the supplier for the licence, or fill it in the SBOM; until then treat it as proprietary.",
            status="new",
            params={
                "component": "left-pad-ng",
                "version": "1.0.0",
                "controller": None,
                "country": None,
                "reach": 2,
                "share": 0.1333,
                "n": n,
                "dominated": 1,
                "direct": False,
            },
        ),
        Finding(
            "abcabcabcabc",
            "SOV006",
            "Unknown controller with real weight",
            Severity.LOW,
            "hostile-name",
            0.0667,
            f"The controller of {HOSTILE_NAME} 1.0 is unknown. 6.7 % of the product (1 of 15 components) "
            "depends on it; 1 component is reachable only through it; the product uses it directly.",
            (f"name {HOSTILE_NAME}",),
            "Ask the supplier who publishes it, or add a controller override to the knowledge base.",
            status="new",
            params={
                "component": HOSTILE_NAME,
                "version": "1.0",
                "controller": None,
                "country": None,
                "reach": 1,
                "share": 0.0667,
                "n": n,
                "dominated": 1,
                "direct": True,
                "variant": "",
            },
        ),
        Finding(
            "e1a5e1a5e1a5",
            "SOV004",
            "Proprietary choke point in the trusted zone",
            Severity.HIGH,
            "elastic",
            0.0667,
            "co.elastic.clients/elasticsearch-java 8.13.0 is source-available and controlled by Elastic "
            "N.V. (NL), in the trusted zone. 6.7 % of the product (1 of 15 components) depends on it; "
            "1 component is reachable only through it; the product uses it directly.",
            ("licence: expression Elastic-2.0 → source-available",),
            "Keep the contract, support and exit clauses under review; consider escrow.",
            waived="Support contract with Elastic until 2027-06-30",
            status="unchanged",
            params={
                "component": "co.elastic.clients/elasticsearch-java",
                "version": "8.13.0",
                "controller": "Elastic N.V.",
                "country": "NL",
                "reach": 1,
                "share": 0.0667,
                "n": n,
                "dominated": 1,
                "direct": True,
                "openness": "source-available",
                "zone": "trusted",
            },
        ),
        Finding(
            "f0f0f0f0f0f0",
            "SOV011",
            "Exposure to foreign open-source components",
            Severity.INFO,
            None,
            0.7333,
            "73 % of the product depends on 6 open-source components controlled from outside the trusted "
            "zone (US: 4, CH: 1, CN: 1). They can be forked, so they are exposure, not choke points.",
            ("foreign open-source components by country: US: 4, CH: 1, CN: 1",),
            "Mirror these packages in a registry you control and pin their versions.",
            params={"count": 6, "detail": "US: 4, CH: 1, CN: 1", "variant": "share", "share": 0.7333},
        ),
    )
    resolved = (
        Finding(
            "dead0000beef",
            "SOV003",
            "Bound to a foreign service",
            Severity.HIGH,
            "aws-sdk-s3",
            0.3,
            "aws-sdk-s3 was a client of Amazon S3 (US).",
            ("service: aws-sdk-s3",),
            "Add an abstraction layer and a trusted or self-hosted alternative for the service "
            "(e.g. one with a sovereign-cloud qualification); keep data exit procedures ready.",
        ),
    )
    result = AuditResult(
        sbom=sbom,
        policy=Policy(
            home=("FR",),
            trusted=("EU", "EEA"),
            fail_on=Severity.HIGH,
            thresholds={"choke_share": 0.05, "concentration": 0.5},
            waivers=(
                Waiver(
                    "pkg:maven/co.elastic.clients/*",
                    "Support contract with Elastic until 2027-06-30",
                    "2027-06-30",
                    "SOV004",
                ),
            ),
            source="souverain.toml",
        ),
        summary=summary,
        components=comps,
        assessments=ass,
        metrics=metrics,
        findings=findings,
        resolved=resolved,
        warnings=("1 component has no purl: it was matched by name only", "offline: registries not queried"),
        generated_at=None if reproducible else "2026-11-28T10:00:00+00:00",
        tool_version="0.1.0",
    )
    return result


def without_findings() -> AuditResult:
    """The same product with every finding resolved (a PASS)."""
    r = make_result()
    return replace(r, findings=(), resolved=r.findings)


SNAPSHOTS = Path(__file__).parent / "snapshots"


def assert_snapshot(name: str, text: str) -> None:
    """Compare ``text`` with the golden file ``tests/snapshots/<name>``; with the environment
    variable ``SOUVERAIN_UPDATE_SNAPSHOTS=1`` (re)write the golden file instead."""
    path = SNAPSHOTS / name
    if os.environ.get("SOUVERAIN_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.exists(), f"missing snapshot {path}: run with SOUVERAIN_UPDATE_SNAPSHOTS=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its snapshot (SOUVERAIN_UPDATE_SNAPSHOTS=1 to update)"


def render(name: str, result: AuditResult | None = None, **options: object) -> str:
    """Render ``result`` (default: :func:`make_result`) with the reporter ``name``."""
    buf = io.StringIO()
    opts = RenderOptions(**{"reproducible": True, **options})  # type: ignore[arg-type]
    get_reporter(name).render(result if result is not None else make_result(), buf, opts)
    return buf.getvalue()


def result_from_sbom(sbom: ParsedSbom) -> AuditResult:
    """A minimal AuditResult around a real parsed SBOM: no assessments, no metrics, no findings
    (what a reporter sees for components the enrichers said nothing about)."""
    n = len(sbom.components)
    summary = Summary(
        components=n,
        dependencies=len(sbom.edges),
        root=sbom.root.ref if sbom.root else None,
        flat=not sbom.has_dependency_data,
        skipped=sbom.skipped,
        openness={"unknown": n},
        exposure_by_country={},
        exposure_by_controller={},
        score=None,
    )
    return AuditResult(
        sbom=sbom,
        policy=Policy(),
        summary=summary,
        components=sbom.components,
        assessments={},
        metrics={},
        findings=(),
        tool_version="0.1.0",
    )
