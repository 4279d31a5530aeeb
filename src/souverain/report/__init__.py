"""Reporters: one module per output format and :data:`REPORTERS`, the one source of the
``--format`` choices (``click.Choice(sorted(REPORTERS))``).

:func:`write_reports` writes one or several formats to stdout, to one file or to a directory,
each file atomically (temporary file in the same directory, then :func:`os.replace`).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from souverain.errors import InputError
from souverain.model import AuditResult
from souverain.report import cyclonedx, html, json, markdown, sarif, terminal
from souverain.report.base import BytesReporter, RenderOptions, Reporter

__all__ = ["REPORTERS", "RenderOptions", "Reporter", "get_reporter", "report_filename", "write_reports"]

REPORTERS: dict[str, Reporter] = {
    r.name: r
    for r in (
        terminal.REPORTER,
        json.REPORTER,
        sarif.REPORTER,
        markdown.REPORTER,
        html.REPORTER,
        cyclonedx.REPORTER,
    )
}
"""Every output format by its ``--format`` name."""

REPORT_STEM = "souverain-report"


def get_reporter(name: str) -> Reporter:
    """The reporter for ``--format name``; ValueError naming the known formats otherwise."""
    try:
        return REPORTERS[name]
    except KeyError:
        known = ", ".join(sorted(REPORTERS))
        raise ValueError(f"unknown report format {name!r} (known: {known})") from None


def report_filename(name: str) -> str:
    """``souverain-report.<suffix>`` for a format (the file name used with ``-o DIR``)."""
    return f"{REPORT_STEM}.{get_reporter(name).suffix}"


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory + os.replace."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:  # mkstemp makes the file private; a report keeps the mode of the file it replaces
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _render(name: str, result: AuditResult, options: RenderOptions) -> bytes:
    """One report as UTF-8 bytes: straight from the serialiser when the format can."""
    reporter = get_reporter(name)
    if isinstance(reporter, BytesReporter):
        return reporter.render_bytes(result, options)
    buf = io.StringIO()
    reporter.render(result, buf, options)
    return buf.getvalue().encode("utf-8")


def _write_stream(stream: TextIO, data: bytes) -> None:
    """Write a rendered report to a text stream: to its byte buffer when it has one."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8"))
        return
    stream.flush()  # what was written as text before stays in front
    buffer.write(data)
    buffer.flush()


def write_reports(
    result: AuditResult,
    formats: Sequence[str],
    out_dir: Path | None,
    stdout: TextIO,
    options: RenderOptions,
) -> list[Path]:
    """Render ``result`` in each of ``formats`` and return the files written.

    - ``out_dir`` None: every format goes to ``stdout``, in order (nothing written to disk);
    - ``out_dir`` an existing directory, or several formats: ``souverain-report.<suffix>`` per
      format in that directory (created when missing);
    - one format and ``out_dir`` not a directory: that file.

    Every report is rendered before the first file is replaced, so a failing format leaves no
    half-updated set. Unknown formats raise ValueError before anything is rendered.
    ``options.quiet`` shortens what goes to ``stdout`` only: a file is always the whole report.
    """
    names = list(dict.fromkeys(formats))
    for n in names:
        get_reporter(n)
    if not names:
        return []
    if out_dir is not None and options.quiet:
        options = replace(options, quiet=False)
    rendered = [(n, _render(n, result, options)) for n in names]
    if out_dir is None:
        for _, data in rendered:
            _write_stream(stdout, data)
        return []
    try:
        if len(names) > 1 or out_dir.is_dir():
            out_dir.mkdir(parents=True, exist_ok=True)
            targets = [out_dir / report_filename(n) for n in names]
        else:
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            targets = [out_dir]
        for target, (_, data) in zip(targets, rendered, strict=True):
            _write_atomic(target, data)
    except OSError as exc:
        raise InputError(str(out_dir), f"cannot write the report: {exc.strerror or exc}") from exc
    return targets
