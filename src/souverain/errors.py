"""The error hierarchy. Every error souverain raises on purpose derives from :class:`SouverainError`,
carries an exit code and explains itself; the CLI catches this one root and prints
:meth:`SouverainError.diagnostics` instead of a traceback."""

from __future__ import annotations

from collections.abc import Sequence


class SouverainError(Exception):
    """Root of souverain's errors. ``exit_code`` is what the CLI exits with."""

    exit_code = 3

    def diagnostics(self) -> str:
        """A message for a person: what went wrong and, when known, where and what to do."""
        return str(self)


class InputError(SouverainError):
    """An input file (SBOM, policy, knowledge base, baseline) that cannot be read.

    ``path`` names the file, ``location`` the place in it (JSON pointer, ``line N``, XPath…),
    ``messages`` holds every problem found when more than one was collected.
    """

    exit_code = 3

    def __init__(
        self,
        path: str,
        message: str,
        *,
        location: str | None = None,
        messages: Sequence[str] = (),
    ) -> None:
        self.path = path
        self.location = location
        self.message = message
        self.messages = tuple(messages)
        super().__init__(self.diagnostics())

    def diagnostics(self) -> str:
        where = f"{self.path}: {self.location}: " if self.location else f"{self.path}: "
        lines = [where + self.message]
        lines.extend(f"  - {m}" for m in self.messages)
        return "\n".join(lines)


class NotAnSbomError(InputError):
    """The file is readable but is not an SBOM in any format souverain knows."""


class UnsupportedFormatError(InputError):
    """The format was recognised (e.g. CycloneDX) but its version or flavour is not supported."""


class PolicyError(InputError):
    """An invalid policy file or policy option; ``location`` names the key."""


class KnowledgeBaseError(InputError):
    """An invalid knowledge-base file; ``location`` names the entry."""


class NetworkError(SouverainError):
    """Online enrichment was required (``--require-online``) and failed; the cause is chained."""

    exit_code = 4
