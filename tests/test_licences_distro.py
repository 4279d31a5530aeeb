"""Licence strings of Linux-distribution packages, as container SBOMs carry them (syft, trivy,
distro2sbom, tern): Debian copyright short names (DEP-5), Fedora/RHEL RPM License tags (legacy
Callaway abbreviations and the SPDX-migration forms), Alpine APKBUILD licence fields.

The strings are those written in real copyright files, spec files and APKBUILDs (see
docs/licences.md, "Linux distributions"); each case fixes the expression, openness and confidence,
and the cases that must stay unknown are as important as those that resolve."""

from __future__ import annotations

import pytest

from souverain.knowledge.licences import default_index, normalise
from souverain.model import Confidence, DeclaredLicense, Openness

OPEN, UNKNOWN = Openness.OPEN, Openness.UNKNOWN
HIGH, MEDIUM, LOW = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW


@pytest.mark.parametrize(
    ("text", "expression", "openness", "confidence"),
    [
        # operator words glued to the names by "_" or "-" (Debian copyright files)
        ("LGPLv3+_or_GPLv2+", "LGPL-3.0-or-later OR GPL-2.0-or-later", OPEN, MEDIUM),
        ("GPL-2+-or-X11", "GPL-2.0-or-later OR X11", OPEN, MEDIUM),
        ("GPL-2.0-only-or-MIT", "GPL-2.0-only OR MIT", OPEN, MEDIUM),
        # an exception glued to its licence
        ("GPL-3+-autoconf-exception", "GPL-3.0-or-later WITH Autoconf-exception-3.0", OPEN, MEDIUM),
        ("GPL-2+-autoconf-exception", "GPL-2.0-or-later WITH Autoconf-exception-2.0", OPEN, MEDIUM),
        ("GPL-2+-libtool-exception", "GPL-2.0-or-later WITH Libtool-exception", OPEN, MEDIUM),
        ("APACHE-2-LLVM-EXCEPTIONS", "Apache-2.0 WITH LLVM-exception", OPEN, MEDIUM),
        # an exception keyword carrying the exception's own version
        ("GPL-3+ with GCC-Runtime-3.1 exception", "GPL-3.0-or-later WITH GCC-exception-3.1", OPEN, MEDIUM),
        ("GPL-3+ with Bison-2.2 exception", "GPL-3.0-or-later WITH Bison-exception-2.2", OPEN, MEDIUM),
        # DEP-5: a comma before "and"/"or" lowers its precedence
        ("GPL-2+ or AFL-2.1, and Expat", "(GPL-2.0-or-later OR AFL-2.1) AND MIT", OPEN, MEDIUM),
        ("GPL-1+ or Artistic-1, and Zlib", "(GPL-1.0-or-later OR Artistic-1.0) AND Zlib", OPEN, MEDIUM),
        ("Apache-2.0, and MIT or 0BSD", "Apache-2.0 AND (MIT OR 0BSD)", OPEN, MEDIUM),
        ("MIT and BSD-2-clause, or GPL-2+", "(MIT AND BSD-2-Clause) OR GPL-2.0-or-later", OPEN, MEDIUM),
        # the same licence twice counts once
        ("BSD-3-clause and BSD-3-clause-generic", "BSD-3-Clause", OPEN, LOW),
        ("BSD-4-clause and BSD-4-clause-KTH", "BSD-4-Clause", OPEN, LOW),
        # "and/or": read as AND (never more open than either reading)
        ("ISC and/or LGPL-2.1+", "ISC AND LGPL-2.1-or-later", OPEN, MEDIUM),
        ("BSD-3-clause and/or GPL-3+", "BSD-3-Clause AND GPL-3.0-or-later", OPEN, MEDIUM),
        # families: a name without a version
        ("OpenLDAP", "LicenseRef-souverain-OLDAP-family", OPEN, LOW),
        ("Spencer", "LicenseRef-souverain-Spencer-family", OPEN, LOW),
        # public-domain dedications named after their author (the DEP-5 keyword, qualified)
        ("Plumb-PD", "LicenseRef-scancode-public-domain", OPEN, LOW),
        ("Kuchling-PD", "LicenseRef-scancode-public-domain", OPEN, LOW),
        ("solar-public-domain", "LicenseRef-scancode-public-domain", OPEN, LOW),
        ("SDBM-PUBLIC-DOMAIN", "LicenseRef-scancode-public-domain", OPEN, LOW),
        (
            "LGPL-2.1+ and Kuchling-PD and Plumb-PD",
            "LGPL-2.1-or-later AND LicenseRef-scancode-public-domain",
            OPEN,
            LOW,
        ),
        # Creative Commons ports
        ("CC-BY-SA-3.0-Unported", "CC-BY-SA-3.0", OPEN, MEDIUM),
        ("CC-BY-3.0-US", "CC-BY-3.0-US", OPEN, HIGH),
        ("CC-BY-SA-3.0-US", "CC-BY-SA-3.0", OPEN, LOW),
        ("CC-BY-SA-3.0-DE", "CC-BY-SA-3.0-DE", OPEN, HIGH),
        # Fedora/RHEL RPM License tags: legacy (Callaway) abbreviations
        ("GPLv2+ and LGPLv2+", "GPL-2.0-or-later AND LGPL-2.0-or-later", OPEN, HIGH),
        ("GPL+", "GPL-1.0-or-later", OPEN, MEDIUM),
        ("GPL+ or Artistic", "GPL-1.0-or-later OR LicenseRef-souverain-Artistic-family", OPEN, LOW),
        ("ASL 2.0", "Apache-2.0", OPEN, HIGH),
        ("ASL 1.1", "Apache-1.1", OPEN, HIGH),
        ("MPLv1.1", "MPL-1.1", OPEN, MEDIUM),
        ("Public Domain", "LicenseRef-scancode-public-domain", OPEN, MEDIUM),
        ("BSD with advertising", "BSD-4-Clause", OPEN, MEDIUM),
        ("MIT with advertising", "MIT-advertising", OPEN, MEDIUM),
        ("GPLv2+ with exceptions", "GPL-2.0-or-later", OPEN, LOW),
        ("LGPLv2+ with exceptions", "LGPL-2.0-or-later", OPEN, LOW),
        ("(MPLv1.1 or GPLv2+ or LGPLv2+) and BSD",
         "(MPL-1.1 OR GPL-2.0-or-later OR LGPL-2.0-or-later) AND LicenseRef-souverain-BSD-family", OPEN, LOW),
        ("AFL", "LicenseRef-souverain-AFL-family", OPEN, LOW),
        ("EPL", "LicenseRef-souverain-EPL-family", OPEN, LOW),
        ("OFL", "LicenseRef-souverain-OFL-family", OPEN, LOW),
        # Fedora's SPDX migration: valid SPDX, and LicenseRef-Callaway-<legacy name>
        ("Apache-2.0 AND (Apache-2.0 WITH LLVM-exception OR NCSA)",
         "Apache-2.0 AND (Apache-2.0 WITH LLVM-exception OR NCSA)", OPEN, HIGH),
        ("LicenseRef-Fedora-Public-Domain", "LicenseRef-scancode-public-domain", OPEN, HIGH),
        ("LicenseRef-Callaway-MIT", "MIT", OPEN, MEDIUM),
        ("LicenseRef-Callaway-BSD", "LicenseRef-souverain-BSD-family", OPEN, LOW),
        ("LicenseRef-Callaway-LGPLv2+", "LGPL-2.0-or-later", OPEN, MEDIUM),
        ("GPL-2.0-or-later AND LicenseRef-Callaway-MIT", "GPL-2.0-or-later AND MIT", OPEN, MEDIUM),
        # Alpine APKBUILD: SPDX expressions, and legacy space-separated lists of ids
        ("GPL-2.0-or-later AND MIT", "GPL-2.0-or-later AND MIT", OPEN, HIGH),
        ("BSD-3-Clause OR GPL-2.0-only", "BSD-3-Clause OR GPL-2.0-only", OPEN, HIGH),
        ("GPL2+", "GPL-2.0-or-later", OPEN, HIGH),
        ("Apache-2.0 BSD-3-Clause", "Apache-2.0 AND BSD-3-Clause", OPEN, MEDIUM),
        ("MIT ISC Zlib", "MIT AND ISC AND Zlib", OPEN, MEDIUM),
    ],
)
def test_distribution_strings_resolve(
    text: str, expression: str, openness: Openness, confidence: Confidence
) -> None:
    res = default_index().resolve_text(text)
    assert not res.unresolved, (text, res.details)
    assert res.expression == expression, (text, res.details)
    assert (res.ev.openness or UNKNOWN) == openness, (text, res.details)
    assert res.confidence == confidence, (text, res.details)


@pytest.mark.parametrize(
    "text",
    [
        "LPGL-2.1+",  # a typo of LGPL: not corrected by guess
        "non-PD",
        "not-public-domain",
        "UC",  # package-local short names (vim), whose text the SBOM does not carry
        "XPM",
        "OldBoost2",
        "ellis-and-grant",  # "-and-" inside a name, no licence on either side
        "foo_or_bar",
        "MIT_or_Frob",  # one side not understood: not read as an MIT variant either
        "GPL-2+-noncommercial-exception",  # an "exception" hinting at a restriction
        "Apache-2.0 MIT frob",  # not a list of ids
        "BSD-style licence for foo",
        "LicenseRef-Callaway-Frob",
        "Permission is hereby granted, free of charge, to any person obtaining",  # MIT's opening, and JSON's
        # every BSD licence opens so, the no-nuclear ones too
        "Redistribution and use in source and binary forms, with or without",
        "This software is provided 'as-is', without any express or implied",  # a disclaimer, not a grant
    ],
)
def test_distribution_strings_that_stay_unknown(text: str) -> None:
    res = default_index().resolve_text(text)
    assert res.unresolved, (text, res.expression, res.details)
    assert res.confidence == LOW


@pytest.mark.parametrize(
    ("text", "expression", "openness"),
    [
        # a port keeps the class of what it adapts: a non-commercial licence stays not open
        ("CC-BY-NC-3.0-US", "CC-BY-NC-3.0", Openness.SOURCE_AVAILABLE),
        ("CC-BY-NC-SA-2.0-IT", "CC-BY-NC-SA-2.0", Openness.SOURCE_AVAILABLE),
        # "probably-PD" stays a label of the maintainer's doubt, not a dedication
        ("probably-PD", "LicenseRef-scancode-unknown", UNKNOWN),
        # a list keeps its unknown part unknown, whatever the operator precedence
        (
            "GPL-1+ or Artistic, and Frobnicate-License",
            "GPL-1.0-or-later OR LicenseRef-souverain-Artistic-family",
            UNKNOWN,
        ),
    ],
)
def test_distribution_strings_never_wrongly_open(text: str, expression: str, openness: Openness) -> None:
    res = default_index().resolve_text(text)
    assert res.expression == expression, (text, res.details)
    assert (res.ev.openness or UNKNOWN) == openness, (text, res.details)
    assert res.confidence == LOW


def test_autoconf_data_keyword_keeps_the_licence_class_only() -> None:
    """Debian's "Autoconf-data" names different texts in different packages (findutils: SPDX
    Autoconf-exception-generic; curl: Autoconf-exception-macro): it is not mapped to either."""
    for text, key in (
        ("GPL-2+ with Autoconf-data exception", "GPL-2.0-or-later"),
        ("GPL-3+ with Autoconf-data exception", "GPL-3.0-or-later"),
    ):
        res = default_index().resolve_text(text)
        assert res.expression == key
        assert not res.unresolved
        assert res.confidence == LOW
        assert any("Autoconf-data" in d and "not a standard keyword" in d for d in res.details)


def test_evidence_says_how_the_string_was_read() -> None:
    ix = default_index()
    glued = ix.resolve_text("LGPLv3+_or_GPLv2+")
    assert any("operator words joined" in d for d in glued.details)
    comma = ix.resolve_text("GPL-2+ or AFL-2.1, and Expat")
    assert any("lowest precedence" in d for d in comma.details)
    twice = ix.resolve_text("BSD-3-clause and BSD-3-clause-generic")
    assert any("counted once" in d for d in twice.details)
    callaway = ix.resolve_text("LicenseRef-Callaway-MIT")
    assert any("Fedora" in d and "legacy short name" in d for d in callaway.details)
    unnamed = ix.resolve_text("GPLv2+ with exceptions")
    assert any("not named" in d for d in unnamed.details)
    port = ix.resolve_text("CC-BY-SA-3.0-US")
    assert any("port" in d and "no id" in d for d in port.details)
    pd = ix.resolve_text("Plumb-PD")
    assert any("variant of LicenseRef-scancode-public-domain" in d for d in pd.details)


def test_debian_package_lists_with_local_names() -> None:
    """On a Debian package the names local to its copyright file stay named, unknown."""
    verdict, confidence, _ = normalise([DeclaredLicense("name", "BSL-1.0, OldBoost2, Spencer")], debian=True)
    expected = "BSL-1.0 AND LicenseRef-souverain-Spencer-family AND LicenseRef-debian-OldBoost2"
    assert verdict.expression == expected
    assert verdict.openness == UNKNOWN
    assert confidence == LOW
