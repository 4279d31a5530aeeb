"""The rule catalogue: unique stable ids, complete entries, and docs/findings.md in sync."""

from __future__ import annotations

import re
from pathlib import Path

from souverain.analyse.rules import RULES, RULES_BY_ID

DOCS = Path(__file__).resolve().parents[1] / "docs" / "findings.md"


def test_rule_ids_are_unique_and_well_formed() -> None:
    assert len(RULES_BY_ID) == len(RULES)
    assert all(re.fullmatch(r"SOV\d{3}", r.id) for r in RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    assert all(r.title and r.help and r.recommendation for r in RULES)


def test_every_rule_has_a_section_in_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (SOV\d{3})\b", text, flags=re.MULTILINE))
    missing = sorted(set(RULES_BY_ID) - headings)
    assert not missing, f"docs/findings.md lacks sections for {missing}"
    assert headings <= set(RULES_BY_ID), "docs/findings.md documents rules that do not exist"
