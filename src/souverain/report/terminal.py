"""``--format terminal``: a short, width-aware summary for people, drawn with rich.

Sample (``--lang en``, no colour)::

    FAIL: 2 finding(s) at or above high
    Sovereignty score 58/100 · Components 15 · Dependencies 11 · sbom.json (cyclonedx-json 1.6)

    Exposure by country
      US  ████████████░░░░░░░░  60%
      CN  █████░░░░░░░░░░░░░░░  27%

    Top choke points
     1. CRITICAL  ojdbc11@23.3.0 · 20% · SOV001 Proprietary component controlled from …
        Why: …
        What to do: …

Every SBOM-derived value goes through :func:`souverain.report._view.clean` and is printed as a
:class:`rich.text.Text`, never parsed as rich markup, so a component name cannot inject styles or
escape sequences. With ``options.quiet`` only the verdict line is printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from rich.console import Console
from rich.text import Text

from souverain.model import AuditResult, Component, Finding, Severity
from souverain.report import _view
from souverain.report.base import RenderOptions
from souverain.report.i18n import heading, message

TOP_COUNTRIES = 8
TOP_VENDORS = 6
TOP_CHOKE_POINTS = 5
TOP_ECOSYSTEMS = 6
MAX_SKIPPED = 20  # skipped entries printed (all of them are in the JSON report)
MAX_EVIDENCE = 3  # evidence items shown per choke point (all of them are in the JSON and HTML reports)

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def _console(out: TextIO, options: RenderOptions) -> Console:
    return Console(
        file=out,
        width=max(40, options.width),
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        markup=False,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )


def _bar(share: float, width: int) -> str:
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled)


def _bars(title: str, items: list[tuple[str, float]], width: int, lang: str, empty: str) -> list[Text]:
    lines = [Text(title, style="bold")]
    if not items:
        lines.append(Text("  " + message(lang, empty), style="dim"))
        return lines
    names = [_view.clean(k) for k, _ in items]
    name_w = min(max(len(n) for n in names), max(8, width // 3))
    bar_w = max(10, min(40, width - name_w - 12))
    for name, (_, share) in zip(names, items, strict=True):
        shown = name if len(name) <= name_w else name[: name_w - 1] + "…"
        line = Text("  ")
        line.append(shown.ljust(name_w))
        line.append("  ")
        line.append(_bar(share, bar_w), style="magenta")
        line.append("  " + _view.pct(share, lang).rjust(len(_view.pct(1.0, lang))))
        lines.append(line)
    return lines


def _short(text: str, limit: int = 160) -> str:
    cleaned = _view.clean(text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _finding_lines(i: int, f: Finding, comps: Mapping[str, Component], lang: str) -> list[Text]:
    head = Text(f"{i:>2}. ")
    head.append(f" {message(lang, 'sev_' + f.severity.value).upper()} ", style=_SEVERITY_STYLE[f.severity])
    head.append("  ")
    head.append(
        _view.label(comps.get(f.component or ""), f.component) or message(lang, "sbom_wide"), style="bold"
    )
    title = _view.finding_title(f, lang)
    head.append(f" · {_view.finding_share(f, lang)} · {_view.clean(f.rule)} {_view.clean(title)}")
    lines = [head]
    lines.append(Text(f"    {heading(lang, 'why')}{_view.clean(_view.finding_message(f, lang))}"))
    if f.evidence:
        lines.append(
            Text(
                f"    {heading(lang, 'evidence')}"
                + "; ".join(_short(e) for e in f.evidence[:MAX_EVIDENCE])
                + (" …" if len(f.evidence) > MAX_EVIDENCE else ""),
                style="dim",
            )
        )
    todo = _view.finding_recommendation(f, lang)
    lines.append(Text(f"    {heading(lang, 'todo')}{_view.clean(todo)}", style="green"))
    return lines


def render_lines(result: AuditResult, options: RenderOptions) -> list[Text]:
    """The report as rich Text lines (what :meth:`TerminalReporter.render` prints)."""
    lang = options.lang
    v = _view.verdict(result, lang)
    lines = [Text(v.text, style="bold red" if v.failed else "bold green")]
    if options.quiet:
        return lines
    s = result.summary
    sbom = result.sbom
    score = f"{s.score}/100" if s.score is not None else message(lang, "score_unknown")
    lines.append(
        Text(
            f"{message(lang, 'score')} {score} · {message(lang, 'components')} {s.components} · "
            f"{message(lang, 'dependencies')} {s.dependencies} · "
            f"{_view.clean(sbom.path)} ({sbom.format.value} {_view.clean(sbom.spec_version)})"
        )
    )
    p = result.policy
    fail_on = message(lang, f"sev_{p.fail_on.value}") if p.fail_on else message(lang, "none")
    lines.append(
        Text(
            f"{heading(lang, 'policy')}{message(lang, 'home')} {_view.clean(', '.join(p.home))} · "
            f"{message(lang, 'trusted')} {_view.clean(', '.join(p.trusted)) or message(lang, 'none')} · "
            f"{message(lang, 'fail_on')} {fail_on}",
            style="dim",
        )
    )
    lines.append(Text(_inventory(result, lang), style="dim"))
    if s.flat:
        lines.append(Text(message(lang, "flat_warning"), style="yellow"))
    width = max(40, options.width)
    lines.append(Text(""))
    lines.extend(
        _bars(
            message(lang, "exposure_country"),
            _view.top_items(s.exposure_by_country, TOP_COUNTRIES),
            width,
            lang,
            "no_country_exposure",
        )
    )
    lines.append(Text(""))
    lines.extend(
        _bars(
            message(lang, "exposure_vendor"),
            _view.top_items(s.exposure_by_controller, TOP_VENDORS),
            width,
            lang,
            "no_vendor_exposure",
        )
    )
    lines.append(Text(""))
    lines.append(Text(message(lang, "choke_points"), style="bold"))
    comps = _view.by_ref(result)
    groups = _view.top_choke_point_groups(result, TOP_CHOKE_POINTS, comps)
    top = tuple(head for head, _ in groups)
    if not top:
        lines.append(Text("  " + message(lang, _view.no_choke_point_message(result))))
    for i, (f, alike) in enumerate(groups, 1):
        lines.extend(_finding_lines(i, f, comps, lang))
        if alike:
            lines.append(Text("    " + _view.clean(_view.alike_names(comps, alike, lang)), style="dim"))
    sbom_wide = _view.sbom_wide(result)
    rest = len(_view.active(result)) - len(sbom_wide) - len(top)
    if rest > 0:
        lines.append(Text("  " + message(lang, "more_findings", count=rest), style="dim"))
    if sbom_wide:
        lines.append(Text(""))
        lines.append(Text(message(lang, "sbom_findings"), style="bold"))
        for i, f in enumerate(sbom_wide, 1):
            lines.extend(_finding_lines(i, f, comps, lang))
    waived = _view.waived(result)
    if waived:
        lines.append(Text(""))
        lines.append(Text(message(lang, "waived"), style="bold"))
        lines.extend(
            Text(
                f"  {_view.clean(f.rule)} {_view.label(comps.get(f.component or ''), f.component)} — "
                + message(lang, "waived_reason", reason=_view.clean(f.waived or "")),
                style="dim",
            )
            for f in waived
        )
    if result.resolved:
        lines.append(Text(""))
        lines.append(Text(message(lang, "resolved"), style="bold"))
        lines.extend(
            Text(
                f"  ✓ {_view.clean(f.rule)} {_view.label(comps.get(f.component or ''), f.component)}"
                f" — {_view.clean(_view.finding_title(f, lang))}",
                style="green",
            )
            for f in result.resolved
        )
    if result.warnings or s.skipped:
        lines.append(Text(""))
        lines.append(Text(message(lang, "warnings"), style="bold yellow"))
        lines.extend(Text(f"  ! {_view.clean(w)}", style="yellow") for w in result.warnings)
        lines.extend(
            Text(f"  ! {_view.clean(k.location)}: {_view.clean(k.reason)}", style="yellow")
            for k in s.skipped[:MAX_SKIPPED]
        )
        if len(s.skipped) > MAX_SKIPPED:
            lines.append(
                Text("  " + message(lang, "more_skipped", count=len(s.skipped) - MAX_SKIPPED), style="dim")
            )
    return lines


def _inventory(result: AuditResult, lang: str) -> str:
    """One line: components by ecosystem, depth, root (what the SBOM holds, before any finding)."""
    counts: dict[str, int] = {}
    for c in result.components:
        key = c.ecosystem or c.type or "?"
        counts[key] = counts.get(key, 0) + 1
    eco = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [", ".join(f"{_view.clean(k)} {v}" for k, v in eco[:TOP_ECOSYSTEMS])]
    if len(eco) > TOP_ECOSYSTEMS:
        parts[0] += f", … ({len(eco) - TOP_ECOSYSTEMS})"
    s = result.summary
    if s.depth is not None:
        parts.append(f"{message(lang, 'depth')} {s.depth}")
    root = result.sbom.root
    shown = _view.label(root, s.root) if root is not None else message(lang, "synthetic_root")
    parts.append(f"{message(lang, 'root')} {shown}")
    return message(lang, "inventory") + " · ".join(p for p in parts if p)


class TerminalReporter:
    """``--format terminal``: verdict, score, exposure bars, top choke points."""

    name = "terminal"
    suffix = "txt"

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Print the summary to ``out`` (colours only when ``options.color``)."""
        console = _console(out, options)
        for line in render_lines(result, options):
            line.no_wrap = False
            console.print(line, overflow="fold")


REPORTER = TerminalReporter()
