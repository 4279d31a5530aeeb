"""``--format html``: one self-contained page a buyer can read (no CDN, nothing fetched).

Verdict and score, exposure by country and by vendor (SVG bars), choke points with evidence and
recommendation, the other findings, a filterable and sortable component table, and an interactive
layered graph of the at-risk part of the dependency graph (components with findings and their
shortest paths to the root, at most :data:`GRAPH_CAP` nodes).

Safety rules, all enforced here:

- server-side markup: every value goes through :func:`html.escape` (quotes included);
- data for the script: JSON inside ``<script type="application/json">`` with ``<``, ``>``, ``&``
  and U+2028/U+2029 written as ``\\uXXXX`` (:func:`script_json`), read with ``JSON.parse`` and put
  in the DOM only through ``textContent``/``setAttribute``;
- a Content-Security-Policy ``default-src 'none'`` allowing only the page's own inline script and
  style by their SHA-256 hashes (no inline ``style=`` attributes: bars are SVG rectangles).
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections import deque
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from string import Template
from typing import Any, TextIO

import orjson

from souverain.graph import SYNTHETIC_ROOT
from souverain.model import AuditResult, Component, Finding, Openness, Severity
from souverain.report import _view
from souverain.report.base import RenderOptions
from souverain.report.i18n import heading, message, translations

GRAPH_CAP = 300
MAX_ROWS = 500  # rows drawn at once in the component table (filtering narrows the rest)
TOP_EXPOSURE = 12
TOP_CHOKE_POINTS = 10
COLUMNS = (
    "name",
    "version",
    "purl",
    "license",
    "openness",
    "controller",
    "country",
    "jurisdiction",
    "service",
    "share",
    "severity",
    "ref",
)
VISIBLE = tuple(c for c in COLUMNS if c not in ("purl", "ref"))  # the rest are for search and links
_NUMERIC = frozenset({"share"})


def esc(value: object) -> str:
    """A value made safe for HTML text and attribute values (control characters removed)."""
    return html.escape(_view.clean(value), quote=True)


def script_json(value: Any) -> str:
    """JSON safe to embed in ``<script type="application/json">``: no ``<``, ``>``, ``&``,
    U+2028 or U+2029 appears literally, so the data can never close the element or start a
    comment, whatever the SBOM says."""
    text = orjson.dumps(value).decode("utf-8")
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def csp_hash(text: str) -> str:
    """The CSP source expression (``'sha256-…'``) allowing an inline element with this content."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def _asset(name: str) -> str:
    return resources.files("souverain.report").joinpath("templates", name).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# The at-risk subgraph (presentational: which nodes to draw)
# ------------------------------------------------------------------------------------------------


def _worst(findings: Iterable[Finding]) -> dict[str, Severity]:
    worst: dict[str, Severity] = {}
    for f in findings:
        if f.component is None or f.waived is not None:
            continue
        cur = worst.get(f.component)
        if cur is None or f.severity.rank > cur.rank:
            worst[f.component] = f.severity
    return worst


def risk_subgraph(
    result: AuditResult, cap: int = GRAPH_CAP
) -> tuple[list[str], list[tuple[int, int]], dict[str, int], bool]:
    """The part of the graph to draw: refs (root first), edges between them as index pairs, each
    ref's layer (distance from the root), and whether the cap cut some at-risk components.

    Components with non-waived findings, most severe first, each with its shortest path from the
    root (breadth-first parents); linear in components + edges.
    """
    comps = _view.by_ref(result)
    root = result.sbom.root.ref if result.sbom.root is not None else SYNTHETIC_ROOT
    children: dict[str, list[str]] = {}
    has_parent: set[str] = set()
    for src, dst, _kind in result.sbom.edges:
        if src in comps and dst in comps and src != dst:
            children.setdefault(src, []).append(dst)
            has_parent.add(dst)
    top = [c.ref for c in result.components if c.ref not in has_parent and c.ref != root]
    children.setdefault(root, [])
    known = set(children[root])
    children[root].extend(r for r in top if r not in known)
    parent: dict[str, str | None] = {root: None}
    depth = {root: 0}
    queue = deque([root])
    while queue:
        cur = queue.popleft()
        for nxt in children.get(cur, ()):
            if nxt not in parent:
                parent[nxt] = cur
                depth[nxt] = depth[cur] + 1
                queue.append(nxt)
    chosen: dict[str, None] = {root: None}
    truncated = False
    worst = _worst(result.findings)
    targets = list(dict.fromkeys(f.component for f in result.findings if f.component in worst))
    for ref in targets:
        if ref not in comps:
            continue
        if ref not in parent:  # unreachable (a cycle nothing else depends on): hang it off the root
            parent[ref] = root
            depth[ref] = 1
        path = []
        node: str | None = ref
        while node is not None and node not in chosen:
            path.append(node)
            node = parent.get(node)
        if len(chosen) + len(path) > cap:
            truncated = True
            continue
        chosen.update(dict.fromkeys(reversed(path)))
    refs = list(chosen)
    index = {r: i for i, r in enumerate(refs)}
    edges: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for ref in refs:
        p = parent.get(ref)
        if p is not None:
            seen.add((index[p], index[ref]))
    for src in refs:
        for dst in children.get(src, ()):
            if dst in index:
                seen.add((index[src], index[dst]))
    edges = sorted(seen)[: cap * 4]
    return refs, edges, {r: depth.get(r, 1) for r in refs}, truncated


# ------------------------------------------------------------------------------------------------
# Page parts
# ------------------------------------------------------------------------------------------------


def _bars(items: list[tuple[str, float]], lang: str, empty: str) -> str:
    if not items:
        return f'<p class="muted">{esc(message(lang, empty))}</p>'
    rows = []
    for name, share in items:
        width = round(max(0.0, min(1.0, share)) * 100, 1)
        rows.append(
            f'<tr><td class="name">{esc(name)}</td><td><svg class="bar" viewBox="0 0 100 10" '
            f'preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10"/>'
            f'<rect class="fill" width="{width}" height="10"/></svg></td>'
            f'<td class="num">{esc(_view.pct(share, lang))}</td></tr>'
        )
    return '<table class="bars">' + "".join(rows) + "</table>"


def _sev(severity: Severity, lang: str) -> str:
    return f'<span class="sev sev-{severity.value}">{esc(message(lang, "sev_" + severity.value))}</span>'


def _component_facts(result: AuditResult, ref: str, lang: str) -> list[tuple[str, str]]:
    a = result.assessments.get(ref)
    if a is None:
        return []
    facts: list[tuple[str, str]] = []
    lic = a.license.value
    unknown = message(lang, "unknown")
    facts.append(
        (
            message(lang, "license"),
            f"{lic.expression} ({message(lang, 'openness_' + lic.openness.value)})"
            if lic and lic.expression
            else message(lang, "licence_unknown"),
        )
    )
    ctl = a.controller.value
    if ctl is not None:
        who = ctl.name or unknown
        if ctl.ultimate and ctl.ultimate != ctl.name:
            who += f" → {ctl.ultimate}"
        facts.append(
            (
                message(lang, "controller"),
                f"{who} ({ctl.country or unknown}, {message(lang, 'jurisdiction_' + a.jurisdiction.value)})",
            )
        )
    else:
        facts.append((message(lang, "controller"), unknown))
    if a.regimes:
        facts.append((message(lang, "jurisdiction"), ", ".join(a.regimes)))
    svc = a.service.value if a.service is not None else None
    if svc is not None:
        facts.append(
            (message(lang, "service"), f"{svc.name} ({svc.operator or unknown}, {svc.country or unknown})")
        )
    return facts


def _card(result: AuditResult, comps: Mapping[str, Component], f: Finding, lang: str, alike: str = "") -> str:
    """One finding as a card; ``alike`` names the findings shown under it (the same risk)."""
    name = _view.label(comps.get(f.component or ""), f.component) or message(lang, "sbom_wide")
    dl = [(esc(message(lang, "why")), esc(_view.finding_message(f, lang)))]
    if alike:
        dl.append(("", esc(alike)))
    if f.component is not None:
        dl += [(esc(k), esc(v)) for k, v in _component_facts(result, f.component, lang)]
    if f.evidence:
        items = "".join(f"<li>{esc(e)}</li>" for e in f.evidence)
        dl.append((esc(message(lang, "evidence")), f'<ul class="plain">{items}</ul>'))
    todo = _view.finding_recommendation(f, lang)
    dl.append((esc(message(lang, "todo")), f'<span class="todo">{esc(todo)}</span>'))
    if f.waived is not None:
        dl.append(("", esc(message(lang, "waived_reason", reason=f.waived))))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in dl)
    return (
        f'<div class="card"><div class="head">{_sev(f.severity, lang)}<span class="comp">{esc(name)}</span>'
        f'<span class="meta">{esc(_view.finding_share(f, lang))} · {esc(f.rule)} '
        f"{esc(_view.finding_title(f, lang))}</span></div>"
        f"<dl>{body}</dl></div>"
    )


def _finding_subject(comps: Mapping[str, Component], f: Finding, lang: str) -> str:
    return _view.label(comps.get(f.component or ""), f.component) or message(lang, "sbom_wide")


def _finding_table(result: AuditResult, findings: Iterable[Finding], lang: str) -> str:
    comps = _view.by_ref(result)
    rows = "".join(
        f"<tr><td>{_sev(f.severity, lang)}</td>"
        f"<td>{esc(_finding_subject(comps, f, lang))}</td>"
        f'<td class="num">{esc(_view.finding_share(f, lang))}</td>'
        f"<td>{esc(f.rule)} {esc(_view.finding_title(f, lang))}</td>"
        f"<td>{esc(_view.finding_recommendation(f, lang))}</td></tr>"
        for f in findings
    )
    head = "".join(
        f"<th>{esc(message(lang, k))}</th>" for k in ("severity", "component", "share", "rule", "todo")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _section(ident: str, title: str, body: str) -> str:
    return f'<section id="{ident}"><h2>{esc(title)}</h2>{body}</section>'


def _rows(result: AuditResult, worst: Mapping[str, Severity]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for c in result.components:
        a = result.assessments.get(c.ref)
        m = result.metrics.get(c.ref)
        lic = a.license.value if a else None
        ctl = a.controller.value if a else None
        svc = a.service.value if a and a.service is not None else None
        sev = worst.get(c.ref)
        rows.append(
            [
                _view.clean(c.name),
                _view.clean(c.version or ""),
                _view.clean(c.purl or ""),
                _view.clean(lic.expression or "") if lic else "",
                lic.openness.value if lic else Openness.UNKNOWN.value,
                _view.clean(ctl.name or "") if ctl else "",
                ctl.country or "" if ctl else "",
                a.jurisdiction.value if a else "unknown",
                _view.clean(svc.name) if svc else "",
                m.share if m else None,
                sev.value if sev else None,
                _view.clean(c.ref),
            ]
        )
    return rows


def _graph_data(result: AuditResult, worst: Mapping[str, Severity], lang: str) -> dict[str, Any]:
    refs, edges, depth, truncated = risk_subgraph(result)
    comps = _view.by_ref(result)
    findings_by_ref: dict[str, list[str]] = {}
    for f in _view.active(result):
        if f.component is not None:
            findings_by_ref.setdefault(f.component, []).append(f"{f.rule} {_view.finding_title(f, lang)}")
    root = refs[0]
    sep = heading(lang, "share")[len(message(lang, "share")) :]
    nodes = []
    for ref in refs:
        c = comps.get(ref)
        lines = [f"{k}{sep}{v}" for k, v in _component_facts(result, ref, lang)]
        m = result.metrics.get(ref)
        if m is not None:
            lines.append(f"{heading(lang, 'share')}{_view.pct(m.share, lang)}")
        lines += findings_by_ref.get(ref, [])
        sev = worst.get(ref)
        nodes.append(
            {
                "label": (
                    _view.label(c, ref)
                    if ref != SYNTHETIC_ROOT
                    else (result.sbom.name or message(lang, "root"))
                ),
                "sev": "root" if ref == root else (sev.value if sev else None),
                "depth": depth[ref],
                "lines": [_view.clean(x) for x in lines],
            }
        )
    return {"nodes": nodes, "edges": edges, "truncated": truncated}


def render_html(result: AuditResult, options: RenderOptions) -> str:
    """The whole page as a string."""
    lang = options.lang
    s = result.summary
    v = _view.verdict(result, lang)
    worst = _worst(result.findings)
    comps = _view.by_ref(result)
    css, js = _asset("report.css"), _asset("report.js")
    csp = (
        f"default-src 'none'; script-src {csp_hash(js)}; style-src {csp_hash(css)}; "
        "base-uri 'none'; form-action 'none'"
    )
    title = message(lang, "title") + (f" — {result.sbom.name}" if result.sbom.name else "")
    p = result.policy
    fail_on = message(lang, "sev_" + p.fail_on.value) if p.fail_on else message(lang, "none")
    policy = (
        f"{heading(lang, 'policy')}{message(lang, 'home')} {', '.join(p.home)} · "
        f"{message(lang, 'trusted')} {', '.join(p.trusted) or message(lang, 'none')} · "
        f"{message(lang, 'fail_on')} {fail_on}"
    )
    meta = (
        f"{result.sbom.path} · {result.sbom.format.value} {result.sbom.spec_version} · "
        f"{message(lang, 'components')} {s.components} · {message(lang, 'dependencies')} {s.dependencies}"
    )
    groups = _view.top_choke_point_groups(result, TOP_CHOKE_POINTS, comps)
    top = tuple(head for head, _ in groups)
    choke = (
        "".join(
            _card(result, comps, f, lang, _view.alike_names(comps, a, lang) if a else "") for f, a in groups
        )
        or f"<p>{esc(message(lang, _view.no_choke_point_message(result)))}</p>"
    )
    new_block = ""
    if _view.has_baseline(result):
        new = _view.new_findings(result)
        new_block = _section(
            "new-findings",
            f"{message(lang, 'new_findings')} ({len(new)})",
            _finding_table(result, new, lang) if new else f"<p>{esc(message(lang, 'no_findings'))}</p>",
        )
    others = [f for f in _view.active(result) if f not in top]
    other_block = (
        _section(
            "findings", f"{message(lang, 'findings')} ({len(others)})", _finding_table(result, others, lang)
        )
        if others
        else ""
    )
    waived = _view.waived(result)
    waived_block = (
        _section(
            "waived",
            f"{message(lang, 'waived')} ({len(waived)})",
            "".join(_card(result, comps, f, lang) for f in waived),
        )
        if waived
        else ""
    )
    resolved_block = (
        _section(
            "resolved",
            f"{message(lang, 'resolved')} ({len(result.resolved)})",
            _finding_table(result, result.resolved, lang),
        )
        if result.resolved
        else ""
    )
    warn_items = [*result.warnings, *(f"{k.location}: {k.reason}" for k in s.skipped)]
    warnings = (
        _section(
            "warnings",
            message(lang, "warnings"),
            '<ul class="plain">' + "".join(f"<li>{esc(w)}</li>" for w in warn_items) + "</ul>",
        )
        if warn_items
        else ""
    )
    legend = "".join(_sev(sev, lang) for sev in Severity)
    footer = message(lang, "generated", version=result.tool_version)
    if result.generated_at and not options.reproducible:
        footer += " " + message(lang, "generated_at", date=result.generated_at)
    footer += f" · SBOM sha256 {result.sbom.sha256}"
    head = "".join(
        f'<th data-col="{c}"{" class=num" if c in _NUMERIC else ""}>{esc(message(lang, c))}</th>'
        for c in VISIBLE
    ).replace(" class=num", ' class="num"')
    openness_options = '<option value="">—</option>' + "".join(
        f'<option value="{o.value}">{esc(message(lang, "openness_" + o.value))}</option>' for o in Openness
    )
    data = {
        "i18n": translations(lang),
        "columns": list(COLUMNS),
        "visible": list(VISIBLE),
        "rows": _rows(result, worst),
        "graph": _graph_data(result, worst, lang),
        "max_rows": MAX_ROWS,
    }
    fields = {
        "lang": esc(lang),
        "csp": esc(csp),
        "version": esc(result.tool_version),
        "title": esc(title),
        "css": css,
        "js": js,
        "meta": esc(meta),
        "verdict": esc(v.text),
        "policy": esc(policy),
        "verdict_class": "verdict fail" if v.failed else "verdict",
        "score": esc(s.score if s.score is not None else "?"),
        "score_label": esc(message(lang, "score")),
        "flat": f'<p class="meta">{esc(message(lang, "flat_warning"))}</p>' if s.flat else "",
        "h_country": esc(message(lang, "exposure_country")),
        "h_vendor": esc(message(lang, "exposure_vendor")),
        "exposure_note": esc(message(lang, "exposure_note")),
        "by_country": _bars(
            _view.top_items(s.exposure_by_country, TOP_EXPOSURE), lang, "no_country_exposure"
        ),
        "by_vendor": _bars(
            _view.top_items(s.exposure_by_controller, TOP_EXPOSURE), lang, "no_vendor_exposure"
        ),
        "h_choke": esc(message(lang, "choke_points")),
        "choke_points": choke,
        "new_findings": new_block,
        "other_findings": other_block,
        "waived": waived_block,
        "resolved": resolved_block,
        "h_graph": esc(message(lang, "graph")),
        "graph_note": esc(message(lang, "graph_note", cap=GRAPH_CAP)),
        "legend": legend,
        "h_table": esc(message(lang, "component_table")),
        "search": esc(message(lang, "search")),
        "h_openness": esc(message(lang, "openness")),
        "openness_options": openness_options,
        "only_at_risk": esc(message(lang, "only_at_risk")),
        "no_script": esc(message(lang, "no_script")),
        "table_head": head,
        "warnings": warnings,
        "footer": esc(footer),
        "data": script_json(data),
    }
    return Template(_asset("report.html")).substitute(fields)


class HtmlReporter:
    """``--format html``: the self-contained page."""

    name = "html"
    suffix = "html"

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the HTML page to ``out``."""
        out.write(render_html(result, options))


REPORTER = HtmlReporter()
