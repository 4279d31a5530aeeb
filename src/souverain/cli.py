"""The command line. Parses options, calls the library, renders, maps errors to exit codes.

This is the only module that prints, reads the environment and the configuration files.
Exit codes (docs/exit-codes.md): 0 ok; 1 findings at or above ``--fail-on``; 2 usage error;
3 unreadable or unsupported input (SBOM, policy, knowledge base, baseline); 4 online
enrichment required (``--require-online``) and failed; 70 internal error (a bug: please report).
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from souverain import __version__
from souverain.errors import InputError, SouverainError

if TYPE_CHECKING:
    from souverain.knowledge import KnowledgeBase
    from souverain.model import ParsedSbom, Policy
    from souverain.progress import Progress

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_ONLINE = 4
EXIT_INTERNAL = 70

SEVERITIES = ("critical", "high", "medium", "low", "info", "none")


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _stderr() -> TextIO:
    return sys.stderr


def _read_source(file: str) -> tuple[str | bytes, str | None]:
    """The SBOM to read: a path, or bytes from stdin for ``-``."""
    if file == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    path = Path(file)
    if not path.exists():
        raise InputError(file, "no such file")
    if path.is_dir():
        raise InputError(file, "is a directory, not an SBOM file")
    if not os.access(path, os.R_OK):
        raise InputError(file, "permission denied")
    return file, None


def _source_bytes(file: str, source: str | bytes) -> bytes | None:
    """The audited input's bytes, for ``-f cyclonedx`` (which writes the input back enriched):
    stdin's as read, a file read again after the audit (its SHA-256 is checked against the
    audited one; None when it cannot be read: the BOM is then rebuilt from the model)."""
    if isinstance(source, bytes):
        return source
    try:
        return Path(file).read_bytes()
    except OSError:
        return None


def _load(file: str) -> ParsedSbom:
    from souverain.sbom import load_sbom

    source, name = _read_source(file)
    return load_sbom(source, name=name)


def _config(policy_path: str | None) -> dict[str, Any]:
    from souverain.policy import load_config

    return load_config(Path(policy_path) if policy_path else None, cwd=Path.cwd())


def _kb(config: Mapping[str, Any], extra: Sequence[str]) -> KnowledgeBase:
    from souverain.knowledge import load, load_default

    knowledge = config.get("knowledge") or {}
    files = [Path(p) for p in knowledge.get("organisations", [])] if isinstance(knowledge, dict) else []
    files += [Path(p) for p in extra]
    return load(files) if files else load_default()


def _policy(
    policy_path: str | None,
    home: str | None,
    trusted: str | None,
    fail_on: str | None,
    kb: KnowledgeBase | None = None,
) -> Policy:
    from souverain.policy import load_policy

    overrides: dict[str, Any] = {}
    if home:
        overrides["home"] = home
    if trusted is not None:
        overrides["trusted"] = [t.strip() for t in trusted.split(",") if t.strip()]
    if fail_on:
        overrides["fail_on"] = fail_on
    return load_policy(
        Path(policy_path) if policy_path else None,
        cwd=Path.cwd(),
        overrides=overrides,
        known_blocs=tuple(kb.blocs) if kb is not None else None,
    )


class _RichProgress:
    """Draws a progress bar on stderr for long stages (online lookups, large enrichments)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[extra]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._tasks: dict[str, Any] = {}
        self._counters: dict[str, dict[str, int]] = {}

    def start(self, task: str, total: int | None) -> None:
        if not self._tasks:
            self._progress.start()
        self._tasks[task] = self._progress.add_task(task, total=total, extra="")
        self._counters[task] = {}

    def advance(self, task: str, steps: int = 1, **counters: int) -> None:
        tid = self._tasks.get(task)
        if tid is None:
            return
        c = self._counters[task]
        for k, v in counters.items():
            c[k] = c.get(k, 0) + v
        extra = " ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(c.items()))
        self._progress.update(tid, advance=steps, extra=extra)

    def finish(self, task: str) -> None:
        tid = self._tasks.pop(task, None)
        if tid is not None:
            self._progress.remove_task(tid)
        if not self._tasks:
            self._progress.stop()


def _progress(quiet: bool) -> Progress:
    from souverain.progress import NullProgress

    if quiet or not _stderr().isatty():
        return NullProgress()
    return _RichProgress()


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


# ---------------------------------------------------------------------------------------------
# the command group
# ---------------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="souverain")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Audit an SBOM for digital sovereignty: who controls each component, from which
    country, under which licence, and what breaks if a foreign or proprietary party withdraws."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


def _formats_callback(_ctx: click.Context, _param: click.Parameter, value: str) -> list[str]:
    from souverain.report import REPORTERS

    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in REPORTERS]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(empty)'}; choose from {', '.join(sorted(REPORTERS))}"
        )
    return names


@cli.command()
@click.argument("file")
@click.option(
    "-f",
    "--format",
    "formats",
    default="terminal",
    show_default=True,
    callback=_formats_callback,
    help="Report format(s), comma-separated: terminal, json, sarif, markdown, html, cyclonedx.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=True, writable=True),
    help="Write to this file (one format) or directory (several formats); default stdout.",
)
@click.option(
    "--policy", "policy_path", type=click.Path(dir_okay=False), help="Policy file (souverain.toml)."
)
@click.option("--home", help="Home jurisdiction: a country code or a bloc (default EU).")
@click.option("--trusted", help="Trusted jurisdictions, comma-separated (default EEA).")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when a finding at or above this severity remains (default from policy: high).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="A previous JSON report: report only new or worsened findings, list resolved ones.",
)
@click.option(
    "--kb", "kb_files", multiple=True, type=click.Path(dir_okay=False), help="Extra organisations file."
)
@click.option(
    "--online",
    "registry_mode",
    flag_value="online",
    help="Ask your configured package registries (opt-in; answers are cached).",
)
@click.option(
    "--offline",
    "registry_mode",
    flag_value="cache",
    help="Use registry answers from the cache of earlier --online runs, without any network call.",
)
@click.option("--require-online", is_flag=True, help="With --online: exit 4 when every lookup failed.")
@click.option("--lang", type=click.Choice(["en", "fr"]), help="Report language (default from the locale).")
@click.option("--reproducible", is_flag=True, help="No timestamps: identical input gives identical output.")
@click.option("-q", "--quiet", is_flag=True, help="Only the verdict line on the terminal; no progress.")
@click.option(
    "--procurement",
    is_flag=True,
    help="Also review the SBOM's completeness and list the questions to send back to the vendor.",
)
def audit(
    file: str,
    formats: list[str],
    output: str | None,
    policy_path: str | None,
    home: str | None,
    trusted: str | None,
    fail_on: str | None,
    baseline: str | None,
    kb_files: tuple[str, ...],
    registry_mode: str | None,
    require_online: bool,
    lang: str | None,
    reproducible: bool,
    quiet: bool,
    procurement: bool,
) -> None:
    """Audit FILE (CycloneDX or SPDX; `-` reads stdin) and report choke points."""
    from souverain.allocator import keep_freed_memory
    from souverain.pipeline import OnlineOptions
    from souverain.pipeline import audit as run_audit
    from souverain.policy import load_baseline, should_fail
    from souverain.report import write_reports
    from souverain.report._view import verdict
    from souverain.report.base import RenderOptions
    from souverain.report.i18n import default_lang

    # One audit per process: the cyclic garbage collector only slows the many small objects
    # built for large SBOMs (the pipeline pauses it too; rendering benefits as well), and the
    # memory one stage frees is better kept for the next (see souverain.allocator).
    gc.disable()
    keep_freed_memory()
    config = _config(policy_path)
    kb = _kb(config, kb_files)
    policy = _policy(policy_path, home, trusted, fail_on, kb)
    base = load_baseline(Path(baseline)) if baseline else None
    progress = _progress(quiet)
    source, name = _read_source(file)

    session = None
    online_opts = None
    if registry_mode == "online":
        from souverain.endpoints import resolve_endpoints
        from souverain.http import make_session

        online_section = config.get("online") or {}
        endpoints = resolve_endpoints(
            {k: str(v) for k, v in online_section.items()} if isinstance(online_section, dict) else {},
            dict(os.environ),
            Path.home(),
            project_dir=Path.cwd(),
        )
        for src, ep in endpoints.items():
            if not ep:
                _echo_err(f"souverain: online source {src} disabled: {getattr(ep, 'reason', 'no endpoint')}")
        session = make_session()
        online_opts = OnlineOptions(endpoints=endpoints, require_online=require_online)
    elif registry_mode == "cache":
        online_opts = OnlineOptions()
    if require_online and registry_mode != "online":
        raise click.UsageError("--require-online needs --online")

    options: dict[str, Any] = {}
    overrides = config.get("overrides")
    if isinstance(overrides, dict):
        options["controller_overrides"] = {str(k): str(v) for k, v in overrides.items()}

    run = run_audit(
        source,
        name=name,
        policy=policy,
        kb=kb,
        session=session,
        online=online_opts,
        progress=progress,
        baseline=base,
        reproducible=reproducible,
        options=options,
    )
    result = run.result
    if run.online is not None and not quiet:
        st = run.online
        where = "registries" if st.online else "the cache only (--offline)"
        _echo_err(
            f"souverain: registry lookups from {where}: {st.requested} packages, "
            f"{st.cache_hits} from cache, {st.fetched} fetched, {st.not_found} not found, "
            f"{st.failed} failed, {st.skipped} skipped at the deadline"
            + (f", {st.offline_misses} not in the cache" if not st.online else "")
        )
    stdout = sys.stdout
    render = RenderOptions(
        lang=lang or default_lang(os.environ),
        reproducible=reproducible,
        color=stdout.isatty() and "NO_COLOR" not in os.environ,
        width=shutil.get_terminal_size((100, 24)).columns,
        quiet=quiet,
        source=_source_bytes(file, source) if "cyclonedx" in formats else None,
    )
    written = write_reports(result, formats, Path(output) if output else None, stdout, render)
    if quiet and written:  # the reports went to files: the verdict line is what the terminal shows
        _echo_err(verdict(result, render.lang).text)
    if not quiet:
        for path in written:
            _echo_err(f"souverain: wrote {path}")
        for warning in result.warnings:
            _echo_err(f"souverain: warning: {warning}")
    if procurement:
        from souverain.analyse.procurement import procurement_review, render_review

        review = procurement_review(result.sbom, result.assessments)
        click.echo(
            render_review(review, lang=render.lang), err=bool(output is None and formats != ["terminal"])
        )
    if should_fail(result):
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("file")
def inventory(file: str) -> None:
    """Print a short inventory of FILE: components by ecosystem and type, edges, root, depth,
    and what was skipped and why. Makes no attribution."""
    from souverain.graph import build_graph
    from souverain.inventory import inventory as make_inventory

    sbom = _load(file)
    inv = make_inventory(sbom, build_graph(sbom))
    out = click.echo
    out(f"{inv.path}: {inv.format} {inv.spec_version}")
    out(f"  components: {inv.components}" + (f", services: {inv.services}" if inv.services else ""))
    out(
        f"  dependency edges: {inv.edges}" + ("  (flat: the SBOM has no dependency data)" if inv.flat else "")
    )
    out(f"  root: {inv.root_name or inv.root or '(synthetic: the SBOM names none)'}")
    out(f"  depth: {inv.depth if inv.depth is not None else 'unknown'}")
    for title, rows in (
        ("by ecosystem", inv.by_ecosystem),
        ("by type", inv.by_type),
        ("edges by kind", inv.by_edge_kind),
        ("graph issues", inv.graph_issues),
        ("left out", inv.notes),
        ("unknown relationship types", inv.unknown_relationships),
    ):
        if rows:
            out(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in rows))
    if inv.skipped:
        out(f"  skipped ({len(inv.skipped)}):")
        for s in inv.skipped[:50]:
            out(f"    {s.location}: {s.reason}")
        if len(inv.skipped) > 50:
            out(f"    … and {len(inv.skipped) - 50} more")


@cli.command()
@click.argument("file")
def validate(file: str) -> None:
    """Validate FILE against its official schema (CycloneDX; slow on very large files)."""
    from souverain.sbom.validate import validate_schema

    source, name = _read_source(file)
    problems = validate_schema(source, name=name)
    if problems:
        for p in problems:
            click.echo(p)
        sys.exit(EXIT_INPUT)
    click.echo(f"{name or file}: valid")


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--unresolved",
    is_flag=True,
    help="Only the strings not understood, or read with parts that name no licence.",
)
@click.option("--summary", is_flag=True, help="Only the coverage lines, not every string.")
def licences(files: tuple[str, ...], unresolved: bool, summary: bool) -> None:
    """List every distinct licence string of FILES with its resolution and openness.

    Prints the coverage of each file and, for several files, over all of them (a string found
    in several files counts once). Definitions in docs/licences.md."""
    from souverain.knowledge.licences import LicenceResolution, coverage_figures, explain_strings
    from souverain.model import Component

    def line(name: str, rows: list[LicenceResolution]) -> str:
        f = coverage_figures(rows)
        n = f.strings
        if not n:  # not "0/0 resolved (100%)": there was nothing to resolve
            return f"{name}: no licence string" + (
                f" ({f.no_info} carry no licence information)" if f.no_info else ""
            )
        return (
            f"{name}: {f.resolved}/{n} distinct licence strings resolved ({f.share(f.resolved, n):.1%}); "
            f"identified {f.identified} ({f.share(f.identified, n):.1%}); "
            f"openness decided {f.decided} ({f.share(f.decided, n):.1%})"
            + (f"; {f.no_info} carry no licence information" if f.no_info else "")
        )

    everything: list[Component] = []
    for file in files:
        sbom = _load(file)
        everything.extend(sbom.components)
        rows = explain_strings(sbom.components)
        for r in [] if summary else rows:
            if unresolved and (r.identified or not (r.resolved or r.unresolved)):
                continue
            if r.resolved:
                target = r.expression or "(no licence)"
            elif r.unresolved:
                target = "UNRESOLVED"
            else:
                target = "(no licence information)"
            extra = f"  not understood: {', '.join(r.unresolved)}" if r.unresolved and r.expression else ""
            extra += f"  labels naming no licence: {', '.join(r.classified)}" if r.classified else ""
            extra += f"  local to the Debian copyright file: {', '.join(r.local)}" if r.local else ""
            click.echo(f"{r.count:6d}  {r.text!r} → {target}  [{r.openness}, {r.confidence}]{extra}")
        click.echo(line(Path(file).name, rows))
    if len(files) > 1:
        click.echo(line(f"all {len(files)} files", explain_strings(everything)))


def _loose(text: str) -> str:
    """A name or purl compared loosely: without version, qualifiers or subpath, case folded,
    runs of ``-``, ``_`` and ``.`` as one ``-`` (PEP 503's rule), an npm scope's ``%40`` as ``@``."""
    if text.startswith("pkg:"):
        text = text.split("#", 1)[0].split("?", 1)[0]
        head, _, last = text.rpartition("/")
        text = f"{head}/{last.split('@', 1)[0]}" if head else last.split("@", 1)[0]
        text = text.replace("%40", "@")
    return re.sub(r"[-_.]+", "-", text).casefold()


@cli.command()
@click.argument("file")
@click.argument("component")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False), help="Policy file.")
@click.option(
    "--kb", "kb_files", multiple=True, type=click.Path(dir_okay=False), help="Extra organisations file."
)
def explain(file: str, component: str, policy_path: str | None, kb_files: tuple[str, ...]) -> None:
    """Show why COMPONENT (a ref, a purl or a name) of FILE is attributed as it is."""
    from souverain.pipeline import audit as run_audit

    config = _config(policy_path)
    kb = _kb(config, kb_files)
    policy = _policy(policy_path, None, None, None, kb)
    run = run_audit(_load(file), policy=policy, kb=kb, reproducible=True)
    result = run.result
    candidates = (*result.components, *([result.sbom.root] if result.sbom.root else []))
    matches = [
        c
        for c in candidates
        if component in (c.ref, c.purl, c.purl_text, c.name)
        or (c.purl and c.purl.split("@")[0] == component.split("@")[0])
    ]
    if not matches:  # as the user may spell it: "zope.interface", "pkg:npm/@babel/parser"
        wanted = _loose(component)
        matches = [
            c
            for c in candidates
            if wanted in {_loose(c.name), _loose(c.purl or ""), _loose(c.purl_text or "")}
        ]
    if not matches:
        raise InputError(file, f"no component matches {component!r} (give a ref, a purl or a name)")
    for c in matches:
        a = result.assessments.get(c.ref)
        m = result.metrics.get(c.ref)
        click.echo(f"{c.name} {c.version or ''}".rstrip() + f"  ({c.purl or c.ref})")
        if a is None:
            continue
        lic = a.license
        lv = lic.value
        click.echo(
            f"  licence: {lv.expression if lv else None} → {lv.openness if lv else 'unknown'}"
            f"  [{lic.confidence}]"
        )
        for e in lic.evidence:
            click.echo(f"    - {e.detail}" + (f"  ({e.location})" if e.location else ""))
        ctl = a.controller
        cv = ctl.value
        who = f"{cv.name} ({cv.kind}), country {cv.country or 'unknown'}" if cv else "unknown"
        if cv and cv.ultimate and cv.ultimate != cv.name:
            who += f", ultimately {cv.ultimate}"
        click.echo(f"  controller: {who}  [{ctl.confidence}]")
        for e in ctl.evidence:
            click.echo(f"    - {e.detail}" + (f"  ({e.location})" if e.location else ""))
        click.echo(f"  jurisdiction: {a.jurisdiction}" + (f"  ({'; '.join(a.regimes)})" if a.regimes else ""))
        if a.service and a.service.value:
            s = a.service.value
            click.echo(f"  service: {s.name} operated by {s.operator} ({s.country or 'unknown'})")
            for e in a.service.evidence:
                click.echo(f"    - {e.detail}")
        for other in a.conflicts:
            click.echo(
                f"  conflicting {other.aspect} from {other.source}: {other.value}  [{other.confidence}]"
            )
        if m is not None:
            reach = "unknown (the SBOM has no dependency data)" if m.reach is None else str(m.reach)
            share = f" ({m.share:.1%} of the product)" if m.share is not None else ""
            click.echo(
                f"  reach: {reach}{share}; dominated: {m.dominated}; depth: {m.depth}; direct: {m.direct}"
            )
        for f in result.findings:
            if f.component == c.ref:
                click.echo(f"  finding {f.rule} [{f.severity}]: {f.message}")


@cli.command()
@click.argument("file")
@click.option(
    "--kb", "kb_files", multiple=True, type=click.Path(dir_okay=False), help="Extra organisations file."
)
def coverage(file: str, kb_files: tuple[str, ...]) -> None:
    """Share of FILE's components attributed (controller, licence) at each confidence."""
    from collections import Counter

    from souverain.pipeline import audit as run_audit

    kb = _kb({}, kb_files)
    result = run_audit(_load(file), kb=kb, reproducible=True).result
    n = len(result.components) or 1
    ctl: Counter[str] = Counter()
    lic: Counter[str] = Counter()
    for c in result.components:
        a = result.assessments[c.ref]
        ctl["unknown" if a.controller.value is None else str(a.controller.confidence)] += 1
        lic[
            "unknown"
            if a.license.value is None or a.license.value.expression is None
            else str(a.license.confidence)
        ] += 1
    click.echo(f"{file}: {len(result.components)} components")
    for title, counter in (("controller", ctl), ("licence", lic)):
        parts = [f"{k} {counter[k]} ({counter[k] / n:.1%})" for k in ("high", "medium", "low", "unknown")]
        click.echo(f"  {title}: " + ", ".join(parts))


@cli.group()
def kb() -> None:
    """Look into the knowledge base of organisations, jurisdictions and services."""


@kb.command("show")
@click.argument("query")
def kb_show(query: str) -> None:
    """Show the organisations matching QUERY (an id, a name or a purl)."""
    from souverain.knowledge import describe_organisation, kb_lookup, load_default

    base = load_default()
    found = kb_lookup(base, query)
    if not found:
        click.echo(f"no organisation matches {query!r}")
        # names, aliases and ids that contain the query, as suggestions ("react" → React Foundation)
        needle = query.strip().casefold()
        near = [
            o
            for o in base.organisations.values()
            if needle and any(needle in text.casefold() for text in (o.id, o.name, *o.aliases))
        ]
        near.sort(key=lambda o: o.name.casefold())
        if near:
            shown = ", ".join(f"{o.name} [{o.id}]" for o in near[:10])
            more = f" and {len(near) - 10} more" if len(near) > 10 else ""
            click.echo(f"names that contain it: {shown}{more}")
        sys.exit(EXIT_FINDINGS)
    for org in found:
        for line in describe_organisation(base, org):
            click.echo(line)
        click.echo("")


@kb.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def kb_validate(files: tuple[str, ...]) -> None:
    """Validate user organisations FILES (same schema as the shipped knowledge base)."""
    from souverain.knowledge import validate_file

    problems = [p for f in files for p in validate_file(Path(f))]
    for p in problems:
        click.echo(p)
    if problems:
        sys.exit(EXIT_INPUT)
    click.echo(f"{len(files)} file(s) valid")


@kb.command("stats")
def kb_stats() -> None:
    """Counts of the shipped knowledge base."""
    from souverain.knowledge import load_default

    for k, v in load_default().stats().items():
        click.echo(f"{k}: {v}")


@cli.group()
def cache() -> None:
    """Inspect or clear the cache of registry answers used by --online."""


@cache.command("info")
def cache_info_cmd() -> None:
    """Where the cache is and what it holds."""
    from souverain.cache import cache_info, default_cache_dir

    for k, v in cache_info(default_cache_dir(os.environ)).items():
        click.echo(f"{k}: {v}")


@cache.command("clear")
def cache_clear_cmd() -> None:
    """Delete every cached registry answer."""
    from souverain.cache import cache_clear, default_cache_dir

    removed = cache_clear(default_cache_dir(os.environ))
    click.echo(f"removed {removed} cached answers")


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------


@contextmanager
def _broken_pipe_guard() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        # The reader went away (`souverain … | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(EXIT_OK) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises, except SystemExit from click)."""
    verbose = "-v" in (argv or sys.argv[1:]) or "--verbose" in (argv or sys.argv[1:])
    try:
        with _broken_pipe_guard():
            cli.main(
                args=list(argv) if argv is not None else None, prog_name="souverain", standalone_mode=False
            )
    except click.exceptions.Abort:
        _echo_err("souverain: aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    except SouverainError as exc:
        _echo_err(f"souverain: error: {exc.diagnostics()}")
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        _echo_err("souverain: interrupted")
        return 130
    except Exception as exc:
        if verbose:
            traceback.print_exc()
        _echo_err(
            f"souverain: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in souverain; run again with --verbose for details and report it."
        )
        return EXIT_INTERNAL
    return EXIT_OK
