"""``--format markdown``: a summary for pull/merge request comments.

Sample::

    ## ❌ Sovereignty audit — FAIL: 2 finding(s) at or above high

    **Sovereignty score 58/100** · 15 components · 11 dependencies · sbom/acme\\-portal.cdx.json

    ### Exposure by country
    | Country | Share | |
    |---|---:|---|
    | US | 60% | `████████████░░░░░░░░` |

Every SBOM-derived value goes through :func:`escape`: HTML is entity-encoded (``<`` → ``&lt;``)
and Markdown punctuation backslash-escaped, so a component name cannot open a tag, a link or a
table cell. The output is kept under :data:`MAX_CHARS` (GitHub refuses comments over 65,536
characters): findings that do not fit are left out, with a note saying so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO

from souverain.model import AuditResult, Component, Finding
from souverain.report import _view
from souverain.report.base import RenderOptions
from souverain.report.i18n import heading, message

MAX_CHARS = 65_000  # GitHub's comment limit is 65,536; keep a margin for a bot's own header
TOP_COUNTRIES = 10
TOP_VENDORS = 8
TOP_CHOKE_POINTS = 10

# Punctuation that is markup anywhere in a line (emphasis, code, links, images, tables, strike-out,
# headings); "(" and ")" are harmless once "[" and "]" are escaped. "-", "+" and "1." only start a
# list (or a rule) at the beginning of a line: see _MD_LEADING.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|~])")
_MD_LEADING = re.compile(r"^(\s*)([-+=]|\d+(?=[.)](?:\s|$)))")
_SEVERITY_ICON = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦", "info": "⬜"}


def escape(text: object) -> str:
    """SBOM-derived text made inert in Markdown and HTML: control characters removed, ``& < >``
    entity-encoded, Markdown punctuation backslash-escaped."""
    s = _view.clean(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _MD_LEADING.sub(_escape_leading, s)


def _escape_leading(m: re.Match[str]) -> str:
    indent, mark = m.group(1), m.group(2)
    if mark[0] in "-+=":
        return f"{indent}\\{mark}"
    return f"{indent}{mark}\\"  # "1." → "1\." (the dot or parenthesis follows)


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    droppable: bool = False


def _bar(share: float, width: int = 20) -> str:
    filled = round(max(0.0, min(1.0, share)) * width)
    return "`" + "█" * filled + "░" * (width - filled) + "`"


def _exposure(title: str, head: str, lang: str, items: list[tuple[str, float]], empty: str) -> list[_Block]:
    blocks = [_Block(f"\n### {title}\n")]
    if not items:
        blocks.append(_Block(message(lang, empty) + "\n"))
        return blocks
    blocks.append(_Block(f"| {head} | {message(lang, 'share')} | |\n|---|---:|---|\n"))
    blocks.extend(_Block(f"| {escape(k)} | {_view.pct(v, lang)} | {_bar(v)} |\n") for k, v in items)
    return blocks


def _component(comps: Mapping[str, Component], f: Finding, lang: str) -> str:
    if f.component is None:
        return message(lang, "sbom_wide")
    return escape(_view.label(comps.get(f.component), f.component))


def _finding_table(comps: Mapping[str, Component], findings: tuple[Finding, ...], lang: str) -> list[_Block]:
    head = (
        f"| {message(lang, 'severity')} | {message(lang, 'component')} | {message(lang, 'share')} | "
        f"{message(lang, 'rule')} | {message(lang, 'todo')} |\n|---|---|---:|---|---|\n"
    )
    blocks = [_Block(head)]
    for f in findings:
        sev = message(lang, "sev_" + f.severity.value)
        blocks.append(
            _Block(
                f"| {_SEVERITY_ICON[f.severity.value]} {sev} | {_component(comps, f, lang)} | "
                f"{_view.finding_share(f, lang)} | "
                f"{escape(f.rule)} {escape(_view.finding_title(f, lang))} | "
                f"{escape(_view.finding_recommendation(f, lang))} |\n",
                droppable=True,
            )
        )
    return blocks


def _details(
    comps: Mapping[str, Component],
    findings: tuple[Finding, ...],
    lang: str,
    alike: Mapping[str, str] | None = None,
) -> list[_Block]:
    """The collapsible details of ``findings``; ``alike``: by fingerprint, the line naming the
    findings alike to it (see ``_view.top_choke_point_groups``)."""
    blocks: list[_Block] = []
    for f in findings:
        evidence = "".join(f"  - {escape(e)}\n" for e in f.evidence)
        same = (alike or {}).get(f.fingerprint)
        blocks.append(
            _Block(
                f"\n<details><summary>{escape(f.rule)} · {_component(comps, f, lang)}</summary>\n\n"
                f"{heading(lang, 'why')}{escape(_view.finding_message(f, lang))}\n\n"
                + (f"{escape(same)}\n\n" if same else "")
                + (f"{heading(lang, 'evidence').rstrip()}\n{evidence}\n" if evidence else "")
                + f"{heading(lang, 'todo')}{escape(_view.finding_recommendation(f, lang))}\n\n</details>\n",
                droppable=True,
            )
        )
    return blocks


def _blocks(result: AuditResult, options: RenderOptions) -> list[_Block]:
    lang = options.lang
    comps = _view.by_ref(result)
    v = _view.verdict(result, lang)
    s = result.summary
    icon = "❌" if v.failed else "✅"
    score = f"{s.score}/100" if s.score is not None else message(lang, "score_unknown")
    blocks = [
        _Block(f"## {icon} {message(lang, 'title')} — {v.text}\n\n"),
        _Block(
            f"**{message(lang, 'score')} {score}** · {message(lang, 'components')} {s.components} · "
            f"{message(lang, 'dependencies')} {s.dependencies} · {escape(result.sbom.path)} "
            f"({result.sbom.format.value} {escape(result.sbom.spec_version)})\n"
        ),
    ]
    if s.flat:
        blocks.append(_Block(f"\n> ⚠️ {message(lang, 'flat_warning')}\n"))
    if options.quiet:
        return blocks
    blocks += _exposure(
        message(lang, "exposure_country"),
        message(lang, "country"),
        lang,
        _view.top_items(s.exposure_by_country, TOP_COUNTRIES),
        "no_country_exposure",
    )
    blocks += _exposure(
        message(lang, "exposure_vendor"),
        message(lang, "controller"),
        lang,
        _view.top_items(s.exposure_by_controller, TOP_VENDORS),
        "no_vendor_exposure",
    )
    if _view.has_baseline(result):
        new = _view.new_findings(result)
        blocks.append(_Block(f"\n### {message(lang, 'new_findings')} ({len(new)})\n"))
        blocks += _finding_table(comps, new, lang) if new else [_Block(message(lang, "no_findings") + "\n")]
    groups = _view.top_choke_point_groups(result, TOP_CHOKE_POINTS, comps)
    top = tuple(head for head, _ in groups)
    blocks.append(_Block(f"\n### {message(lang, 'choke_points')}\n"))
    empty = message(lang, _view.no_choke_point_message(result))
    blocks += _finding_table(comps, top, lang) if top else [_Block(empty + "\n")]
    alike = {f.fingerprint: _view.alike_names(comps, a, lang) for f, a in groups if a}
    blocks += _details(comps, top, lang, alike)
    others = tuple(f for f in _view.active(result) if f not in top)
    if others:
        blocks.append(_Block(f"\n### {message(lang, 'findings')} ({len(others)})\n"))
        blocks += _finding_table(comps, others, lang)
    waived = _view.waived(result)
    if waived:
        blocks.append(_Block(f"\n### {message(lang, 'waived')} ({len(waived)})\n"))
        blocks.extend(
            _Block(
                f"- {escape(f.rule)} · {_component(comps, f, lang)} — "
                f"{message(lang, 'waived_reason', reason=escape(f.waived))}\n",
                droppable=True,
            )
            for f in waived
        )
    if result.resolved:
        blocks.append(_Block(f"\n### {message(lang, 'resolved')} ({len(result.resolved)})\n"))
        blocks.extend(
            _Block(
                f"- ✅ ~~{escape(f.rule)} · {_component(comps, f, lang)}~~ — "
                f"{escape(_view.finding_title(f, lang))}\n",
                droppable=True,
            )
            for f in result.resolved
        )
    if result.warnings or s.skipped:
        blocks.append(_Block(f"\n### {message(lang, 'warnings')}\n"))
        blocks.extend(_Block(f"- {escape(w)}\n", droppable=True) for w in result.warnings)
        blocks.extend(
            _Block(f"- {escape(k.location)}: {escape(k.reason)}\n", droppable=True) for k in s.skipped
        )
    return blocks


def _footer(result: AuditResult, options: RenderOptions) -> str:
    text = message(options.lang, "generated", version=escape(result.tool_version))
    if result.generated_at and not options.reproducible:
        text += " " + message(options.lang, "generated_at", date=escape(result.generated_at))
    return f"\n<sub>{text}</sub>\n"


def render_markdown(result: AuditResult, options: RenderOptions, limit: int = MAX_CHARS) -> str:
    """The Markdown report, at most ``limit`` characters (droppable blocks left out from the end
    of the first section that does not fit, with a note)."""
    footer = _footer(result, options)
    blocks = _blocks(result, options)
    full = "".join(b.text for b in blocks) + footer
    if len(full) <= limit:
        return full
    note = f"\n> ✂️ {message(options.lang, 'truncated')}\n"
    budget = limit - len(footer) - len(note)
    kept: list[str] = []
    used = 0
    truncated = False
    for b in blocks:
        if used + len(b.text) > budget:
            truncated = True
            if b.droppable:
                continue
            break  # an essential block (a heading) that does not fit: stop here
        kept.append(b.text)
        used += len(b.text)
    return "".join(kept) + (note if truncated else "") + footer


class MarkdownReporter:
    """``--format markdown``: verdict, score, exposure, choke points, new and resolved findings."""

    name = "markdown"
    suffix = "md"

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the Markdown summary to ``out``."""
        out.write(render_markdown(result, options))


REPORTER = MarkdownReporter()
