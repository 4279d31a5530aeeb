"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

- ``tool.driver.rules``: the rule catalogue of :mod:`souverain.analyse.rules` (stable ids, help in
  Markdown), plus a minimal entry for any rule id a finding uses that the catalogue lacks;
- one result per non-waived finding; a waived finding is still a result, with a ``suppressions``
  entry carrying the waiver's reason (so dashboards show it as dismissed, not as gone);
- the location is the SBOM file as given on the command line (relative URI), with
  ``region.startLine`` from :attr:`Component.line` when the parser knew it;
- ``partialFingerprints["souverain/v1"]`` is :attr:`Finding.fingerprint` (stable across runs);
- levels: critical/high → ``error``, medium → ``warning``, low/info → ``note``; GitHub's
  ``properties.security-severity`` carries a CVSS-like number for the same severity.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import PurePath, PurePosixPath
from typing import Any, Protocol, TextIO
from urllib.parse import quote

import orjson

from souverain.model import AuditResult, Component, Finding, Severity
from souverain.report import _view
from souverain.report.base import RenderOptions

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/souverain/souverain"
FINGERPRINT_KEY = "souverain/v1"

LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


class Rule(Protocol):
    """What the reporter reads from an entry of ``souverain.analyse.rules.RULES``."""

    @property
    def id(self) -> str:
        """Stable rule id (``SOV001``)."""
        ...

    @property
    def title(self) -> str:
        """Short title."""
        ...

    @property
    def severity(self) -> Severity:
        """Default severity."""
        ...

    @property
    def help(self) -> str:
        """Help text in Markdown."""
        ...

    @property
    def recommendation(self) -> str:
        """What to do, in one sentence."""
        ...


def default_rules() -> Mapping[str, Rule]:
    """The analysis rule catalogue by id (``souverain.analyse.rules.RULES_BY_ID``, or ``RULES`` as
    a mapping or a sequence), or an empty mapping when the module is missing (rules are then
    described from the findings alone)."""
    try:
        module = importlib.import_module("souverain.analyse.rules")
    except ImportError:
        return {}
    by_id = getattr(module, "RULES_BY_ID", None)
    if isinstance(by_id, Mapping):
        return by_id
    rules = getattr(module, "RULES", ())
    if isinstance(rules, Mapping):
        return rules
    return {r.id: r for r in rules}


def _rule_name(rule: Rule | None, title: str, rule_id: str) -> str:
    name = getattr(rule, "name", None)
    if isinstance(name, str) and name:
        return name
    return "".join(w.capitalize() for w in _view.clean(title).split() if w.isalnum()) or rule_id


def _rule_entry(rule_id: str, rule: Rule | None, sample: Finding | None) -> dict[str, Any]:
    title = rule.title if rule is not None else (sample.title if sample else rule_id)
    severity = rule.severity if rule is not None else (sample.severity if sample else Severity.MEDIUM)
    help_md = rule.help if rule is not None else title
    recommendation = rule.recommendation if rule is not None else (sample.recommendation if sample else "")
    text = help_md if not recommendation else f"{help_md}\n\n{recommendation}"
    return {
        "id": rule_id,
        "name": _rule_name(rule, title, rule_id),
        "shortDescription": {"text": _view.clean(title)},
        "fullDescription": {"text": _view.clean(help_md)},
        "help": {"text": text, "markdown": text},
        "helpUri": f"{INFORMATION_URI}/blob/main/docs/findings.md#{rule_id.lower()}",
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[severity],
            "tags": ["security", "supply-chain", "sovereignty"],
            "precision": "high",
        },
    }


def artifact_uri(path: str) -> str:
    """The SBOM path as a relative URI reference (forward slashes, percent-encoded)."""
    p = PurePosixPath(PurePath(path).as_posix())
    return quote(str(p), safe="/")


def _message(f: Finding, label: str) -> str:
    parts = [f.message]
    if f.evidence:
        parts.append("Evidence: " + "; ".join(f.evidence))
    if f.recommendation:
        parts.append("What to do: " + f.recommendation)
    text = " ".join(_view.clean(p) for p in parts)
    return text if not label else f"{_view.clean(label)}: {text}"


def _result(f: Finding, index: Mapping[str, int], comps: Mapping[str, Component], uri: str) -> dict[str, Any]:
    comp = comps.get(f.component) if f.component else None
    region: dict[str, Any] = {}
    if comp is not None and comp.line:
        region = {"region": {"startLine": comp.line}}
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": uri, "index": 0}, **region},
    }
    if comp is not None:
        location["logicalLocations"] = [
            {
                "name": _view.clean(comp.name),
                "fullyQualifiedName": _view.clean(comp.purl or comp.ref),
                "kind": "package",
            },
        ]
    entry: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVELS[f.severity],
        "message": {"text": _message(f, _view.label(comp, f.component) if f.component else "")},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "severity": f.severity.value,
            "security-severity": SECURITY_SEVERITY[f.severity],
            "share": f.share,
            "component": f.component,
            "purl": comp.purl if comp is not None else None,
        },
    }
    if f.status is not None:
        entry["baselineState"] = {"new": "new", "worsened": "updated", "unchanged": "unchanged"}.get(
            f.status, "unchanged"
        )
    if f.waived is not None:
        entry["suppressions"] = [{"kind": "external", "status": "accepted", "justification": f.waived}]
    return entry


def to_sarif(
    result: AuditResult, options: RenderOptions, rules: Mapping[str, Rule] | None = None
) -> dict[str, Any]:
    """The SARIF log as plain dicts. ``rules`` defaults to :func:`default_rules`."""
    catalogue = default_rules() if rules is None else rules
    samples: dict[str, Finding] = {}
    for f in (*result.findings, *result.resolved):
        samples.setdefault(f.rule, f)
    rule_ids = sorted(set(catalogue) | set(samples))
    index = {rid: i for i, rid in enumerate(rule_ids)}
    uri = artifact_uri(result.sbom.path)
    comps = _view.by_ref(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "souverain",
                "version": result.tool_version or "0",
                "semanticVersion": result.tool_version or "0.0.0",
                "informationUri": INFORMATION_URI,
                "rules": [_rule_entry(rid, catalogue.get(rid), samples.get(rid)) for rid in rule_ids],
            }
        },
        "artifacts": [
            {
                "location": {"uri": uri},
                "hashes": {"sha-256": result.sbom.sha256},
                "mimeType": "application/xml"
                if result.sbom.format.value.endswith("xml")
                else ("text/plain" if result.sbom.format.value == "spdx-tagvalue" else "application/json"),
            }
        ],
        "results": [_result(f, index, comps, uri) for f in result.findings]
        # With a baseline, findings that are gone since are reported as absent, so that code
        # scanning closes their alerts.
        + [{**_result(f, index, comps, uri), "baselineState": "absent"} for f in result.resolved],
        "columnKind": "unicodeCodePoints",
        "properties": {"score": result.summary.score, "sbomFormat": result.sbom.format.value},
    }
    if not options.reproducible and result.generated_at:
        run["invocations"] = [{"executionSuccessful": True, "endTimeUtc": result.generated_at}]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


class SarifReporter:
    """``--format sarif``: SARIF 2.1.0 log with the rule catalogue."""

    name = "sarif"
    suffix = "sarif"

    def __init__(self, rules: Mapping[str, Rule] | None = None) -> None:
        self.rules = rules

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the SARIF log to ``out``."""
        out.write(self.render_bytes(result, options).decode("utf-8"))

    def render_bytes(self, result: AuditResult, options: RenderOptions) -> bytes:
        """The SARIF log as UTF-8 bytes."""
        doc = to_sarif(result, options, self.rules)
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


REPORTER = SarifReporter()
