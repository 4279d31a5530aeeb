"""French and English messages of the human-readable reports (terminal, Markdown, HTML).

Machine formats (JSON, SARIF, CycloneDX) are not translated: their text comes from the analysis.
:func:`message` looks a key up and formats it; an unknown key is a programming error (KeyError),
a missing French text falls back to English.

>>> message("fr", "verdict_pass")
'RÉUSSI'
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("en", "fr")
DEFAULT_LANG = "en"

_CATALOGUE: dict[str, dict[str, str]] = {
    "title": {"en": "Sovereignty audit", "fr": "Audit de souveraineté"},
    "verdict_pass": {"en": "PASS", "fr": "RÉUSSI"},
    "verdict_fail": {
        "en": "FAIL: {count} finding(s) at or above {level}",
        "fr": "ÉCHEC : {count} constat(s) de gravité {level} ou plus",
    },
    "verdict_pass_detail": {
        "en": "PASS: no finding at or above {level}",
        "fr": "RÉUSSI : aucun constat de gravité {level} ou plus",
    },
    "verdict_report_only": {
        "en": "REPORT: {count} finding(s), no failure threshold set",
        "fr": "RAPPORT : {count} constat(s), aucun seuil d'échec défini",
    },
    "score": {"en": "Sovereignty score", "fr": "Score de souveraineté"},
    "score_unknown": {"en": "unknown", "fr": "inconnu"},
    "sbom": {"en": "SBOM", "fr": "SBOM"},
    "components": {"en": "Components", "fr": "Composants"},
    "dependencies": {"en": "Dependencies", "fr": "Dépendances"},
    "flat_warning": {
        "en": "The SBOM holds no dependency data: reach and exposure are unknown.",
        "fr": "Le SBOM ne contient aucune donnée de dépendance : portée et exposition inconnues.",
    },
    "policy": {"en": "Policy", "fr": "Politique"},
    "home": {"en": "home", "fr": "rattachement"},
    "trusted": {"en": "trusted", "fr": "de confiance"},
    "fail_on": {"en": "fails on", "fr": "échec dès la gravité"},
    "none": {"en": "none", "fr": "aucun"},
    "exposure_country": {"en": "Exposure by country", "fr": "Exposition par pays"},
    "exposure_vendor": {"en": "Exposure by vendor", "fr": "Exposition par fournisseur"},
    "no_country_exposure": {
        "en": "no component is controlled from a known country",
        "fr": "aucun composant n'est contrôlé depuis un pays connu",
    },
    "no_vendor_exposure": {
        "en": "no component has a known controller",
        "fr": "aucun composant n'a de contrôleur connu",
    },
    "exposure_note": {
        "en": "Share of the product that breaks if that country or vendor withdraws.",
        "fr": "Part du produit qui casse si ce pays ou ce fournisseur se retire.",
    },
    "choke_points": {"en": "Top choke points", "fr": "Principaux points d'étranglement"},
    "findings": {"en": "Findings", "fr": "Constats"},
    "new_findings": {"en": "New findings", "fr": "Nouveaux constats"},
    "resolved": {"en": "Resolved findings", "fr": "Constats résolus"},
    "waived": {"en": "Waived findings", "fr": "Constats dérogés"},
    "waived_reason": {"en": "waived: {reason}", "fr": "dérogation : {reason}"},
    "no_findings": {"en": "No findings.", "fr": "Aucun constat."},
    "no_choke_points": {
        "en": "No single component is a choke point (see the findings about the whole SBOM).",
        "fr": (
            "Aucun composant n'est à lui seul un point d'étranglement "
            "(voir les constats sur l'ensemble du SBOM)."
        ),
    },
    "no_choke_points_info": {
        "en": "No single component is a choke point; the findings about components are for information.",
        "fr": (
            "Aucun composant n'est à lui seul un point d'étranglement ; les constats sur des composants "
            "sont donnés pour information."
        ),
    },
    "sbom_findings": {"en": "About the whole SBOM", "fr": "Sur l'ensemble du SBOM"},
    "why": {"en": "Why", "fr": "Pourquoi"},
    "evidence": {"en": "Evidence", "fr": "Éléments de preuve"},
    "todo": {"en": "What to do", "fr": "Que faire"},
    "severity": {"en": "Severity", "fr": "Gravité"},
    "rule": {"en": "Rule", "fr": "Règle"},
    "component": {"en": "Component", "fr": "Composant"},
    "share": {"en": "Share", "fr": "Part"},
    # the share column of a direct dependency nothing else depends on (see _view.finding_share)
    "share_direct": {"en": "direct", "fr": "directe"},
    "name": {"en": "Name", "fr": "Nom"},
    "version": {"en": "Version", "fr": "Version"},
    "license": {"en": "Licence", "fr": "Licence"},
    "openness": {"en": "Openness", "fr": "Ouverture"},
    "controller": {"en": "Controller", "fr": "Contrôleur"},
    "country": {"en": "Country", "fr": "Pays"},
    "jurisdiction": {"en": "Jurisdiction", "fr": "Juridiction"},
    "service": {"en": "Service", "fr": "Service"},
    "reach": {"en": "Reach", "fr": "Portée"},
    "confidence": {"en": "Confidence", "fr": "Confiance"},
    "unknown": {"en": "unknown", "fr": "inconnu"},
    "licence_unknown": {"en": "unknown", "fr": "inconnue"},
    "percent_sign": {"en": "%", "fr": "\u00a0%"},  # 37% / 37 % (the HTML table's script)
    "sbom_wide": {"en": "whole SBOM", "fr": "SBOM entier"},
    "root": {"en": "root", "fr": "racine"},
    "inventory": {"en": "Inventory: ", "fr": "Inventaire : "},
    "depth": {"en": "depth", "fr": "profondeur"},
    "synthetic_root": {"en": "none named (synthetic)", "fr": "aucune nommée (synthétique)"},
    "more_skipped": {
        "en": "… and {count} more skipped entries (all are listed in the JSON report).",
        "fr": "… et {count} autre(s) entrée(s) ignorée(s) (toutes figurent dans le rapport JSON).",
    },
    "more_findings": {"en": "… and {count} more finding(s).", "fr": "… et {count} autre(s) constat(s)."},
    "alike": {"en": "Same for: {names}", "fr": "De même pour\u00a0: {names}"},
    "alike_more": {"en": "{names} and {count} more", "fr": "{names} et {count} autre(s)"},
    "truncated": {
        "en": "Report truncated to fit the comment size limit; see the full report artifact.",
        "fr": "Rapport tronqué pour tenir dans la limite de taille du commentaire ; voir le rapport complet.",
    },
    "warnings": {"en": "Warnings", "fr": "Avertissements"},
    "skipped": {"en": "Skipped SBOM entries", "fr": "Entrées du SBOM ignorées"},
    "component_table": {"en": "All components", "fr": "Tous les composants"},
    "search": {"en": "Filter components…", "fr": "Filtrer les composants…"},
    "only_at_risk": {"en": "Only components with findings", "fr": "Seulement les composants avec constats"},
    "graph": {
        "en": "Dependency graph of the at-risk part",
        "fr": "Graphe des dépendances de la partie à risque",
    },
    "graph_note": {
        "en": "Components with findings (coloured by severity) and their paths to the root; "
        "at most {cap} nodes.",
        "fr": "Composants avec constats (couleur selon la gravité) et leurs chemins vers la racine ; "
        "{cap} nœuds au plus.",
    },
    "generated": {"en": "Generated by souverain {version}", "fr": "Généré par souverain {version}"},
    "generated_at": {"en": "on {date}", "fr": "le {date}"},
    "no_script": {
        "en": "The table filter and the graph need JavaScript; the tables above hold every value.",
        "fr": "Le filtre du tableau et le graphe demandent JavaScript ; les tableaux ci-dessus contiennent "
        "toutes les valeurs.",
    },
    "rows_shown": {
        "en": "{shown} of {total} components shown",
        "fr": "{shown} composants affichés sur {total}",
    },
    "openness_open": {"en": "open", "fr": "libre"},
    "openness_source-available": {"en": "source-available", "fr": "source disponible"},
    "openness_proprietary": {"en": "proprietary", "fr": "propriétaire"},
    "openness_unknown": {"en": "unknown", "fr": "inconnue"},
    "jurisdiction_home": {"en": "home", "fr": "rattachement"},
    "jurisdiction_trusted": {"en": "trusted", "fr": "de confiance"},
    "jurisdiction_foreign": {"en": "foreign", "fr": "étrangère"},
    "jurisdiction_unknown": {"en": "unknown", "fr": "inconnue"},
    "sev_critical": {"en": "critical", "fr": "critique"},
    "sev_high": {"en": "high", "fr": "élevée"},
    "sev_medium": {"en": "medium", "fr": "moyenne"},
    "sev_low": {"en": "low", "fr": "faible"},
    "sev_info": {"en": "info", "fr": "info"},
}


def message(lang: str, key: str, **params: object) -> str:
    """The message ``key`` in ``lang`` (``en`` or ``fr``), formatted with ``params``.

    Raises KeyError for an unknown key; an unknown language falls back to English.
    """
    texts = _CATALOGUE[key]
    text = texts.get(lang) or texts[DEFAULT_LANG]
    return text.format(**params) if params else text


def heading(lang: str, key: str) -> str:
    """``message(lang, key)`` followed by a colon as each language writes it (``Why: ``,
    ``Pourquoi : `` with a no-break space in French)."""
    return message(lang, key) + ("\u00a0: " if normalise_lang(lang) == "fr" else ": ")


def keys() -> frozenset[str]:
    """Every message key of the catalogue (for tests)."""
    return frozenset(_CATALOGUE)


def translations(lang: str) -> dict[str, str]:
    """The whole catalogue in one language (what the HTML page's script receives)."""
    return {k: (v.get(lang) or v[DEFAULT_LANG]) for k, v in _CATALOGUE.items()}


def normalise_lang(lang: str | None) -> str:
    """``fr``/``fr_FR.UTF-8``/``FR`` → ``fr``; anything not supported → ``en``."""
    if not lang:
        return DEFAULT_LANG
    code = lang.strip().lower().replace("-", "_").split(".")[0].split("@")[0].split("_")[0]
    return code if code in LANGS else DEFAULT_LANG


def default_lang(env: Mapping[str, str]) -> str:
    """The report language from the locale: the first non-empty of ``LC_ALL``, ``LC_MESSAGES``
    and ``LANG`` (the POSIX precedence), ``fr`` when it is French, else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return normalise_lang(value)
    return DEFAULT_LANG
