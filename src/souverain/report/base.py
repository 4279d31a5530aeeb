"""The reporter seam: one module per output format, each rendering an
:class:`~souverain.model.AuditResult` to a text stream. Reporters never compute findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from souverain.model import AuditResult


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options every reporter receives. ``lang`` is ``en`` or ``fr``; ``reproducible`` drops
    timestamps and anything else that changes between two runs on the same input; ``color`` and
    ``width`` only matter to the terminal; ``quiet`` asks for the verdict line only."""

    lang: str = "en"
    reproducible: bool = False
    color: bool = False
    width: int = 100
    quiet: bool = False


class Reporter(Protocol):
    """An output format. ``name`` is the ``--format`` value, ``suffix`` the file suffix used
    with ``-o DIR``."""

    name: str
    suffix: str

    def render(self, result: AuditResult, out: TextIO, options: RenderOptions) -> None:
        """Write the report for ``result`` to ``out``."""
        ...
