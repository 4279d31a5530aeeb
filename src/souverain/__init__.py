"""souverain: audit an SBOM for digital sovereignty.

Public API::

    from souverain import audit, load_sbom, Policy
    run = audit("bom.json", policy=Policy(home=("FR",), trusted=("EU", "EEA")))
    for finding in run.result.findings: ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["AuditResult", "Policy", "__version__", "audit", "load_sbom"]

if TYPE_CHECKING:
    from souverain.model import AuditResult, Policy
    from souverain.pipeline import audit
    from souverain.sbom import load_sbom


def __getattr__(name: str) -> Any:
    # Lazy: `import souverain` stays cheap (the CLI's --help must not load the licence database).
    if name == "audit":
        from souverain.pipeline import audit

        return audit
    if name == "load_sbom":
        from souverain.sbom import load_sbom

        return load_sbom
    if name in ("AuditResult", "Policy"):
        from souverain import model

        return getattr(model, name)
    raise AttributeError(name)
