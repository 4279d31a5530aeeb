"""The single catalogue of finding rules. Rule ids are stable (SARIF ``ruleId``, waivers,
baselines); docs/findings.md has one section per id and a test checks it."""

from __future__ import annotations

from dataclasses import dataclass

from souverain.model import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of finding: stable ``id``, short ``title``, ``severity`` before weighting,
    ``help`` (Markdown, for SARIF and the docs) and the generic ``recommendation``."""

    id: str
    name: str
    title: str
    severity: Severity
    help: str
    recommendation: str


FOREIGN_PROPRIETARY = Rule(
    "SOV001",
    "foreign-proprietary-choke-point",
    "Foreign proprietary choke point",
    Severity.HIGH,
    "A proprietary component controlled from outside the trusted jurisdictions carries real weight "
    "in the product: its licence can be revoked, or its export banned, and nobody else may "
    "legally carry it on.",
    "Negotiate contractual guarantees (escrow, perpetual licence, local entity) or plan its "
    "replacement by an open or trusted alternative.",
)
FOREIGN_SOURCE_AVAILABLE = Rule(
    "SOV002",
    "foreign-source-available-choke-point",
    "Foreign source-available choke point",
    Severity.MEDIUM,
    "A source-available (not open source) component controlled from outside the trusted "
    "jurisdictions carries real weight: the source can be read but its licence restricts forking "
    "or use, and the licensor can change the terms of new releases.",
    "Check that the licence allows your use; pin and mirror the last acceptable release; "
    "identify an open fork or alternative.",
)
FOREIGN_SERVICE = Rule(
    "SOV003",
    "foreign-service-binding",
    "Bound to a foreign service",
    Severity.HIGH,
    "The component is a client of a remote service operated from outside the trusted "
    "jurisdictions. Even under an open licence it is useless if the service is cut off.",
    "Add an abstraction layer and a trusted or self-hosted alternative for the service "
    "(e.g. one with a sovereign-cloud qualification); keep data exit procedures ready.",
)
TRUSTED_PROPRIETARY = Rule(
    "SOV004",
    "trusted-proprietary-choke-point",
    "Proprietary choke point in the trusted zone",
    Severity.LOW,
    "A proprietary or source-available component controlled from the home or a trusted "
    "jurisdiction carries real weight: no jurisdictional risk, but a single-vendor dependency.",
    "Keep the contract, support and exit clauses under review; consider escrow.",
)
UNKNOWN_LICENCE = Rule(
    "SOV005",
    "unknown-licence-with-weight",
    "Unknown licence with real weight",
    Severity.MEDIUM,
    "The SBOM gives no licence souverain could understand for a component with real weight: "
    "nobody can say whether it may be forked or whether its use could be revoked.",
    "Ask the supplier for the licence, or fill it in the SBOM; until then treat it as proprietary.",
)
UNKNOWN_CONTROLLER = Rule(
    "SOV006",
    "unknown-controller-with-weight",
    "Unknown controller with real weight",
    Severity.LOW,
    "Who controls the releases of a component with real weight, or in which country, is unknown: "
    "its jurisdictional risk cannot be assessed.",
    "Ask the supplier who publishes it, or add a controller override to the knowledge base.",
)
VENDOR_CONCENTRATION = Rule(
    "SOV007",
    "vendor-concentration",
    "Vendor concentration",
    Severity.MEDIUM,
    "One controller (after following ownership to the ultimate owner) is a dependency of a large "
    "share of the product.",
    "Diversify suppliers for the most exposed functions; negotiate exit and continuity clauses.",
)
COUNTRY_CONCENTRATION = Rule(
    "SOV008",
    "country-concentration",
    "Country concentration outside the trusted zone",
    Severity.MEDIUM,
    "Components controlled from one foreign country are a dependency of a large share of the "
    "product: a sanction, an export ban or an extraterritorial order there would hit most of it.",
    "Identify trusted alternatives for the most exposed components and mirror the open ones.",
)
NO_DEPENDENCIES = Rule(
    "SOV009",
    "sbom-without-dependencies",
    "SBOM without dependency data",
    Severity.MEDIUM,
    "The SBOM lists components but no dependency relationships: what depends on what, and "
    "therefore the weight of every choke point, is unknown.",
    "Ask the supplier for an SBOM with dependency relationships (CycloneDX `dependencies`, SPDX "
    "`DEPENDS_ON`), as required by the NTIA minimum elements and BSI TR-03183-2.",
)
NO_SUPPLIERS = Rule(
    "SOV010",
    "sbom-without-suppliers",
    "SBOM without supplier data",
    Severity.LOW,
    "Most components of the SBOM name no supplier, manufacturer or author: controllers had to be "
    "inferred from package names only.",
    "Ask the supplier to fill the supplier of every component (NTIA minimum element).",
)
FOREIGN_OPEN_EXPOSURE = Rule(
    "SOV011",
    "foreign-open-exposure",
    "Exposure to foreign open-source components",
    Severity.INFO,
    "Open-source components controlled from outside the trusted zone: forkable, so not choke "
    "points, but their releases, registries and maintainers are outside your jurisdiction.",
    "Mirror these packages in a registry you control and pin their versions.",
)
UNKNOWN_LICENCE_SUMMARY = Rule(
    "SOV012",
    "unknown-licences-summary",
    "Components with unknown licences",
    Severity.LOW,
    "Components without an understood licence and without real weight, counted together.",
    "Fill the licences in the SBOM (or ask the supplier for them).",
)
UNKNOWN_CONTROLLER_SUMMARY = Rule(
    "SOV013",
    "unknown-controllers-summary",
    "Components with unknown controllers",
    Severity.INFO,
    "Components whose controller or its country is unknown and that carry no real weight, "
    "counted together.",
    "Fill suppliers in the SBOM or add knowledge-base entries for the most common namespaces.",
)

RULES: tuple[Rule, ...] = (
    FOREIGN_PROPRIETARY,
    FOREIGN_SOURCE_AVAILABLE,
    FOREIGN_SERVICE,
    TRUSTED_PROPRIETARY,
    UNKNOWN_LICENCE,
    UNKNOWN_CONTROLLER,
    VENDOR_CONCENTRATION,
    COUNTRY_CONCENTRATION,
    NO_DEPENDENCIES,
    NO_SUPPLIERS,
    FOREIGN_OPEN_EXPOSURE,
    UNKNOWN_LICENCE_SUMMARY,
    UNKNOWN_CONTROLLER_SUMMARY,
)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
