"""The message catalogue and the language chosen from the locale."""

from __future__ import annotations

import re

import pytest

from souverain.report import i18n
from souverain.report.i18n import default_lang, heading, keys, message, normalise_lang, translations


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_CA.UTF-8"}, "fr"),
        ({"LC_ALL": "fr_BE@euro", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US"}, "fr"),
        ({"LC_ALL": "", "LANG": "fr"}, "fr"),  # an empty variable does not count
        ({"LANG": "de_DE.UTF-8"}, "en"),  # unsupported → English
    ],
)
def test_default_lang_follows_posix_precedence(env: dict[str, str], expected: str) -> None:
    assert default_lang(env) == expected


def test_normalise_lang() -> None:
    assert normalise_lang("FR") == "fr"
    assert normalise_lang("fr-CA") == "fr"
    assert normalise_lang(None) == "en"
    assert normalise_lang("xx") == "en"


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    placeholder = re.compile(r"\{(\w+)\}")
    for key in keys():
        texts = i18n._CATALOGUE[key]
        assert set(texts) == set(i18n.LANGS), key
        assert set(placeholder.findall(texts["en"])) == set(placeholder.findall(texts["fr"])), key


def test_message_formats_and_falls_back() -> None:
    assert (
        message("fr", "verdict_fail", count=2, level="élevée")
        == "ÉCHEC : 2 constat(s) de gravité élevée ou plus"
    )
    assert message("de", "verdict_pass") == "PASS"
    with pytest.raises(KeyError):
        message("en", "no-such-key")


def test_heading_uses_french_typography() -> None:
    assert heading("en", "why") == "Why: "
    assert heading("fr", "why") == "Pourquoi\u00a0: "


def test_translations_cover_the_catalogue() -> None:
    assert set(translations("fr")) == keys()
    assert translations("fr")["search"] == "Filtrer les composants…"
