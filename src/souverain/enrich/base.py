"""The enricher seam: every source of attributions implements :class:`Enricher`.

An enricher receives one component and an :class:`EnrichContext` and yields
:class:`~souverain.model.Attribution` values (``aspect`` = ``license``, ``controller`` or
``service``). Attributions from several enrichers are merged by :func:`merge`:

1. the highest confidence wins (``high`` > ``medium`` > ``low``);
2. on equal confidence, a known value beats an unknown (``None``) one;
3. still equal, the enricher that comes first in the pipeline order wins (the SBOM's own
   declarations come before the knowledge base, which comes before registries);
4. every other attribution with a *different* known value is kept as a conflict and reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from souverain.model import Attribution, Component, Policy
from souverain.progress import NullProgress, Progress

if TYPE_CHECKING:
    import requests

    from souverain.knowledge import KnowledgeBase

ASPECTS = ("license", "controller", "service")


@dataclass(frozen=True, slots=True)
class EnrichContext:
    """What an enricher may use. ``session`` is None offline; only registry enrichers use it."""

    kb: KnowledgeBase
    policy: Policy = field(default_factory=Policy)
    session: requests.Session | None = None
    progress: Progress = field(default_factory=NullProgress)
    options: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Enricher(Protocol):
    """A source of attributions. ``name`` appears in every attribution's ``source``."""

    name: str

    def enrich(self, component: Component, ctx: EnrichContext) -> Iterable[Attribution[Any]]:
        """Attributions for one component (possibly none)."""
        ...


@dataclass(frozen=True, slots=True)
class Merged:
    """The winning attribution of one aspect and the ones that disagreed with it."""

    winner: Attribution[Any]
    conflicts: tuple[Attribution[Any], ...] = ()


def _key(a: Attribution[Any]) -> tuple[int, int]:
    return (a.confidence.rank, 0 if a.value is None else 1)


def merge(attributions: Sequence[Attribution[Any]]) -> dict[str, Merged]:
    """Merge attributions (in pipeline order) aspect by aspect, by the rule in the module doc."""
    by_aspect: dict[str, list[Attribution[Any]]] = {}
    for a in attributions:
        by_aspect.setdefault(a.aspect, []).append(a)
    merged: dict[str, Merged] = {}
    for aspect, items in by_aspect.items():
        winner = items[0]
        for a in items[1:]:
            if _key(a) > _key(winner):
                winner = a
        conflicts = tuple(
            a for a in items if a is not winner and a.value is not None and a.value != winner.value
        )
        merged[aspect] = Merged(winner, conflicts)
    return merged


