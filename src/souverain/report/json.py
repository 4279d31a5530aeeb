"""The JSON report, version 1: the public contract of /docs/json-schema/report-v1.schema.json.

Keys are sorted, so two runs on the same input in reproducible mode give identical bytes. Unknown
values are ``null`` with confidence ``low`` and evidence saying what was missing. Sample::

    {
      "components": [{"controller": {"confidence": "high", "country": "US", "evidence": ["…"],
                      "kind": "company", "name": "Oracle America, Inc.", "ultimate": "Oracle Corporation"},
                      "jurisdiction": "foreign", "license": {"openness": "proprietary", …},
                      "ref": "ojdbc", "reach": 3, "share": 0.2, …}],
      "findings": [{"fingerprint": "f1a2…", "rule": "SOV001", "severity": "critical", …}],
      "schema_version": "1",
      …
    }
"""

from __future__ import annotations

import gc
from typing import Any, TextIO

import orjson

from souverain.model import (
    Assessment,
    Attribution,
    AuditResult,
    Component,
    ComponentMetrics,
    Evidence,
    Finding,
    Policy,
    Summary,
)
from souverain.report.base import RenderOptions

SCHEMA_VERSION = "1"
TOOL_NAME = "souverain"

_NO_LICENSE = "no licence information was found"
_NO_CONTROLLER = "no controlling organisation could be identified"


def _evidence(items: tuple[Evidence, ...], missing: str) -> list[str]:
    if not items:
        return [missing]
    return [e.detail for e in items]


_UNKNOWN_LICENSE: dict[str, Any] = {
    "declared": [],
    "expression": None,
    "openness": "unknown",
    "category": None,
    "chosen": None,
    "unresolved": [],
}
_UNKNOWN_CONTROLLER: dict[str, Any] = {
    "name": None,
    "kind": "unknown",
    "country": None,
    "ultimate": None,
    "chain": [],
}


def _license_value(v: Any) -> dict[str, Any]:
    """The part of a ``license`` block that depends on the verdict only."""
    if v is None:
        return _UNKNOWN_LICENSE
    return {
        "declared": list(v.declared),
        "expression": v.expression,
        "openness": v.openness,
        "category": v.category,
        "chosen": v.chosen,
        "unresolved": list(v.unresolved),
    }


def _controller_value(v: Any) -> dict[str, Any]:
    """The part of a ``controller`` block that depends on the controller only."""
    if v is None:
        return _UNKNOWN_CONTROLLER
    return {
        "name": v.name,
        "kind": v.kind,
        "country": v.country,
        "ultimate": v.ultimate,
        "chain": list(v.chain),
    }


def _attributed(value_part: dict[str, Any], a: Attribution[Any] | None, missing: str) -> dict[str, Any]:
    """A ``license`` or ``controller`` block: the value's part (shared) + this attribution's."""
    block = value_part.copy()
    ev = a.evidence if a is not None else ()
    block["confidence"] = a.confidence if a is not None and a.value is not None else "low"
    block["evidence"] = _evidence(ev, missing)
    block["evidence_items"] = [{"detail": x.detail, "location": x.location, "source": x.source} for x in ev]
    return block


def _service(a: Attribution[Any] | None) -> dict[str, Any] | None:
    if a is None or a.value is None:
        return None
    v = a.value
    return {
        "name": v.name,
        "operator": v.operator,
        "country": v.country,
        "qualifications": list(v.qualifications),
        "confidence": a.confidence,
        "evidence": _evidence(a.evidence, "no evidence recorded"),
    }


def _conflict(a: Attribution[Any]) -> dict[str, Any]:
    value = a.value
    shown = getattr(value, "name", None) or getattr(value, "expression", None) or str(value)
    return {
        "aspect": a.aspect,
        "source": a.source,
        "value": shown,
        "confidence": a.confidence,
        "evidence": [e.detail for e in a.evidence],
    }


_NO_METRICS: dict[str, Any] = {
    "depth": None,
    "direct": False,
    "reach": None,
    "share": None,
    "dominated": None,
}


def _metrics(m: ComponentMetrics | None) -> dict[str, Any]:
    if m is None:
        return _NO_METRICS
    return {
        "depth": m.depth,
        "direct": m.direct,
        "reach": m.reach,
        "share": m.share,
        "dominated": m.dominated,
    }


class _Entries:
    """Builds ``components[]`` entries, sharing the parts that depend only on an immutable value
    (a licence verdict, a controller, a metrics record, a service binding: many components
    share each of them) instead of rebuilding them for every component.

    Shared parts are only ever serialised: the document returned by :func:`to_document` is to
    be read, not modified in place.
    """

    def __init__(self) -> None:
        self._parts: dict[tuple[str, int], Any] = {}
        self._keep: list[object] = []  # keeps every memoised object alive: ids stay unique

    def _shared(self, kind: str, obj: Any, build: Any) -> Any:
        key = (kind, id(obj))
        part = self._parts.get(key)
        if part is None:
            part = self._parts[key] = build(obj)
            self._keep.append(obj)
        return part

    def entry(self, c: Component, a: Assessment | None, m: ComponentMetrics | None) -> dict[str, Any]:
        """The ``components[]`` entry of one component."""
        shared = self._shared
        e: dict[str, Any] = {
            "ref": c.ref,
            "name": c.name,
            "version": c.version,
            "group": c.group,
            "purl": c.purl,
            "ecosystem": c.ecosystem,
            "type": c.type,
            "kind": c.kind,
            "line": c.line,
        }
        e.update(shared("metrics", m, _metrics))
        if a is None:
            e["license"] = _attributed(_UNKNOWN_LICENSE, None, _NO_LICENSE)
            e["controller"] = _attributed(_UNKNOWN_CONTROLLER, None, _NO_CONTROLLER)
            e["jurisdiction"] = "unknown"
            e["regimes"] = []
            e["service"] = None
            e["conflicts"] = []
            return e
        lic = a.license
        ctl = a.controller
        e["license"] = _attributed(shared("license", lic.value, _license_value), lic, _NO_LICENSE)
        e["controller"] = _attributed(shared("controller", ctl.value, _controller_value), ctl, _NO_CONTROLLER)
        e["jurisdiction"] = a.jurisdiction
        e["regimes"] = list(a.regimes)
        service = a.service
        e["service"] = None if service is None else shared("service", service, _service)
        e["conflicts"] = [_conflict(x) for x in a.conflicts] if a.conflicts else []
        return e


def finding_entry(f: Finding) -> dict[str, Any]:
    """The ``findings[]`` (or ``resolved[]``) entry of one finding."""
    return {
        "fingerprint": f.fingerprint,
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity,
        "component": f.component,
        "share": f.share,
        "message": f.message,
        "evidence": list(f.evidence),
        "recommendation": f.recommendation,
        "waived": f.waived,
        "status": f.status,
        "params": dict(f.params),  # what the message is rendered from: reports in other languages
    }


def _policy(p: Policy) -> dict[str, Any]:
    return {
        # the contract shows one home ("FR"); a policy may name several (e.g. "FR", "BE")
        "home": p.home[0] if len(p.home) == 1 else list(p.home),
        "trusted": list(p.trusted),
        "fail_on": p.fail_on.value if p.fail_on is not None else None,
        "thresholds": dict(p.thresholds),
        "waivers": [
            {"purl": w.purl, "rule": w.rule, "reason": w.reason, "expires": w.expires} for w in p.waivers
        ],
        "source": p.source,
    }


def _summary(s: Summary) -> dict[str, Any]:
    return {
        "components": s.components,
        "dependencies": s.dependencies,
        "root": s.root,
        "flat": s.flat,
        "skipped": [{"location": k.location, "reason": k.reason} for k in s.skipped],
        "openness": dict(s.openness),
        "exposure": {
            "by_country": dict(s.exposure_by_country),
            "by_controller": dict(s.exposure_by_controller),
            "groups": dict(s.exposure_groups),
        },
        "concentration": dict(s.concentration),
        "score": s.score,
        "depth": s.depth,
        "direct": s.direct,
        "confidence": dict(s.confidence),
        "graph_issues": dict(s.graph_issues),
    }


def to_document(result: AuditResult, options: RenderOptions | None = None) -> dict[str, Any]:
    """The JSON report as plain dicts and lists (reusable, e.g. for baseline files).

    ``generated_at`` is null when ``options.reproducible`` is set or the result carries none.
    Linear in components + findings.
    """
    reproducible = options.reproducible if options is not None else False
    sbom = result.sbom
    assessments = result.assessments
    metrics = result.metrics
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small dicts: the cyclic GC only costs time here
    try:
        entry = _Entries().entry
        components = [entry(c, assessments.get(c.ref), metrics.get(c.ref)) for c in result.components]
    finally:
        if gc_was_enabled:
            gc.enable()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "source": {
            "path": sbom.path,
            "format": sbom.format.value,
            "spec_version": sbom.spec_version,
            "sha256": sbom.sha256,
            "name": sbom.name,
            "serial_number": sbom.serial_number,
        },
        "policy": _policy(result.policy),
        "summary": _summary(result.summary),
        "components": components,
        "findings": [finding_entry(f) for f in result.findings],
        "resolved": [finding_entry(f) for f in result.resolved],
        "warnings": list(result.warnings),
        "generated_at": None if reproducible else result.generated_at,
    }


def dumps(document: dict[str, Any]) -> bytes:
    """Serialise a report document: sorted keys, two-space indent, trailing newline."""
    return orjson.dumps(
        document, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    )


class JsonReporter:
    """``--format json``: the versioned JSON document."""

    name = "json"
    suffix = "json"

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the JSON report to ``out``."""
        out.write(self.render_bytes(result, options).decode("utf-8"))

    def render_bytes(self, result: AuditResult, options: RenderOptions) -> bytes:
        """The JSON report as UTF-8 bytes (what ``write_reports`` writes: no text round trip)."""
        return dumps(to_document(result, options))


REPORTER = JsonReporter()
