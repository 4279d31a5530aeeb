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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

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


_C = TypeVar("_C")


def slot_constructor(cls: type[_C]) -> Callable[..., _C]:
    """A positional constructor for a frozen, slotted dataclass that fills the slots through their
    descriptors: the same object as ``cls(...)``, built in about half the time.

    A frozen dataclass's ``__init__`` sets each field with ``object.__setattr__(self, name, v)``,
    which looks the name up on the class every time; enrichment builds several such objects per
    component (hundreds of thousands per large SBOM), so the hot paths use this instead. Only for
    classes whose ``__init__`` does nothing else: no ``__post_init__``, no default factories, no
    ``InitVar``; every argument must be given, in field order.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not hasattr(cls, "__slots__") or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a plain frozen, slotted dataclass")
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    scope.update({f"_set_{n}": getattr(cls, n).__set__ for n in names})
    body = "".join(f"    _set_{n}(o, {n})\n" for n in names)
    exec(f"def build({', '.join(names)}):\n    o = _new(_cls)\n{body}    return o\n", scope)  # noqa: S102
    build: Callable[..., _C] = scope["build"]
    build.__doc__ = f"``{cls.__name__}(...)`` with every field given positionally, built through its slots."
    return build
