"""The licence enricher: licence and openness from the SBOM's own licence fields.

Each component yields exactly one ``license`` attribution whose value is a
:class:`~souverain.model.LicenseVerdict` (openness ``unknown`` when the SBOM says nothing). The
normalisation itself lives in :mod:`souverain.knowledge.licences` and is memoised per distinct
tuple of declared licences, so 100 000 components sharing 2 000 licence strings cost 2 000
resolutions; this module only anchors the evidence to the component's place in the SBOM.
"""

from __future__ import annotations

from souverain.enrich.base import EnrichContext
from souverain.knowledge.licences import LicenceIndex, default_index
from souverain.model import (
    Attribution,
    Component,
    Confidence,
    DeclaredLicense,
    Evidence,
    LicenseVerdict,
    slot_constructor,
)

__all__ = ["LicenceEnricher"]

_SPDX_FIELDS = frozenset(
    {"licenseDeclared", "licenseConcluded", "PackageLicenseDeclared", "PackageLicenseConcluded"}
)
_SPDX3_FIELDS = frozenset({"hasDeclaredLicense", "hasConcludedLicense"})  # sbom/spdx3_json.py


def _suffix(field: str) -> str:
    """Where a licence field sits in the SBOM, relative to the component's location:
    ``/licenseConcluded`` for SPDX (``/packages/3/licenseConcluded``), ``/licenses`` for
    CycloneDX (``/components/4/licenses``; field names such as ``license.name`` are kept in the
    evidence sentence), ``""`` when the evidence names no field (it sits at the component) or
    for SPDX 3, whose licences are relationships elsewhere in the graph (the evidence sentence
    names ``hasConcludedLicense``/``hasDeclaredLicense``)."""
    if not field or field in _SPDX3_FIELDS:
        return ""
    return f"/{field}" if field in _SPDX_FIELDS else "/licenses"


# One attribution and one or two evidence items per component: built through their slots.
_attribution = slot_constructor(Attribution)
_evidence = slot_constructor(Evidence)

#: How each evidence of a memoised verdict is placed in the SBOM: None keeps the evidence as
#: it is (knowledge-base evidence), else the suffix appended to the component's location.
_Plan = tuple[tuple[Evidence, str | None], ...]


def _plan(evidence: tuple[Evidence, ...]) -> _Plan:
    return tuple((e, None if e.source != "sbom" else _suffix(e.location)) for e in evidence)


class LicenceEnricher:
    """Enricher ``licence``: one ``license`` attribution per component from its declared
    licences. ``index`` defaults to the shared :func:`~souverain.knowledge.licences.default_index`."""

    name = "licence"

    def __init__(self, index: LicenceIndex | None = None) -> None:
        self._index = index
        # id(evidence tuple) → (that tuple, its plan). The index memoises one evidence tuple per
        # distinct declaration, so a few hundred plans serve 100k components; the tuple is kept
        # in the entry so that its id cannot be reused by another object while the entry lives.
        self._plans: dict[int, tuple[tuple[Evidence, ...], _Plan]] = {}

    def enrich(self, component: Component, ctx: EnrichContext) -> tuple[Attribution[LicenseVerdict]]:
        """The component's licence attribution (never nothing: unknown is an answer)."""
        index = self._index if self._index is not None else default_index()
        # A Debian package's licences come from its copyright file (DEP-5 short names).
        verdict, confidence, evidence = index.normalise(component.licenses, component.ecosystem == "deb")
        base = component.location
        if base:
            entry = self._plans.get(id(evidence))
            if entry is None or entry[0] is not evidence:
                if len(self._plans) >= 65536:  # an index that does not memoise: stay bounded
                    self._plans.clear()
                entry = self._plans[id(evidence)] = (evidence, _plan(evidence))
            evidence = tuple(
                [
                    e if suffix is None else _evidence("sbom", e.detail, base + suffix)
                    for e, suffix in entry[1]
                ]
            )
        # else: without a location every anchored evidence would equal the index's own (a component
        # without a location keeps the bare field names), so the memoised tuple is shared.
        return (_attribution("license", verdict, confidence, evidence, self.name),)

    def attributor(self) -> LicenceMemo:
        """What :meth:`enrich` gives (its one attribution, not in a tuple), as a function of
        the component memoised for the components of one run: see :class:`LicenceMemo`."""
        return LicenceMemo(self._index if self._index is not None else default_index(), self.name)


class LicenceMemo:
    """:meth:`LicenceEnricher.enrich` for the components of one run, memoised (call it with a
    component; the enrichment loop reads :attr:`plain`, :attr:`deb` and :meth:`entry` itself).

    Parsers share the :class:`DeclaredLicense` objects of equal statements (42 objects for the
    85,000 statements of a generated 100k CycloneDX SBOM, whose components hold 14,721 distinct
    tuples of them; none of the SPDX ones share their tuple), so the answer is memoised per
    *key* of the statements' ids (the id of the only statement, else the tuple of ids: no
    hashing of the licences themselves, each a dataclass hashed in Python). A new key goes
    through :meth:`LicenceEnricher.enrich`'s normalisation (memoised per equal tuple by the
    index, which then gives the same evidence tuple), and the answer is built once per evidence
    tuple: all that does not depend on where the component sits (the verdict, the confidence,
    the attribution of a component without a location, how to anchor the evidence, with the
    commonest case, one SBOM evidence and nothing from the knowledge base, ready to build).
    The tests compare it with :meth:`LicenceEnricher.enrich`."""

    __slots__ = ("_answers", "_index", "_name", "deb", "plain")

    def __init__(self, index: LicenceIndex, name: str) -> None:
        self._index = index
        self._name = name
        #: key of the statements → (their tuple, kept so that no id is reused while the entry
        #: lives, then its _Answer); one table per Debian flag.
        self.plain: dict[int | tuple[int, ...], _Entry] = {}
        self.deb: dict[int | tuple[int, ...], _Entry] = {}
        #: id(evidence tuple of the index) → its _Answer (which keeps the tuple, in ``bare``).
        self._answers: dict[int, _Answer] = {}

    def entry(
        self, declared: tuple[DeclaredLicense, ...], key: int | tuple[int, ...], debian: bool
    ) -> _Entry:
        """The memo entry of ``declared`` (``key`` its key), made and kept."""
        verdict, confidence, evidence = self._index.normalise(declared, debian)
        answers = self._answers
        answer = answers.get(id(evidence))
        if answer is None or answer[2].evidence is not evidence:
            if len(answers) >= _ID_MEMO_LIMIT:  # an index that does not memoise
                answers.clear()
            plan = _plan(evidence)
            bare = _attribution("license", verdict, confidence, evidence, self._name)
            single = len(plan) == 1 and plan[0][1] is not None
            answer = answers[id(evidence)] = (
                verdict,
                confidence,
                bare,
                plan,
                evidence[0].detail if single else None,
                plan[0][1] or "" if single else "",
            )
        memo = self.deb if debian else self.plain
        if len(memo) >= _ID_MEMO_LIMIT:
            memo.clear()
        new = memo[key] = (declared, *answer)
        return new

    def __call__(self, component: Component) -> Attribution[LicenseVerdict]:
        declared = component.licenses
        key = id(declared[0]) if len(declared) == 1 else tuple(map(id, declared))
        debian = component.ecosystem == "deb"
        hit = (self.deb if debian else self.plain).get(key) or self.entry(declared, key, debian)
        return self.anchored(hit, component.location)

    def anchored(self, hit: _Entry, base: str) -> Attribution[LicenseVerdict]:
        """The attribution of the memo entry ``hit`` for a component at ``base``."""
        if not base:
            return hit[3]
        if hit[5] is not None:
            return _attribution(
                "license", hit[1], hit[2], (_evidence("sbom", hit[5], base + hit[6]),), self._name
            )
        evidence = tuple(
            [e if suffix is None else _evidence("sbom", e.detail, base + suffix) for e, suffix in hit[4]]
        )
        return _attribution("license", hit[1], hit[2], evidence, self._name)


#: What the licence attributor keeps per distinct answer of the index: the verdict, the
#: confidence, the attribution of a component without a location, the plan of the evidence and,
#: when it is one SBOM evidence, its detail and suffix (else None, "").
_Answer = tuple[LicenseVerdict, Confidence, Attribution[LicenseVerdict], _Plan, str | None, str]
#: An entry of the attributor's memo: the declared statements (kept alive), then its _Answer.
_Entry = tuple[
    tuple[DeclaredLicense, ...],
    LicenseVerdict,
    Confidence,
    Attribution[LicenseVerdict],
    _Plan,
    str | None,
    str,
]
#: Beyond this many distinct tuples (a parser that shares none) a memo starts again.
_ID_MEMO_LIMIT = 1 << 18
