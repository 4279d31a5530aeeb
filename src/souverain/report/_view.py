"""Presentational helpers shared by the human-readable reporters (not a reporter itself).

Only small derivations from an :class:`~souverain.model.AuditResult`: the verdict (counting the
findings the analysis produced against the policy's ``fail_on``), sorting, top-N and cleaning of
SBOM-derived text, and the texts of a finding in the report's language. Nothing here decides what
is a finding.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from souverain.analyse.rules import RULES_BY_ID, render_message
from souverain.model import AuditResult, Component, Finding
from souverain.report.i18n import message, normalise_lang

# C0/C1 controls (but not tab/newline handled by callers), DEL, and bidirectional overrides
# that can make a name read differently from what it is (Trojan Source).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"[\t\n\r]+")


def clean(text: object) -> str:
    """SBOM-derived text made safe to print: control and bidi characters removed, line breaks and
    tabs folded into one space."""
    return _CONTROL.sub("", _WHITESPACE.sub(" ", str(text)))


def pct(share: float | None, lang: str = "en") -> str:
    """``0.3712`` → ``37%`` (``<1%`` for small non-zero shares, ``>99%`` for large ones short of
    all); None → ``—``. In French a no-break space precedes the sign (``37 %``)."""
    if share is None:
        return "—"
    sign = "\u00a0%" if normalise_lang(lang) == "fr" else "%"
    text = f"{share * 100:.0f}"
    # a share that is not nothing never reads 0 % (0.005 rounds to even: "0"), nor a share
    # that is not all 100 %
    if share > 0 and text == "0":
        return "<1" + sign
    if share < 1 and text == "100":
        return ">99" + sign
    return text + sign


def finding_share(f: Finding, lang: str = "en") -> str:
    """The weight shown beside a finding: its share (:func:`pct`), or ``direct`` for a direct
    dependency of the product that no other component depends on. Its share is 0 (only the
    product uses it), yet the risk model weighs it as a direct dependency: "0%" would read as
    "does not matter"."""
    if f.share is not None and f.params.get("direct") is True and f.params.get("reach") == 0:
        return message(lang, "share_direct")
    return pct(f.share, lang)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The run's outcome under the policy: ``failed`` and the findings that make it fail."""

    failed: bool
    failing: tuple[Finding, ...]
    text: str


def active(result: AuditResult) -> tuple[Finding, ...]:
    """Findings that are not waived, in the analysis order (most severe first)."""
    return tuple(f for f in result.findings if f.waived is None)


def waived(result: AuditResult) -> tuple[Finding, ...]:
    """Findings waived by the policy."""
    return tuple(f for f in result.findings if f.waived is not None)


def verdict(result: AuditResult, lang: str) -> Verdict:
    """PASS/FAIL line: the non-waived findings at or above the policy's ``fail_on``."""
    fail_on = result.policy.fail_on
    if fail_on is None:
        count = len(active(result))
        return Verdict(False, (), message(lang, "verdict_report_only", count=count))
    level = message(lang, f"sev_{fail_on.value}")
    failing = tuple(f for f in active(result) if f.severity.rank >= fail_on.rank)
    if failing:
        return Verdict(True, failing, message(lang, "verdict_fail", count=len(failing), level=level))
    return Verdict(False, (), message(lang, "verdict_pass_detail", level=level))


def top_choke_points(result: AuditResult, limit: int) -> tuple[Finding, ...]:
    """The first ``limit`` choke points: non-waived findings about one component above
    ``info`` (the analysis orders them most severe first; ties keep that order), one per risk —
    the findings :func:`alike_key` groups (the packages of one SDK bound to one service, the
    components of one vendor) are shown under the first of them (:func:`top_choke_point_groups`).
    Info findings about a component (an aggregate, one of the product's own modules…) are no
    choke points: they count among the "more findings"."""
    return tuple(head for head, _ in top_choke_point_groups(result, limit))


def alike_key(f: Finding, comps: Mapping[str, Component] | None = None) -> tuple[object, ...] | None:
    """What makes findings one risk for a reader: the same rule about the same party — the
    same service and operator (SOV003), the same controller and country (SOV001, SOV002,
    SOV004) — or one question to ask: who publishes the packages of one namespace (SOV006 on
    components of the same ecosystem and purl namespace, a Maven group or an npm scope, when
    ``comps``, the components by ref, is given), or which licences one known publisher's
    packages of one namespace carry (SOV005: a distribution's packages whose SBOM says
    NOASSERTION, a Maven group). None for the others: an unknown licence of a component whose
    controller is unknown or has no namespace, or an unknown controller outside a namespace, is
    a question per component."""
    p = f.params
    if f.rule == "SOV003":
        return (f.rule, p.get("service"), p.get("operator"), p.get("service_country"))
    if f.rule in ("SOV001", "SOV002", "SOV004") and p.get("controller"):
        return (f.rule, p.get("controller"), p.get("country"))
    if f.rule in ("SOV005", "SOV006") and comps is not None and f.component is not None:
        c = comps.get(f.component)
        if c is not None and c.namespace and c.ecosystem:
            if f.rule == "SOV006":
                return (f.rule, c.ecosystem, c.namespace)
            if p.get("controller"):
                return (f.rule, c.ecosystem, c.namespace, p.get("controller"))
    return None


def top_choke_point_groups(
    result: AuditResult, limit: int, comps: Mapping[str, Component] | None = None
) -> tuple[tuple[Finding, tuple[Finding, ...]], ...]:
    """The first ``limit`` choke points (see :func:`top_choke_points`), each with the later
    findings alike to it (:func:`alike_key`), in order (``comps``: :func:`by_ref` of the
    result, when the reporter already holds it)."""
    groups: dict[object, tuple[Finding, list[Finding]]] = {}
    if comps is None:
        comps = by_ref(result)
    for f in active(result):
        if f.component is None or f.severity.rank == 0:
            continue
        key = alike_key(f, comps)
        group = groups.get(key) if key is not None else None
        if group is not None:
            group[1].append(f)
        elif len(groups) < limit:
            groups[key if key is not None else f.fingerprint] = (f, [])
    return tuple((head, tuple(alike)) for head, alike in groups.values())


def alike_names(comps: Mapping[str, Component], alike: Sequence[Finding], lang: str, shown: int = 4) -> str:
    """The line that names the findings alike to a choke point: "Same for: a, b, c and 3 more"
    (``comps``: :func:`by_ref` of the result, which the reporter already holds)."""
    names = [label(comps.get(f.component or ""), f.component) for f in alike[:shown]]
    text = ", ".join(names)
    if len(alike) > shown:
        text = message(lang, "alike_more", names=text, count=len(alike) - shown)
    return message(lang, "alike", names=text)


def sbom_wide(result: AuditResult) -> tuple[Finding, ...]:
    """The non-waived findings about the SBOM as a whole (no single component), in order."""
    return tuple(f for f in active(result) if f.component is None)


def no_choke_point_message(result: AuditResult) -> str:
    """What the choke-point section says when it is empty: no findings at all, or only findings
    about the whole SBOM (which other sections list)."""
    found = active(result)
    if not found:
        return "no_findings"
    return "no_choke_points" if any(f.component is None for f in found) else "no_choke_points_info"


def top_items(values: Mapping[str, float], limit: int) -> list[tuple[str, float]]:
    """The ``limit`` largest entries, largest first, ties by key (deterministic)."""
    return sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def by_ref(result: AuditResult) -> dict[str, Component]:
    """Components by ref, the root included when the SBOM names one."""
    comps = {c.ref: c for c in result.components}
    root = result.sbom.root
    if root is not None:
        comps.setdefault(root.ref, root)
    return comps


#: Ecosystems whose package is known by its namespace and name together (npm's ``@scope/name``,
#: Composer's ``vendor/name``): a label shows both, as the package manager does.
_NAMESPACED = frozenset({"npm", "composer"})


def label(component: Component | None, ref: str | None) -> str:
    """``name@version`` of a component (``@scope/name@version`` for a scoped npm package,
    ``vendor/name@version`` for Composer, whether the SBOM writes the scope in the name or in
    the group), or its ref when it is not in the result, cleaned."""
    if component is None:
        return clean(ref) if ref else ""
    name = component.name
    ns = component.namespace
    if ns and component.ecosystem in _NAMESPACED and not name.startswith(f"{ns}/"):
        name = f"{ns}/{name}"
    if component.version:
        return clean(f"{name}@{component.version}")
    return clean(name)


def new_findings(result: AuditResult) -> tuple[Finding, ...]:
    """With a baseline: the non-waived findings marked ``new`` or ``worsened``."""
    return tuple(f for f in active(result) if f.status in ("new", "worsened"))


def has_baseline(result: AuditResult) -> bool:
    """True when the analysis compared against a baseline (some status set or resolved findings)."""
    return bool(result.resolved) or any(f.status is not None for f in result.findings)


# ------------------------------------------------------------------------------------------------
# A finding's texts in the report's language
# ------------------------------------------------------------------------------------------------
# A finding holds its English texts (the JSON contract). The rule catalogue holds each rule's
# title and recommendation in every language and renders the message from the finding's params.
# A title or recommendation that is not the catalogue's (a finding read back from an older
# report, a custom text) and a message without params are shown as they are, in English.


def finding_title(f: Finding, lang: str) -> str:
    """The finding's title in ``lang``: the rule's translated title when the finding carries the
    catalogue's English title, else its own."""
    rule = RULES_BY_ID.get(f.rule)
    if rule is None or normalise_lang(lang) == "en" or f.title != rule.title:
        return f.title
    return rule.text("title", lang)


def finding_recommendation(f: Finding, lang: str) -> str:
    """The finding's recommendation in ``lang`` (same rule as :func:`finding_title`)."""
    rule = RULES_BY_ID.get(f.rule)
    if rule is None or normalise_lang(lang) == "en" or f.recommendation != rule.recommendation:
        return f.recommendation
    return rule.text("recommendation", lang)


def finding_message(f: Finding, lang: str) -> str:
    """The finding's message in ``lang``, rendered from its params with the rule's template; its
    English ``message`` when it has no params (e.g. read back from a baseline) or they do not fit
    the template."""
    rule = RULES_BY_ID.get(f.rule)
    if rule is None or not f.params or normalise_lang(lang) == "en":
        return f.message
    try:
        return render_message(rule, f.params, normalise_lang(lang))
    except (KeyError, ValueError, IndexError, TypeError):
        return f.message
