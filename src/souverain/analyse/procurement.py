"""Procurement review: how complete a supplier's SBOM is for a sovereignty audit, and the
questions to send back, one per gap, grouped by component.

The checked fields follow the NTIA minimum elements (supplier, component name, version, other
unique identifiers, dependency relationship, SBOM author, timestamp) and BSI TR-03183-2
(component creator contact, distribution licences, SHA-512 hash, SBOM URI…), plus what this
audit needs on top: the supplier's country. Fields the parsed model does not carry (component
filenames, executable/archive properties) are listed in ``not_checked`` rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from souverain.knowledge.licences import carries_information
from souverain.model import Assessment, Component, ParsedSbom, SbomFormat

NTIA = "NTIA"
BSI = "BSI TR-03183-2"
SOV = "souverain"

SUPPLIER_ROLES = frozenset({"supplier", "manufacturer", "publisher"})


@dataclass(frozen=True, slots=True)
class Question:
    """One gap and the question that fills it. ``field`` is a stable key (``supplier``,
    ``hash``…), ``standards`` the requirements it comes from."""

    field: str
    text: str
    standards: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComponentQuestions:
    """The questions about one component."""

    ref: str
    name: str
    version: str | None
    purl: str | None
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True)
class FieldCoverage:
    """How many components carry a field."""

    field: str
    label: str
    present: int
    total: int
    standards: tuple[str, ...]

    @property
    def ratio(self) -> float:
        """present / total (1.0 for an empty SBOM)."""
        return self.present / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class ProcurementReview:
    """Completeness score (0–100), per-field coverage, document-level questions and
    component questions (SBOM order, components without gaps left out)."""

    score: int
    components: int
    coverage: tuple[FieldCoverage, ...]
    document: tuple[Question, ...]
    by_component: tuple[ComponentQuestions, ...]
    not_checked: tuple[str, ...]

    @property
    def question_count(self) -> int:
        """Total number of questions."""
        return len(self.document) + sum(len(c.questions) for c in self.by_component)


@dataclass(frozen=True, slots=True)
class _Check:
    field: str
    label: str
    standards: tuple[str, ...]
    present: Callable[[Component], bool]
    question: str  # {name} is replaced by the component's name and version


def _suppliers(c: Component) -> list[str]:
    return [p.name for p in c.parties if p.role in SUPPLIER_ROLES and p.name]


COMPONENT_CHECKS: tuple[_Check, ...] = (
    _Check("supplier", "supplier name", (NTIA, BSI), lambda c: bool(_suppliers(c)),
           "Who supplies {name} (the organisation that publishes or manufactures it)?"),
    _Check("supplier_country", "supplier country", (SOV,),
           lambda c: any(p.country for p in c.parties if p.role in SUPPLIER_ROLES),
           "In which country is the supplier of {name} established (and its ultimate parent)?"),
    _Check("creator_contact", "creator e-mail or URL", (BSI,),
           lambda c: any((p.emails or p.urls) for p in c.parties),
           "What is the contact (e-mail or URL) of the creator of {name}?"),
    _Check("version", "version", (NTIA, BSI), lambda c: bool(c.version),
           "Which version of {name} is delivered?"),
    _Check("identifier", "unique identifier (purl or CPE)", (NTIA, BSI), lambda c: bool(c.purl or c.cpe),
           "What is the package URL (purl) or CPE of {name}?"),
    _Check("licence", "licence", (BSI,), lambda c: any(carries_information(lic.value) for lic in c.licenses),
           "Under which licence (SPDX identifier or expression) is {name} distributed to us?"),
    _Check("hash", "hash", (BSI,), lambda c: bool(c.hashes),
           "What is the checksum of the delivered {name}?"),
    _Check("sha512", "SHA-512 hash", (BSI,),
           lambda c: any(h.alg.replace("-", "").upper() == "SHA512" for h in c.hashes),
           "What is the SHA-512 hash of the delivered {name}?"),
)

NOT_CHECKED = (
    "component filename, executable/archive/structured properties (BSI): not carried by the parsed model",
)


def _label(c: Component) -> str:
    name = f"{c.group}/{c.name}" if c.group else c.name
    return f"{name} {c.version}" if c.version else name


def _spec_ok(sbom: ParsedSbom) -> bool:
    """BSI TR-03183-2 v2.1 asks for CycloneDX ≥ 1.6 or SPDX ≥ 3.0.1."""
    try:
        parts = tuple(int(x) for x in sbom.spec_version.removeprefix("SPDX-").split(".")[:3])
    except ValueError:
        return False
    if sbom.format in (SbomFormat.CYCLONEDX_JSON, SbomFormat.CYCLONEDX_XML):
        return parts[:2] >= (1, 6)
    return parts >= (3, 0, 1)  # SPDX 3.0.0 is below the floor; 3.1 passes


def _document_questions(sbom: ParsedSbom) -> tuple[list[Question], int]:
    """Document-level questions and the number of document checks made."""
    out: list[Question] = []
    checks = 0
    checks += 1
    if not sbom.has_dependency_data:
        out.append(Question("dependencies", "Please provide the dependency relationships between the "
                            "components (which component depends on which).", (NTIA, BSI)))
    checks += 1
    if sbom.root is None:
        out.append(Question("primary_component", "Which component does this SBOM describe (the "
                            "delivered product: name, version, supplier)?", (BSI,)))
    checks += 1
    if not sbom.authors:
        out.append(Question("sbom_author", "Who is the author of this SBOM (the person or organisation "
                            "that produced it, with a contact)?", (NTIA, BSI)))
    checks += 1
    if not sbom.timestamp:
        out.append(Question("timestamp", "When was this SBOM produced (date and time)?", (NTIA, BSI)))
    checks += 1
    if not sbom.serial_number:
        out.append(Question("sbom_uri", "Please give the SBOM a unique identifier (CycloneDX "
                            "serialNumber, SPDX document namespace).", (BSI,)))
    checks += 1
    if not _spec_ok(sbom):
        out.append(Question("format", f"The SBOM is {sbom.format.value} {sbom.spec_version}; can you "
                            "deliver CycloneDX 1.6 or later (or SPDX 3.0.1 or later)?", (BSI,)))
    checks += 1
    if sbom.skipped:
        out.append(Question("readability", f"{len(sbom.skipped)} entries of the SBOM could not be read "
                            f"(first: {sbom.skipped[0].location}: {sbom.skipped[0].reason}); can you "
                            "correct them?", (SOV,)))
    return out, checks


def procurement_review(
    sbom: ParsedSbom, assessments: Mapping[str, Assessment] | None = None
) -> ProcurementReview:
    """Score the completeness of a supplier's SBOM and list the questions to send back.

    Score = 75 × mean per-component completeness + 25 × share of document checks passed. With
    ``assessments``, a supplier-country question says what souverain inferred, so the supplier
    only has to confirm it.
    """
    assessments = assessments or {}
    components = [c for c in sbom.components if sbom.root is None or c.ref != sbom.root.ref]
    present = dict.fromkeys((k.field for k in COMPONENT_CHECKS), 0)
    grouped: list[ComponentQuestions] = []
    completeness = 0.0
    for c in components:
        questions: list[Question] = []
        for check in COMPONENT_CHECKS:
            if check.present(c):
                present[check.field] += 1
                continue
            if check.field == "sha512" and not c.hashes:
                continue  # one hash question is enough
            text = check.question.format(name=_label(c))
            if check.field == "supplier_country":
                a = assessments.get(c.ref)
                ctl = a.controller.value if a is not None else None
                if ctl is not None and ctl.country:
                    who = ctl.ultimate or ctl.name or "its controller"
                    text += f" (souverain inferred {who}, {ctl.country}: please confirm.)"
            questions.append(Question(check.field, text, check.standards))
        completeness += 1 - len(questions) / len(COMPONENT_CHECKS)
        if questions:
            grouped.append(ComponentQuestions(c.ref, c.name, c.version, c.purl, tuple(questions)))
    document, doc_checks = _document_questions(sbom)
    comp_score = completeness / len(components) if components else 0.0
    doc_score = 1 - len(document) / doc_checks
    coverage = tuple(
        FieldCoverage(k.field, k.label, present[k.field], len(components), k.standards)
        for k in COMPONENT_CHECKS
    )
    return ProcurementReview(
        score=round(100 * (0.75 * comp_score + 0.25 * doc_score)),
        components=len(components),
        coverage=coverage,
        document=tuple(document),
        by_component=tuple(grouped),
        not_checked=NOT_CHECKED,
    )


_TEXT = {
    "en": {
        "title": "Procurement review of the SBOM",
        "score": "Completeness score: {score}/100 ({n} components, {q} questions)",
        "coverage": "Field coverage",
        "document": "Questions about the document",
        "components": "Questions by component",
        "not_checked": "Not checked",
    },
    "fr": {
        "title": "Revue achats du SBOM",
        "score": "Score de complétude : {score}/100 ({n} composants, {q} questions)",
        "coverage": "Couverture des champs",
        "document": "Questions sur le document",
        "components": "Questions par composant",
        "not_checked": "Non vérifié",
    },
}


def render_review(review: ProcurementReview, *, lang: str = "en") -> str:
    """Plain-text rendering of a review (headings in English or French; questions in English,
    the language of supplier exchanges)."""
    t = _TEXT.get(lang, _TEXT["en"])
    lines = [t["title"], "", t["score"].format(score=review.score, n=review.components,
                                               q=review.question_count), "", t["coverage"] + ":"]
    lines.extend(
        f"  {c.label}: {c.present}/{c.total} ({c.ratio:.0%}) [{', '.join(c.standards)}]"
        for c in review.coverage
    )
    if review.document:
        lines += ["", t["document"] + ":"]
        lines += [f"  - {q.text} [{', '.join(q.standards)}]" for q in review.document]
    if review.by_component:
        lines += ["", t["components"] + ":"]
        for cq in review.by_component:
            lines.append(f"  {cq.purl or cq.ref}:")
            lines += [f"    - {q.text}" for q in cq.questions]
    lines += ["", t["not_checked"] + ":"] + [f"  - {n}" for n in review.not_checked]
    return "\n".join(lines) + "\n"
