"""The reporter seam: one module per output format, each rendering an
:class:`~souverain.model.AuditResult` to a text stream. Reporters never compute findings.

Formats whose serialiser produces UTF-8 bytes (JSON, SARIF) also implement
:class:`BytesReporter`, so that a large report is written as it was serialised, without a
decode to ``str`` and an encode back (``write_reports`` prefers it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TextIO, runtime_checkable

from souverain.model import AuditResult


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options every reporter receives. ``lang`` is ``en`` or ``fr``; ``reproducible`` drops
    timestamps and anything else that changes between two runs on the same input; ``color`` and
    ``width`` only matter to the terminal; ``quiet`` asks for the verdict line only.
    ``source`` is the audited input as read (bytes), for a format that writes the input document
    back enriched (``cyclonedx``); None when the caller does not have it. Reporters never open
    files: the caller (the CLI) hands the bytes over."""

    lang: str = "en"
    reproducible: bool = False
    color: bool = False
    width: int = 100
    quiet: bool = False
    source: bytes | None = field(default=None, repr=False, compare=False)


class Reporter(Protocol):
    """An output format. ``name`` is the ``--format`` value, ``suffix`` the file suffix used
    with ``-o DIR``."""

    name: str
    suffix: str

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the report for ``result`` to ``out``."""
        ...


@runtime_checkable
class BytesReporter(Protocol):
    """A reporter that can also render straight to UTF-8 bytes (same content as ``render``)."""

    def render_bytes(self, result: AuditResult, options: RenderOptions) -> bytes:
        """The report for ``result``, UTF-8 encoded."""
        ...
