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

from souverain.model import Attribution, Component, Controller, ControllerKind, Policy
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


class OrgLike(Protocol):
    """What is read from a knowledge-base organisation (``souverain.knowledge.Organisation``)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> ControllerKind: ...
    @property
    def country(self) -> str | None: ...


class ChainLike(Protocol):
    """A knowledge base that follows parents (``KnowledgeBase.chain``)."""

    def chain(self, org_id: str) -> Sequence[OrgLike]: ...


def controller_of(kb: ChainLike, org: OrgLike) -> Controller:
    """The controller value for ``org``: its own name and kind, and the country of its ultimate
    owner, found by following parents (GitHub → Microsoft: country US). Shared by every enricher
    that names an organisation, so that all agree on what "the country" of a controller is."""
    chain = tuple(kb.chain(org.id)) or (org,)
    if chain[0].id != org.id:
        chain = (org, *chain)
    top = chain[-1]
    return Controller(
        name=org.name,
        kind=org.kind,
        org_id=org.id,
        country=top.country,
        ultimate=top.name,
        ultimate_id=top.id,
        chain=tuple(o.id for o in chain),
    )
