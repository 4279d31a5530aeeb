"""The single catalogue of finding rules. Rule ids are stable (SARIF ``ruleId``, waivers,
baselines); docs/findings.md has one section per id and a test checks it.

Every rule carries its texts in English and French (title, help, recommendation) and the
templates of its message, one per *variant* (a rule may phrase its message in several ways, e.g.
SOV006 with or without a known controller). :func:`render_message` renders a message from the
rule, the finding's ``params`` and a language: the analysis renders the English ``message`` of
the JSON contract with it, the human-readable reporters the French one, so both come from one
source.

>>> render_message("SOV008", {"share": 0.62, "country": "US"}, "en")
'62 % of the product depends on components controlled from US, outside the trusted zone.'
>>> render_message("SOV009", {"n": 12}, "fr")[:44]
'Le SBOM recense 12 composants mais aucune re'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from souverain.model import FindingParam, Severity

LANGS = ("en", "fr")
NBSP = "\u00a0"


def _fr(text: str) -> str:
    """French typography: a no-break space before ``:``, ``;``, ``?``, ``!`` and ``%``."""
    for mark in (":", ";", "?", "!", "%"):
        text = text.replace(f" {mark}", f"{NBSP}{mark}")
    return text


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


@dataclass(frozen=True, slots=True)
class Message:
    """One form of a rule's message: ``variant`` ("" for the default form) and its template in
    each language (:meth:`str.format` fields, see :func:`render_message`)."""

    variant: str
    en: str
    fr: str

    def template(self, lang: str) -> str:
        """The template in ``lang`` (English for an unknown language)."""
        return self.fr if _lang(lang) == "fr" else self.en


@dataclass(frozen=True, slots=True)
class Rule:
    """One kind of finding: stable ``id``, short ``title``, ``severity`` before weighting,
    ``help`` (Markdown, for SARIF and the docs) and the generic ``recommendation`` — in English,
    as the machine formats need them — plus their French texts and the message templates."""

    id: str
    name: str
    title: str
    severity: Severity
    help: str
    recommendation: str
    title_fr: str = ""
    help_fr: str = ""
    recommendation_fr: str = ""
    messages: tuple[Message, ...] = ()

    def text(self, what: str, lang: str) -> str:
        """``title``, ``help`` or ``recommendation`` in ``lang`` (English when not translated)."""
        english: str = getattr(self, what)
        if _lang(lang) == "fr":
            return str(getattr(self, f"{what}_fr")) or english
        return english

    def message(self, variant: str = "") -> Message:
        """The message form ``variant``; KeyError when the rule has no such form."""
        for m in self.messages:
            if m.variant == variant:
                return m
        raise KeyError(f"{self.id} has no message variant {variant!r}")


def _rule(
    id: str,
    name: str,
    severity: Severity,
    title: tuple[str, str],
    help: tuple[str, str],
    recommendation: tuple[str, str],
    *messages: tuple[str, str, str],
) -> Rule:
    return Rule(
        id,
        name,
        title[0],
        severity,
        help[0],
        recommendation[0],
        _fr(title[1]),
        _fr(help[1]),
        _fr(recommendation[1]),
        tuple(Message(variant, en, _fr(fr)) for variant, en, fr in messages),
    )


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------

FOREIGN_PROPRIETARY = _rule(
    "SOV001",
    "foreign-proprietary-choke-point",
    Severity.HIGH,
    (
        "Foreign proprietary choke point",
        "Point d'étranglement propriétaire sous juridiction étrangère",
    ),
    (
        "A proprietary component controlled from outside the trusted jurisdictions carries real weight "
        "in the product: its licence can be revoked, or its export banned, and nobody else may "
        "legally carry it on.",
        "Un composant propriétaire contrôlé depuis une juridiction extérieure à la zone de confiance "
        "pèse significativement dans le produit : sa licence peut être révoquée ou son exportation "
        "interdite, et nul autre n'a le droit d'en reprendre la maintenance.",
    ),
    (
        "Negotiate contractual guarantees (escrow, perpetual licence, local entity) or plan its "
        "replacement by an open or trusted alternative.",
        "Négocier des garanties contractuelles (séquestre du code source, licence perpétuelle, entité "
        "locale) ou planifier son remplacement par une solution libre ou de confiance.",
    ),
    (
        "",
        "{who} is proprietary and {controlled}, outside the trusted zone. {weight}",
        "Le composant {who} est propriétaire et {controlled}, hors de la zone de confiance. {weight}",
    ),
)
FOREIGN_SOURCE_AVAILABLE = _rule(
    "SOV002",
    "foreign-source-available-choke-point",
    Severity.MEDIUM,
    (
        "Foreign source-available choke point",
        "Point d'étranglement à source disponible sous juridiction étrangère",
    ),
    (
        "A source-available (not open source) component controlled from outside the trusted "
        "jurisdictions carries real weight: the source can be read but its licence restricts forking "
        "or use, and the licensor can change the terms of new releases.",
        "Un composant à source disponible (non libre) contrôlé depuis une juridiction extérieure à la "
        "zone de confiance pèse significativement dans le produit : son code peut être lu, mais sa "
        "licence en restreint la reprise (fork) ou l'usage, et le concédant peut changer les "
        "conditions des versions futures.",
    ),
    (
        "Check that the licence allows your use; pin and mirror the last acceptable release; "
        "identify an open fork or alternative.",
        "Vérifier que la licence autorise votre usage ; figer la dernière version acceptable et en "
        "conserver une copie (miroir) ; identifier un fork libre ou une alternative.",
    ),
    (
        "",
        "{who} is source-available and {controlled}, outside the trusted zone. {weight}",
        "Le composant {who} est à source disponible (non libre) et {controlled}, hors de la zone de "
        "confiance. {weight}",
    ),
)
FOREIGN_SERVICE = _rule(
    "SOV003",
    "foreign-service-binding",
    Severity.HIGH,
    ("Bound to a foreign service", "Dépendance à un service sous juridiction étrangère"),
    (
        "The component is a client of a remote service operated from outside the trusted "
        "jurisdictions. Even under an open licence it is useless if the service is cut off.",
        "Le composant est client d'un service distant exploité depuis une juridiction extérieure à la "
        "zone de confiance. Même sous licence libre, il devient inutilisable si le service est coupé.",
    ),
    (
        "Add an abstraction layer and a trusted or self-hosted alternative for the service "
        "(e.g. one with a sovereign-cloud qualification); keep data exit procedures ready.",
        "Introduire une couche d'abstraction et une solution de repli de confiance ou auto-hébergée "
        "pour ce service (par exemple une offre de cloud qualifiée SecNumCloud) ; tenir prêtes les "
        "procédures de réversibilité des données.",
    ),
    (
        "",
        "{who} is a client of {service}, operated by {operator}{service_country} {where}; "
        "it stops working if the service is cut off, whatever its licence. {weight}",
        "Le composant {who} est client du service {service}, exploité par "
        "{operator}{service_country} {where} ; "
        "il cesse de fonctionner si ce service est coupé, quelle que soit sa licence. {weight}",
    ),
    (
        "service_node",
        "{who} is a remote service, operated by {operator}{service_country} {where}; "
        "what depends on it stops working if it is cut off. {weight}",
        "Le composant {who} est un service distant, exploité par {operator}{service_country} {where} ; "
        "ce qui en dépend cesse de fonctionner s'il est coupé. {weight}",
    ),
)
TRUSTED_PROPRIETARY = _rule(
    "SOV004",
    "trusted-proprietary-choke-point",
    Severity.LOW,
    (
        "Proprietary choke point in the trusted zone",
        "Point d'étranglement propriétaire dans la zone de confiance",
    ),
    (
        "A proprietary or source-available component controlled from the home or a trusted "
        "jurisdiction carries real weight: no jurisdictional risk, but a single-vendor dependency.",
        "Un composant propriétaire ou à source disponible contrôlé depuis la juridiction de "
        "rattachement ou une juridiction de confiance pèse significativement dans le produit : pas "
        "de risque juridictionnel, mais une dépendance à un fournisseur unique.",
    ),
    (
        "Keep the contract, support and exit clauses under review; consider escrow.",
        "Suivre le contrat, le support et les clauses de réversibilité ; envisager un séquestre du "
        "code source.",
    ),
    (
        "",
        "{who} is {kind} and {controlled}, in the {zone} zone. {weight}",
        "Le composant {who} est {kind} et {controlled}, dans la {zone}. {weight}",
    ),
)
UNKNOWN_LICENCE = _rule(
    "SOV005",
    "unknown-licence-with-weight",
    Severity.MEDIUM,
    ("Unknown licence with real weight", "Licence inconnue d'un composant au poids significatif"),
    (
        "The SBOM gives no licence souverain could understand for a component with real weight: "
        "nobody can say whether it may be forked or whether its use could be revoked.",
        "Le SBOM ne donne aucune licence exploitable pour un composant au poids significatif : "
        "impossible de dire s'il peut être repris (fork) ni si son droit d'usage peut être révoqué.",
    ),
    (
        "Ask the supplier for the licence, or fill it in the SBOM; until then treat it as proprietary.",
        "Demander la licence au fournisseur ou la renseigner dans le SBOM ; d'ici là, traiter le "
        "composant comme propriétaire.",
    ),
    (
        "",
        "No licence is known for {who}, {controlled}. {weight}{own}",
        "Aucune licence n'est connue pour le composant {who}, {controlled}. {weight}{own}",
    ),
)
UNKNOWN_CONTROLLER = _rule(
    "SOV006",
    "unknown-controller-with-weight",
    Severity.LOW,
    (
        "Unknown controller with real weight",
        "Contrôleur inconnu d'un composant au poids significatif",
    ),
    (
        "Who controls the releases of a component with real weight, or in which country, is unknown: "
        "its jurisdictional risk cannot be assessed.",
        "On ignore qui contrôle les versions d'un composant au poids significatif, ou depuis quel "
        "pays : son risque juridictionnel ne peut pas être évalué.",
    ),
    (
        "Ask the supplier who publishes it, or add a controller override to the knowledge base.",
        "Demander au fournisseur qui publie le composant, ou ajouter une correction du contrôleur "
        "(override) dans la base de connaissances.",
    ),
    (
        "",
        "The controller of {who} is unknown. {weight}{own}",
        "On ignore qui contrôle le composant {who}. {weight}{own}",
    ),
    (
        "country",
        "The country of {controller}, which controls {who}, is unknown. {weight}{own}",
        "Le pays du contrôleur du composant {who} ({controller}) est inconnu. {weight}{own}",
    ),
)
VENDOR_CONCENTRATION = _rule(
    "SOV007",
    "vendor-concentration",
    Severity.MEDIUM,
    ("Vendor concentration", "Concentration sur un fournisseur"),
    (
        "One controller (after following ownership to the ultimate owner) is a dependency of a large "
        "share of the product.",
        "Une large part du produit dépend d'un même contrôleur (en remontant jusqu'au propriétaire "
        "ultime).",
    ),
    (
        "Diversify suppliers for the most exposed functions; negotiate exit and continuity clauses.",
        "Diversifier les fournisseurs des fonctions les plus exposées ; négocier des clauses de "
        "réversibilité et de continuité de service.",
    ),
    (
        "",
        "{pct} of the product depends on components controlled by {controller}{countries}.",
        "{pct} du produit dépend de composants contrôlés par {controller}{countries}.",
    ),
)
COUNTRY_CONCENTRATION = _rule(
    "SOV008",
    "country-concentration",
    Severity.MEDIUM,
    (
        "Country concentration outside the trusted zone",
        "Concentration sur un pays hors de la zone de confiance",
    ),
    (
        "Components controlled from one foreign country are a dependency of a large share of the "
        "product: a sanction, an export ban or an extraterritorial order there would hit most of it.",
        "Une large part du produit dépend de composants contrôlés depuis un même pays étranger : une "
        "sanction, une interdiction d'exportation ou une injonction extraterritoriale de ce pays en "
        "toucherait l'essentiel.",
    ),
    (
        "Identify trusted alternatives for the most exposed components and mirror the open ones.",
        "Identifier des alternatives de confiance pour les composants les plus exposés et conserver "
        "une copie (miroir) des composants libres.",
    ),
    (
        "",
        "{pct} of the product depends on components controlled from {country}, outside the trusted zone.",
        "{pct} du produit dépend de composants contrôlés depuis un pays hors de la zone de confiance "
        "({country}).",
    ),
)
NO_DEPENDENCIES = _rule(
    "SOV009",
    "sbom-without-dependencies",
    Severity.MEDIUM,
    ("SBOM without dependency data", "SBOM sans données de dépendance"),
    (
        "The SBOM lists components but no dependency relationships: what depends on what, and "
        "therefore the weight of every choke point, is unknown.",
        "Le SBOM recense des composants mais aucune relation de dépendance : on ignore ce qui dépend "
        "de quoi, et donc le poids de chaque point d'étranglement.",
    ),
    (
        "Ask the supplier for an SBOM with dependency relationships (CycloneDX `dependencies`, SPDX "
        "`DEPENDS_ON`), as required by the NTIA minimum elements and BSI TR-03183-2.",
        "Demander au fournisseur un SBOM qui décrit les relations de dépendance (`dependencies` en "
        "CycloneDX, `DEPENDS_ON` en SPDX), comme l'exigent les éléments minimaux de la NTIA et la "
        "BSI TR-03183-2.",
    ),
    (
        "",
        "The SBOM lists {n} components but no dependency relationships: what share of the product "
        "depends on each component is unknown, and choke points cannot be ranked.",
        "Le SBOM recense {n} composants mais aucune relation de dépendance : on ignore quelle part du "
        "produit dépend de chacun d'eux, et les points d'étranglement ne peuvent pas être classés.",
    ),
)
NO_SUPPLIERS = _rule(
    "SOV010",
    "sbom-without-suppliers",
    Severity.LOW,
    ("SBOM without supplier data", "SBOM sans données sur les fournisseurs"),
    (
        "Most components of the SBOM name no supplier, manufacturer or author: controllers had to be "
        "inferred from package names only.",
        "La plupart des composants du SBOM ne nomment ni fournisseur, ni fabricant, ni auteur : les "
        "contrôleurs ont dû être déduits des seuls noms de paquets.",
    ),
    (
        "Ask the supplier to fill the supplier of every component (NTIA minimum element).",
        "Demander au fournisseur de renseigner le fournisseur de chaque composant (élément minimal "
        "de la NTIA).",
    ),
    (
        "",
        "Only {with_supplier} of {n} components ({coverage}) name a supplier, manufacturer or author "
        "in the SBOM.",
        "Composants du SBOM qui nomment un fournisseur, un fabricant ou un auteur : seulement "
        "{with_supplier} sur {n} ({coverage}).",
    ),
)
_FORKABLE_EN = "They can be forked, so they are exposure, not choke points."
_FORKABLE_FR = (
    "Pouvant être repris par un tiers (fork), ils constituent une exposition, non des points "
    "d'étranglement."
)
FOREIGN_OPEN_EXPOSURE = _rule(
    "SOV011",
    "foreign-open-exposure",
    Severity.INFO,
    (
        "Exposure to foreign open-source components",
        "Exposition à des composants libres sous juridiction étrangère",
    ),
    (
        "Open-source components controlled from outside the trusted zone: forkable, so not choke "
        "points, but their releases, registries and maintainers are outside your jurisdiction.",
        "Composants libres contrôlés hors de la zone de confiance : ils peuvent être repris (fork) et "
        "ne sont donc pas des points d'étranglement, mais leurs versions, leurs registres et leurs "
        "mainteneurs échappent à votre juridiction.",
    ),
    (
        "Mirror these packages in a registry you control and pin their versions.",
        "Conserver une copie de ces paquets dans un registre que vous maîtrisez et figer leurs versions.",
    ),
    (
        "",
        "{count} open-source components controlled from outside the trusted zone ({detail}). "
        + _FORKABLE_EN,
        "Composants libres contrôlés hors de la zone de confiance : {count} ({detail}). " + _FORKABLE_FR,
    ),
    (
        "share",
        "{pct} of the product depends on {count} open-source components controlled from outside the "
        "trusted zone ({detail}). " + _FORKABLE_EN,
        "{pct} du produit dépend de composants libres contrôlés hors de la zone de confiance, au "
        "nombre de {count} ({detail}). " + _FORKABLE_FR,
    ),
)
_LIGHT_EN = ", each with less than {threshold} of the product depending on it."
_FLAT_EN = " (their weight is unknown: the SBOM has no dependency data)."
_LIGHT_FR = " (chacun pèse moins de {threshold} du produit)."
_FLAT_FR = " (poids inconnu : le SBOM ne contient aucune donnée de dépendance)."
_NO_LICENCE_EN = "{count} components have no known licence"
_NO_LICENCE_FR = "Composants sans licence connue : {count}"
UNKNOWN_LICENCE_SUMMARY = _rule(
    "SOV012",
    "unknown-licences-summary",
    Severity.LOW,
    ("Components with unknown licences", "Composants à licence inconnue"),
    (
        "Components without an understood licence and without real weight, counted together.",
        "Composants sans licence exploitable et sans poids significatif, comptés ensemble.",
    ),
    (
        "Fill the licences in the SBOM (or ask the supplier for them).",
        "Renseigner les licences dans le SBOM (ou les demander au fournisseur).",
    ),
    ("", _NO_LICENCE_EN + _LIGHT_EN, _NO_LICENCE_FR + _LIGHT_FR),
    ("flat", _NO_LICENCE_EN + _FLAT_EN, _NO_LICENCE_FR + _FLAT_FR),
)
_NO_CONTROLLER_EN = "{count} components have no known controller or controller country"
_NO_CONTROLLER_FR = "Composants dont le contrôleur ou son pays est inconnu : {count}"
UNKNOWN_CONTROLLER_SUMMARY = _rule(
    "SOV013",
    "unknown-controllers-summary",
    Severity.INFO,
    ("Components with unknown controllers", "Composants à contrôleur inconnu"),
    (
        "Components whose controller or its country is unknown and that carry no real weight, "
        "counted together.",
        "Composants dont le contrôleur ou son pays est inconnu et qui n'ont pas de poids "
        "significatif, comptés ensemble.",
    ),
    (
        "Fill suppliers in the SBOM or add knowledge-base entries for the most common namespaces.",
        "Renseigner les fournisseurs dans le SBOM ou ajouter à la base de connaissances des entrées "
        "pour les espaces de noms les plus fréquents.",
    ),
    ("", _NO_CONTROLLER_EN + _LIGHT_EN, _NO_CONTROLLER_FR + _LIGHT_FR),
    ("flat", _NO_CONTROLLER_EN + _FLAT_EN, _NO_CONTROLLER_FR + _FLAT_FR),
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


# --------------------------------------------------------------------------------------------
# Rendering messages from params
# --------------------------------------------------------------------------------------------

_WORDS: dict[str, tuple[str, str]] = {
    # key: (English, French)
    "proprietary": ("proprietary", "propriétaire"),
    "source-available": ("source-available", "à source disponible (non libre)"),
    "home": ("home", "zone de rattachement"),
    "trusted": ("trusted", "zone de confiance"),
    "controlled": ("controlled by {controller} ({country})", "contrôlé par {controller} ({country})"),
    "controlled_nowhere": (
        "controlled by {controller} (country unknown)",
        "contrôlé par {controller} (pays inconnu)",
    ),
    "controlled_community": (
        "controlled by {controller} (a community project, without a country)",
        "contrôlé par {controller} (un projet communautaire, sans pays)",
    ),
    "controlled_nobody": ("whose controller is unknown", "dont le contrôleur est inconnu"),
    "operator_unknown": ("an unknown operator", "un opérateur inconnu"),
    "where_foreign": ("outside the trusted zone", "hors de la zone de confiance"),
    "where_unknown": ("from an unknown jurisdiction", "depuis une juridiction inconnue"),
    "weight_unknown": (
        "The SBOM has no dependency data, so its weight is unknown.",
        "Le SBOM ne contient aucune donnée de dépendance : son poids est inconnu.",
    ),
    "weight_reach": (
        "{pct} of the product ({reach} of {n} components) depends on it",
        "{pct} du produit ({reach} composants sur {n}) en dépend",
    ),
    "weight_reach_one": (
        "{pct} of the product ({reach} of {n} components) depends on it",
        "{pct} du produit ({reach} composant sur {n}) en dépend",
    ),
    "weight_dominated": (
        "{dominated} components are reachable only through it",
        "{dominated} composants ne sont atteignables que par lui",
    ),
    "weight_dominated_one": (
        "{dominated} component is reachable only through it",
        "{dominated} composant n'est atteignable que par lui",
    ),
    "weight_direct": ("the product uses it directly", "le produit l'utilise directement"),
    "weight_none": ("Nothing else depends on it.", "Aucun autre composant n'en dépend."),
    "weight_sep": ("; ", " ; "),
    "aggregate_operating-system": (
        "It is an operating system: what matters are the licences and controllers of its packages, "
        "assessed one by one.",
        "C'est un système d'exploitation : ce qui compte, ce sont les licences et les contrôleurs de "
        "ses paquets, évalués un par un.",
    ),
    "aggregate_container": (
        "It is a container image: what matters are the licences and controllers of what it contains, "
        "assessed one by one.",
        "C'est une image de conteneur : ce qui compte, ce sont les licences et les contrôleurs de ce "
        "qu'elle contient, évalués un par un.",
    ),
    "aggregate_files": (
        "It stands for the packages a scanner found in one file: what matters are their licences and "
        "controllers, assessed one by one.",
        "Il représente les paquets qu'un outil d'analyse a trouvés dans un fichier : ce qui compte, ce "
        "sont leurs licences et leurs contrôleurs, évalués un par un.",
    ),
    "service_node": (
        "It is a service: used, not run, so who operates it and from where matters more than its licence.",
        "C'est un service : on l'utilise sans l'exécuter, donc qui l'exploite et depuis où compte plus que "
        "sa licence.",
    ),
    "first_party_project": (
        "It is a project of the build the SBOM describes ({project_path}): a question for the "
        "product's owner, not for a supplier.",
        "C'est un projet du build que décrit le SBOM ({project_path}) : la question relève du "
        "propriétaire du produit, pas d'un fournisseur.",
    ),
    "first_party_namespace": (
        "It is part of the product itself (namespace {product_namespace}): a question for the "
        "product's owner, not for a supplier.",
        "Il fait partie du produit lui-même (espace de noms {product_namespace}) : la question "
        "relève du propriétaire du produit, pas d'un fournisseur.",
    ),
}


def word(key: str, lang: str) -> str:
    """A fragment of the messages in ``lang`` (``proprietary``, ``home``, ``weight_unknown``…)."""
    en, fr = _WORDS[key]
    return _fr(fr) if _lang(lang) == "fr" else en


def percent(share: float, lang: str = "en") -> str:
    """``0.623`` → ``"62 %"``; shares under 10 % keep one decimal (``"5.5 %"``, in French
    ``"5,5 %"`` with a no-break space)."""
    v = share * 100
    text = f"{v:.0f} %" if v >= 10 or v == 0 else f"{v:.1f} %"
    return _fr(text.replace(".", ",")) if _lang(lang) == "fr" else text


def _who(p: Mapping[str, FindingParam], lang: str) -> str:
    version = p.get("version")
    return f"{p['component']} {version}" if version else str(p["component"])


def _controlled(p: Mapping[str, FindingParam], lang: str) -> str:
    controller, country = p.get("controller"), p.get("country")
    if controller and country:
        return word("controlled", lang).format(controller=controller, country=country)
    if controller and p.get("community"):
        return word("controlled_community", lang).format(controller=controller)
    if controller:
        return word("controlled_nowhere", lang).format(controller=controller)
    return word("controlled_nobody", lang)


def _weight(p: Mapping[str, FindingParam], lang: str) -> str:
    reach, share, n = p.get("reach"), p.get("share"), p["n"]
    if not isinstance(reach, int) or not isinstance(share, float | int):
        return word("weight_unknown", lang)
    parts = []
    if reach:
        key = "weight_reach_one" if reach == 1 else "weight_reach"
        parts.append(word(key, lang).format(pct=percent(share, lang), reach=reach, n=n))
    dominated = p.get("dominated")
    if dominated:
        key = "weight_dominated_one" if dominated == 1 else "weight_dominated"
        parts.append(word(key, lang).format(dominated=dominated))
    if p.get("direct"):
        parts.append(word("weight_direct", lang))
    text = word("weight_sep", lang).join(parts)
    return (text[0].upper() + text[1:] + ".") if text else word("weight_none", lang)


def _own(p: Mapping[str, FindingParam], lang: str) -> str:
    """The sentence of an aggregate (``aggregate`` param) or of a first-party component
    (``first_party``), else nothing."""
    if p.get("aggregate"):
        return " " + word(f"aggregate_{p['aggregate']}", lang)
    if p.get("service_node"):
        return " " + word("service_node", lang)
    kind = p.get("first_party")
    if not kind:
        return ""
    fields = {k: p.get(k) for k in ("project_path", "product_namespace")}
    return " " + word(f"first_party_{kind}", lang).format(**fields)


def _percent_of(name: str) -> Callable[[Mapping[str, FindingParam], str], str]:
    def fragment(p: Mapping[str, FindingParam], lang: str) -> str:
        value = p[name]
        if not isinstance(value, float | int):
            raise KeyError(name)
        return percent(value, lang)

    return fragment


_FRAGMENTS: dict[str, Callable[[Mapping[str, FindingParam], str], str]] = {
    "who": _who,
    "controlled": _controlled,
    "weight": _weight,
    "own": _own,
    "kind": lambda p, lang: word(str(p["openness"]), lang),
    "zone": lambda p, lang: word(str(p["zone"]), lang),
    "operator": lambda p, lang: str(p.get("operator") or word("operator_unknown", lang)),
    "service_country": lambda p, lang: f" ({p['service_country']})" if p.get("service_country") else "",
    "where": lambda p, lang: word(f"where_{p['service_jurisdiction']}", lang),
    "countries": lambda p, lang: f" ({p['countries']})" if p.get("countries") else "",
    "pct": _percent_of("share"),
    "coverage": _percent_of("coverage"),
    "threshold": _percent_of("threshold"),
}
"""Template fields computed from the params (the other fields are params as they are)."""


class _Fields(dict[str, str]):
    """What :meth:`str.format_map` reads: a computed fragment, else the param as it is."""

    def __init__(self, params: Mapping[str, FindingParam], lang: str) -> None:
        super().__init__()
        self.params = params
        self.lang = lang

    def __missing__(self, key: str) -> str:
        fragment = _FRAGMENTS.get(key)
        value = fragment(self.params, self.lang) if fragment else str(self.params[key])
        self[key] = value
        return value


def render_message(rule: Rule | str, params: Mapping[str, FindingParam], lang: str = "en") -> str:
    """The message of a finding of ``rule`` in ``lang`` (``en`` or ``fr``; anything else is
    English), from the finding's ``params`` (``variant`` picks the message form).

    Raises KeyError when the rule is unknown or a param the template needs is missing (a caller
    holding an English message then falls back to it).
    """
    r = RULES_BY_ID[rule] if isinstance(rule, str) else rule
    template = r.message(str(params.get("variant") or "")).template(lang)
    return template.format_map(_Fields(params, _lang(lang)))
