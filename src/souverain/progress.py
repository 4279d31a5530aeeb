"""Progress reporting as an observer: the library publishes, the CLI draws (or nothing does)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress events from long-running stages. Implementations must be cheap."""

    def start(self, task: str, total: int | None) -> None:
        """A task begins; ``total`` is the number of steps when known."""

    def advance(self, task: str, steps: int = 1, **counters: int) -> None:
        """``steps`` more steps of ``task`` are done; ``counters`` carry extra counts
        (``cache_hits=1``, ``errors=1``)."""

    def finish(self, task: str) -> None:
        """The task ended."""


class NullProgress:
    """The default observer: ignores everything."""

    def start(self, task: str, total: int | None) -> None:
        """Ignore."""

    def advance(self, task: str, steps: int = 1, **counters: int) -> None:
        """Ignore."""

    def finish(self, task: str) -> None:
        """Ignore."""
