"""Jurisdiction classification with blocs, and the regimes of a country."""

from __future__ import annotations

import pytest

from souverain.enrich.jurisdiction import classify, home_countries, regimes_for, trusted_countries
from souverain.knowledge import load_default
from souverain.model import Jurisdiction, Policy


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("FR", Jurisdiction.HOME),
        ("de", Jurisdiction.HOME),
        ("NO", Jurisdiction.TRUSTED),  # EEA, not EU
        ("IS", Jurisdiction.TRUSTED),
        ("CH", Jurisdiction.FOREIGN),  # EFTA but not EEA
        ("GB", Jurisdiction.FOREIGN),
        ("US", Jurisdiction.FOREIGN),
        ("CN", Jurisdiction.FOREIGN),
        (None, Jurisdiction.UNKNOWN),
        ("", Jurisdiction.UNKNOWN),
    ],
)
def test_default_policy_home_eu_trusted_eea(country: str | None, expected: Jurisdiction) -> None:
    assert classify(country, Policy(), load_default()) is expected


def test_national_home_with_bloc_trust() -> None:
    policy = Policy(home=("FR",), trusted=("EU", "CH"))
    kb = load_default()
    assert classify("FR", policy, kb) is Jurisdiction.HOME
    assert classify("DE", policy, kb) is Jurisdiction.TRUSTED
    assert classify("CH", policy, kb) is Jurisdiction.TRUSTED
    assert classify("NO", policy, kb) is Jurisdiction.FOREIGN
    assert home_countries(policy, kb) == {"FR"}
    assert "FR" in trusted_countries(policy, kb)  # home is always trusted


def test_empty_trusted_list_still_trusts_home() -> None:
    policy = Policy(home=("EU",), trusted=())
    assert classify("IT", policy, load_default()) is Jurisdiction.HOME
    assert classify("NO", policy, load_default()) is Jurisdiction.FOREIGN


def test_unknown_code_in_policy_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="ATLANTIS"):
        classify("FR", Policy(home=("ATLANTIS",)), load_default())


def test_regimes_for() -> None:
    kb = load_default()
    us = regimes_for("US", kb)
    assert "US CLOUD Act (2018)" in us
    assert "US FISA section 702 (2008)" in us
    assert "CN National Intelligence Law (2017)" in regimes_for("cn", kb)
    assert regimes_for("FR", kb) == ()
    assert regimes_for(None, kb) == ()
