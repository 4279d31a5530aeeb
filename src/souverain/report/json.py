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
from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
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


def _items(ev: tuple[Evidence, ...]) -> list[dict[str, str]]:
    """``evidence_items``: every piece of evidence with its source and location."""
    return [{"detail": x.detail, "location": x.location, "source": x.source} for x in ev]


# The value parts below hold the attribution's keys too (None until ``_attributed`` sets them):
# a copy then has every key in place, in sorted order (the report is serialised without
# OPT_SORT_KEYS, see to_document), and setting them does not grow the copy.
_UNKNOWN_LICENSE: dict[str, Any] = {
    "category": None,
    "chosen": None,
    "confidence": None,
    "declared": [],
    "evidence": None,
    "evidence_items": None,
    "expression": None,
    "openness": "unknown",
    "unresolved": [],
}
_UNKNOWN_CONTROLLER: dict[str, Any] = {
    "chain": [],
    "confidence": None,
    "country": None,
    "evidence": None,
    "evidence_items": None,
    "kind": "unknown",
    "name": None,
    "ultimate": None,
}


def _license_value(v: Any) -> dict[str, Any]:
    """The part of a ``license`` block that depends on the verdict only."""
    if v is None:
        return _UNKNOWN_LICENSE
    return {
        "category": v.category,
        "chosen": v.chosen,
        "confidence": None,
        "declared": list(v.declared),
        "evidence": None,
        "evidence_items": None,
        "expression": v.expression,
        "openness": v.openness,
        "unresolved": list(v.unresolved),
    }


def _controller_value(v: Any) -> dict[str, Any]:
    """The part of a ``controller`` block that depends on the controller only."""
    if v is None:
        return _UNKNOWN_CONTROLLER
    return {
        "chain": list(v.chain),
        "confidence": None,
        "country": v.country,
        "evidence": None,
        "evidence_items": None,
        "kind": v.kind,
        "name": v.name,
        "ultimate": v.ultimate,
    }


def _attributed(value_part: dict[str, Any], a: Attribution[Any] | None, missing: str) -> dict[str, Any]:
    """A ``license`` or ``controller`` block: the value's part (shared) + this attribution's."""
    block = value_part.copy()
    if a is None:
        block["confidence"] = "low"
        block["evidence"] = [missing]
        block["evidence_items"] = []
        return block
    ev = a.evidence
    block["confidence"] = a.confidence if a.value is not None else "low"
    if len(ev) == 1:  # most attributions: one piece of evidence
        x = ev[0]
        block["evidence"] = [x.detail]
        block["evidence_items"] = [{"detail": x.detail, "location": x.location, "source": x.source}]
    else:
        block["evidence"] = _evidence(ev, missing)
        block["evidence_items"] = _items(ev)
    return block


def _service(a: Attribution[Any] | None) -> dict[str, Any] | None:
    if a is None or a.value is None:
        return None
    v = a.value
    return {
        "confidence": a.confidence,
        "country": v.country,
        "evidence": _evidence(a.evidence, "no evidence recorded"),
        "name": v.name,
        "operator": v.operator,
        "qualifications": list(v.qualifications),
    }


def _conflict(a: Attribution[Any]) -> dict[str, Any]:
    value = a.value
    shown = getattr(value, "name", None) or getattr(value, "expression", None) or str(value)
    return {
        "aspect": a.aspect,
        "confidence": a.confidence,
        "evidence": [e.detail for e in a.evidence],
        "source": a.source,
        "value": shown,
    }


_NO_METRICS = ComponentMetrics(reach=None, share=None, dominated=None, depth=None, direct=False)
"""What an entry shows for a component without metrics (all null, not direct)."""


_ENTRY: dict[str, Any] = dict.fromkeys(
    (
        "conflicts",
        "controller",
        "depth",
        "direct",
        "dominated",
        "ecosystem",
        "group",
        "jurisdiction",
        "kind",
        "license",
        "line",
        "name",
        "purl",
        "reach",
        "ref",
        "regimes",
        "service",
        "share",
        "type",
        "version",
    )
)
"""The keys of a ``components[]`` entry, in sorted order (the templates are copies of it)."""

_NO_CONFLICTS: list[dict[str, Any]] = []  # shared by every entry without conflicts (read-only)


class _Entries:
    """Builds ``components[]`` entries, sharing what depends only on an immutable object that
    many components share instead of rebuilding it for every component: the value part of a
    ``license`` block (per licence verdict), a whole ``controller`` block (per controller
    attribution: the controller enricher memoises them, about a third of the components share
    one at 100k), a ``service`` block (per service attribution), a ``regimes`` list (per tuple),
    and an entry template holding the metrics (per metrics record).

    Shared parts are only ever serialised: the document returned by :func:`to_document` is to
    be read, not modified in place.
    """

    def __init__(self) -> None:
        # keyed by id(): the objects are frozen and hashing them would run their Python __hash__
        self._templates: dict[int, dict[str, Any]] = {}
        self._license_parts: dict[int, dict[str, Any]] = {}
        self._controller_parts: dict[int, dict[str, Any]] = {}
        self._controllers: dict[int, dict[str, Any]] = {}
        self._services: dict[int, dict[str, Any] | None] = {}
        self._regimes: dict[int, list[str]] = {}
        self._keep: list[object] = []  # keeps every memoised object alive: ids stay unique

    def _template(self, m: ComponentMetrics | None) -> dict[str, Any]:
        """An entry with every key in place (sorted), the metrics set, no conflicts, no service."""
        t = _ENTRY.copy()
        r = _NO_METRICS if m is None else m
        t["conflicts"] = _NO_CONFLICTS
        t["depth"] = r.depth
        t["direct"] = r.direct
        t["dominated"] = r.dominated
        t["reach"] = r.reach
        t["share"] = r.share
        self._templates[id(m)] = t
        self._keep.append(m)
        return t

    def _license_part(self, v: Any) -> dict[str, Any]:
        part = self._license_parts[id(v)] = _license_value(v)
        self._keep.append(v)
        return part

    def _controller(self, ctl: Attribution[Any]) -> dict[str, Any]:
        v = ctl.value
        part = self._controller_parts.get(id(v))
        if part is None:
            part = self._controller_parts[id(v)] = _controller_value(v)
            self._keep.append(v)
        block = self._controllers[id(ctl)] = _attributed(part, ctl, _NO_CONTROLLER)
        self._keep.append(ctl)
        return block

    def _service(self, s: Attribution[Any]) -> dict[str, Any] | None:
        block = self._services[id(s)] = _service(s)
        self._keep.append(s)
        return block

    def _regime_list(self, r: tuple[str, ...]) -> list[str]:
        regimes = self._regimes[id(r)] = list(r)
        self._keep.append(r)
        return regimes

    def entry(self, c: Component, a: Assessment | None, m: ComponentMetrics | None) -> dict[str, Any]:
        """The ``components[]`` entry of one component.

        A copy of the template for its metrics, then the other values set: CPython builds a
        dict literal of more than 16 items one key at a time, growing it twice, while the copy
        has every key in place (in sorted order). Memoised parts are looked up inline, by id.
        """
        e = self._templates.get(id(m))
        if e is None:
            e = self._template(m)
        e = e.copy()
        e["ecosystem"] = c.ecosystem
        e["group"] = c.group
        e["kind"] = c.kind
        e["line"] = c.line
        e["name"] = c.name
        e["purl"] = c.purl
        e["ref"] = c.ref
        e["type"] = c.type
        e["version"] = c.version
        if a is None:
            return self._unknown(e)
        lic = a.license
        v = lic.value
        part = self._license_parts.get(id(v))
        if part is None:
            part = self._license_part(v)
        e["license"] = _attributed(part, lic, _NO_LICENSE)
        ctl = a.controller
        controller = self._controllers.get(id(ctl))
        e["controller"] = self._controller(ctl) if controller is None else controller
        e["jurisdiction"] = a.jurisdiction
        r = a.regimes
        regimes = self._regimes.get(id(r))
        e["regimes"] = self._regime_list(r) if regimes is None else regimes
        service = a.service
        if service is not None:
            s = self._services.get(id(service), _MISSING)
            e["service"] = self._service(service) if s is _MISSING else s
        if a.conflicts:
            e["conflicts"] = [_conflict(x) for x in a.conflicts]
        return e

    @staticmethod
    def _unknown(e: dict[str, Any]) -> dict[str, Any]:
        """Completes the entry of a component that has no assessment: every value unknown."""
        e["controller"] = _attributed(_UNKNOWN_CONTROLLER, None, _NO_CONTROLLER)
        e["jurisdiction"] = "unknown"
        e["license"] = _attributed(_UNKNOWN_LICENSE, None, _NO_LICENSE)
        e["regimes"] = []
        return e


_MISSING: Any = object()


def _sorted(m: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a mapping of names to scalars, keys in sorted order (see :func:`to_document`)."""
    return dict(sorted(m.items()))


def finding_entry(f: Finding) -> dict[str, Any]:
    """The ``findings[]`` (or ``resolved[]``) entry of one finding."""
    return {
        "component": f.component,
        "evidence": list(f.evidence),
        "fingerprint": f.fingerprint,
        "message": f.message,
        "params": _sorted(f.params),  # what the message is rendered from: reports in other languages
        "recommendation": f.recommendation,
        "rule": f.rule,
        "severity": f.severity,
        "share": f.share,
        "status": f.status,
        "title": f.title,
        "waived": f.waived,
    }


def _policy(p: Policy) -> dict[str, Any]:
    return {
        "fail_on": p.fail_on.value if p.fail_on is not None else None,
        # the contract shows one home ("FR"); a policy may name several (e.g. "FR", "BE")
        "home": p.home[0] if len(p.home) == 1 else list(p.home),
        "source": p.source,
        "thresholds": _sorted(p.thresholds),
        "trusted": list(p.trusted),
        "waivers": [
            {"expires": w.expires, "purl": w.purl, "reason": w.reason, "rule": w.rule} for w in p.waivers
        ],
    }


def _summary(s: Summary) -> dict[str, Any]:
    return {
        "components": s.components,
        "concentration": _sorted(s.concentration),
        "confidence": _sorted(s.confidence),
        "dependencies": s.dependencies,
        "depth": s.depth,
        "direct": s.direct,
        "exposure": {
            "by_controller": _sorted(s.exposure_by_controller),
            "by_country": _sorted(s.exposure_by_country),
            "groups": _sorted(s.exposure_groups),
        },
        "flat": s.flat,
        "graph_issues": _sorted(s.graph_issues),
        "openness": _sorted(s.openness),
        "root": s.root,
        "score": s.score,
        "skipped": [{"location": k.location, "reason": k.reason} for k in s.skipped],
    }


def to_document(result: AuditResult, options: RenderOptions | None = None) -> dict[str, Any]:
    """The JSON report as plain dicts and lists (reusable, e.g. for baseline files).

    ``generated_at`` is null when ``options.reproducible`` is set or the result carries none.
    Linear in components + findings.

    Every dict is built with its keys in sorted order, so that the report can be serialised
    without orjson's OPT_SORT_KEYS (:func:`_dumps_sorted`, about a sixth of the serialisation's
    work at 100k components) and give the bytes :func:`dumps` gives; a test compares the two.
    """
    entry = _Entries().entry
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small dicts: the cyclic GC only costs time here
    try:
        components = _entries(entry, result, result.components)
    finally:
        if gc_was_enabled:
            gc.enable()
    return {"components": components, **_rest(result, options)}


def _entries(
    entry: Callable[[Component, Assessment | None, ComponentMetrics | None], dict[str, Any]],
    result: AuditResult,
    components: Sequence[Component],
) -> list[dict[str, Any]]:
    """The ``components[]`` entries of some of the result's components."""
    refs = [c.ref for c in components]
    return list(map(entry, components, map(result.assessments.get, refs), map(result.metrics.get, refs)))


def _rest(result: AuditResult, options: RenderOptions | None) -> dict[str, Any]:
    """The document without its ``components`` (the first key), keys in sorted order."""
    reproducible = options.reproducible if options is not None else False
    sbom = result.sbom
    return {
        "findings": [finding_entry(f) for f in result.findings],
        "generated_at": None if reproducible else result.generated_at,
        "policy": _policy(result.policy),
        "resolved": [finding_entry(f) for f in result.resolved],
        "schema_version": SCHEMA_VERSION,
        "source": {
            "format": sbom.format.value,
            "name": sbom.name,
            "path": sbom.path,
            "serial_number": sbom.serial_number,
            "sha256": sbom.sha256,
            "spec_version": sbom.spec_version,
        },
        "summary": _summary(result.summary),
        "tool": {"name": TOOL_NAME, "version": result.tool_version},
        "warnings": list(result.warnings),
    }


_CHUNK = 250
"""Components serialised at a time by :func:`render_bytes` (a few hundred kB of dicts and bytes)."""
_CHUNK_HEAD = b'{\n  "components": ['
_CHUNK_TAIL = b"\n  ]\n}"
"""Around the entries of ``{"components": [...]}`` dumped with OPT_INDENT_2: between them, the
entries are laid out as in the whole document (``components`` is one of its top-level keys)."""
_HOLE = orjson.Fragment(b"\x00")
"""Where the components go in the rest of the document: orjson writes no NUL byte of its own
(it escapes control characters in strings), so the dump has exactly one."""


def _render(result: AuditResult, options: RenderOptions | None) -> bytes:
    """The bytes of ``_dumps_sorted(to_document(result, options))``, the entries built and
    serialised a chunk of components at a time.

    The whole document's dicts take about 150 MB at 100k components; built all at once, every
    page of them is fresh memory (a page fault each) and out of the CPU caches when orjson
    reads them and when they are freed. A chunk's dicts, and its bytes, reuse the memory the
    previous chunk freed. The output goes to a BytesIO, whose getvalue() hands over its buffer
    without a copy. About a quarter of the json stage at 100k components (page faults
    84k -> 57k, the output's 196 MB being 48k of them).
    """
    before, _, after = _dumps_sorted({"components": _HOLE, **_rest(result, options)}).partition(b"\x00")
    components = result.components
    if not components:
        return before + b"[]" + after
    out = BytesIO()
    out.write(before)
    out.write(b"[")
    gc_was_enabled = gc.isenabled()
    gc.disable()  # see to_document
    try:
        laid_out = _write_entries(out, result, components)
    finally:
        if gc_was_enabled:
            gc.enable()
    if not laid_out:  # not the layout expected (another orjson?): the careful path
        return _dumps_sorted(to_document(result, options))
    out.write(b"\n  ]")
    out.write(after)
    return out.getvalue()


def _write_entries(out: BytesIO, result: AuditResult, components: Sequence[Component]) -> bool:
    """Writes the entries of ``components``, separated by commas, as they are laid out in the
    document; False if a chunk's dump is not laid out as expected."""
    entry = _Entries().entry  # one memo for the whole report: shared parts stay shared
    head, tail = len(_CHUNK_HEAD), -len(_CHUNK_TAIL)
    for start in range(0, len(components), _CHUNK):
        if start:
            out.write(b",")
        chunk = {"components": _entries(entry, result, components[start : start + _CHUNK])}
        data = _dumps_chunk(chunk)
        del chunk  # freed before the next chunk is built: its memory is reused
        if not (data.startswith(_CHUNK_HEAD) and data.endswith(_CHUNK_TAIL)):
            return False
        out.write(memoryview(data)[head:tail])
    return True


def _dumps_chunk(chunk: dict[str, Any]) -> bytes:
    """:func:`_dumps_sorted` without the trailing newline."""
    return orjson.dumps(chunk, option=orjson.OPT_INDENT_2)


def dumps(document: dict[str, Any]) -> bytes:
    """Serialise a report document: sorted keys, two-space indent, trailing newline."""
    return orjson.dumps(
        document, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    )


def _dumps_sorted(document: dict[str, Any]) -> bytes:
    """:func:`dumps` for a document whose dicts already have their keys in sorted order (what
    :func:`to_document` builds): the same bytes without orjson sorting every dict again."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


class JsonReporter:
    """``--format json``: the versioned JSON document."""

    name = "json"
    suffix = "json"

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the JSON report to ``out``."""
        out.write(self.render_bytes(result, options).decode("utf-8"))

    def render_bytes(self, result: AuditResult, options: RenderOptions) -> bytes:
        """The JSON report as UTF-8 bytes (what ``write_reports`` writes: no text round trip)."""
        return _render(result, options)


REPORTER = JsonReporter()
