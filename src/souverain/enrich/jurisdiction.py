"""A controller's country relative to the policy: home, trusted, foreign or unknown, and the
extraterritorial regimes of that country. Pure functions; bloc expansions are memoised per
knowledge base and code list."""

from __future__ import annotations

import functools

from souverain.knowledge import KnowledgeBase
from souverain.model import Jurisdiction, Policy


@functools.lru_cache(maxsize=256)
def _expanded(kb: KnowledgeBase, codes: tuple[str, ...]) -> frozenset[str]:
    return kb.expand(codes)


def home_countries(policy: Policy, kb: KnowledgeBase) -> frozenset[str]:
    """The policy's home countries with blocs expanded (ValueError on an unknown code)."""
    return _expanded(kb, tuple(policy.home))


def trusted_countries(policy: Policy, kb: KnowledgeBase) -> frozenset[str]:
    """The countries the policy trusts: its trusted list expanded, plus home."""
    return _expanded(kb, tuple(policy.trusted)) | home_countries(policy, kb)


def classify(country: str | None, policy: Policy, kb: KnowledgeBase) -> Jurisdiction:
    """``home`` when the country is in the expanded home list, ``trusted`` when in the expanded
    trusted list, ``foreign`` otherwise, ``unknown`` without a country."""
    if not country:
        return Jurisdiction.UNKNOWN
    code = country.upper()
    if code in home_countries(policy, kb):
        return Jurisdiction.HOME
    if code in trusted_countries(policy, kb):
        return Jurisdiction.TRUSTED
    return Jurisdiction.FOREIGN


def regimes_for(country: str | None, kb: KnowledgeBase) -> tuple[str, ...]:
    """The extraterritorial regimes of a country as text (``"US CLOUD Act (2018)"``)."""
    if not country:
        return ()
    return tuple(str(r) for r in kb.regimes(country))
