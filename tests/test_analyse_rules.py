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


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_rule_reads_in_french() -> None:
    for r in RULES:
        for what in ("title", "help", "recommendation"):
            fr, en = r.text(what, "fr"), r.text(what, "en")
            assert fr, (r.id, what)
            assert fr != en, (r.id, what)
            # French typography: a no-break space, never a plain one, before ':' and ';'
            assert " :" not in fr, (r.id, what)
            assert " ;" not in fr, (r.id, what)
            # Markdown code spans survive translation
            assert re.findall(r"`[^`]+`", fr) == re.findall(r"`[^`]+`", en), (r.id, what)
        assert r.text("title", "de") == r.title  # unknown language: English


def test_every_message_form_has_the_same_fields_in_both_languages() -> None:
    for r in RULES:
        assert r.messages, r.id
        assert r.message("") is not None  # every rule has a default form
        assert len({m.variant for m in r.messages}) == len(r.messages)
        for m in r.messages:
            assert set(PLACEHOLDER.findall(m.en)) == set(PLACEHOLDER.findall(m.fr)), (r.id, m.variant)
            assert m.template("fr") == m.fr
            assert m.template("xx") == m.en


def test_docs_give_the_french_title_and_recommendation_of_every_rule() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for r in RULES:
        section = text.split(f"## {r.id} ", 1)[1].split("\n## ", 1)[0]
        for what in ("title", "recommendation"):
            assert r.text(what, "fr").replace("\u00a0", " ") in section.replace("\u00a0", " "), (r.id, what)
