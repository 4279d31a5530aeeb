"""The terminal summary: verdict, score, exposure bars, choke points; inert against hostile text."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from souverain.model import Component, Policy, Severity
from souverain.pipeline import audit

from tests.conftest import fixture_path
from tests.report_data import (
    HOSTILE_NAME,
    HOSTILE_VERSION,
    assert_snapshot,
    make_result,
    render,
    without_findings,
)

ANSI = re.compile(r"\x1b\[")


def test_verdict_counts_non_waived_findings_at_or_above_fail_on() -> None:
    text = render("terminal")
    # critical ojdbc + high aliyun; the high elastic finding is waived
    assert text.splitlines()[0] == "FAIL: 2 finding(s) at or above high"
    assert "Sovereignty score 58/100" in text


def test_pass_and_report_only_verdicts() -> None:
    assert render("terminal", without_findings()).startswith("PASS: no finding at or above high")
    lenient = replace(make_result(), policy=Policy(fail_on=Severity.CRITICAL))
    assert render("terminal", lenient).startswith("FAIL: 1 finding(s) at or above critical")
    no_threshold = replace(make_result(), policy=Policy(fail_on=None))
    assert render("terminal", no_threshold).startswith("REPORT: 6 finding(s)")


def test_quiet_prints_the_verdict_line_only() -> None:
    assert render("terminal", quiet=True) == "FAIL: 2 finding(s) at or above high\n"


def test_exposure_bars_and_choke_points() -> None:
    text = render("terminal")
    us = next(line for line in text.splitlines() if line.strip().startswith("US "))
    cn = next(line for line in text.splitlines() if line.strip().startswith("CN "))
    assert us.rstrip().endswith("60%")
    assert cn.rstrip().endswith("27%")
    assert us.count("█") > cn.count("█") > 0
    assert "ojdbc11@23.3.0.23.09" in text
    assert "What to do: Negotiate contractual guarantees" in text
    assert "waived: Support contract with Elastic" in text
    assert "✓ SOV003 aws-sdk-s3" in text


def test_french() -> None:
    text = render("terminal", lang="fr", width=160)
    assert text.startswith("ÉCHEC : 2 constat(s) de gravité élevée ou plus")
    assert "Que faire\u00a0: Négocier des garanties contractuelles" in text
    assert "SOV001 Point d'étranglement propriétaire sous juridiction étrangère" in text


def test_width_is_respected() -> None:
    for width in (60, 100, 160):
        lines = render("terminal", width=width).splitlines()
        assert max(len(line) for line in lines) <= width
    assert len(render("terminal", width=60).splitlines()) > len(render("terminal", width=160).splitlines())


def test_no_colour_means_no_escape_sequences() -> None:
    assert not ANSI.search(render("terminal"))


def test_colour_is_used_but_hostile_text_cannot_inject_markup_or_escapes() -> None:
    text = render("terminal", color=True)
    assert ANSI.search(text), "colour requested: rich should emit SGR sequences"
    # the hostile evidence holds "[bold red]x[/]" (rich markup) and a raw ESC[31m sequence
    assert "[bold red]x[/]" in text
    plain = ANSI.sub("", text)
    assert "\x1b" not in plain
    assert render("terminal").count("[bold red]x[/]") == 1


def test_hostile_names_are_printed_literally_without_control_characters() -> None:
    text = render("terminal")
    assert HOSTILE_NAME in text
    assert HOSTILE_VERSION in text
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", text.replace("\n", ""))


def test_snapshot() -> None:
    assert_snapshot("report.txt", render("terminal"))
    assert_snapshot("report.fr.txt", render("terminal", lang="fr"))


def test_findings_about_the_whole_sbom_are_shown_not_just_counted() -> None:
    # a real container SBOM without dependency data: every finding is about the SBOM as a whole
    result = audit(fixture_path("cdx-1.4_mongo-container_syft.json"), reproducible=True).result
    sbom_wide = [f for f in result.findings if f.component is None]
    assert sbom_wide
    assert len(sbom_wide) == len(result.findings)
    text = render("terminal", result, width=200)
    assert "No findings." not in text
    assert "No single component is a choke point" in text
    assert "more finding(s)" not in text
    section = text.split("About the whole SBOM", 1)[1]
    for f in sbom_wide:  # each one with its rule, title and what to do
        assert f"{f.rule} {f.title}" in section
        assert f.recommendation.split("(")[0].strip() in section.replace("\n", " ")


@pytest.mark.parametrize(("fmt", "end"), [("terminal", "About the whole SBOM"), ("markdown", "### Findings")])
def test_info_findings_about_components_are_no_choke_points(fmt: str, end: str) -> None:
    # Trivy's nats-box container: every component finding is at info (aggregates: an OS and Go
    # binaries standing for the packages found in them)
    result = audit(fixture_path("cdx-1.5_nats-box-container_trivy.json"), reproducible=True).result
    about_components = [f for f in result.findings if f.component is not None]
    assert about_components
    assert all(f.severity is Severity.INFO for f in about_components)
    text = render(fmt, result, width=200)
    section = text.split("Top choke points", 1)[1].split(end, 1)[0]
    assert "No single component is a choke point" in section
    assert "usr/local/bin/nsc" not in section
    if fmt == "terminal":  # counted
        assert f"{len(about_components)} more finding(s)" in section
    else:  # listed in the table of findings
        assert "usr/local/bin/nsc" in text


@pytest.mark.parametrize(
    ("name", "purl", "ecosystem", "namespace", "expected"),
    [
        # cdxgen writes the scope in the group, npm's own SBOM in the name: one label
        (
            "storage",
            "pkg:npm/%40google-cloud/storage@7.22.0",
            "npm",
            "@google-cloud",
            "@google-cloud/storage@7.22.0",
        ),
        (
            "@google-cloud/storage",
            "pkg:npm/%40google-cloud/storage@7.22.0",
            "npm",
            "@google-cloud",
            "@google-cloud/storage@7.22.0",
        ),
        (
            "framework",
            "pkg:composer/laravel/framework@7.12.0",
            "composer",
            "laravel",
            "laravel/framework@7.12.0",
        ),
        ("lodash", "pkg:npm/lodash@4.17.21", "npm", None, "lodash@4.17.21"),
        # a Maven group is not part of how people name the artifact
        (
            "jersey-client",
            "pkg:maven/org.glassfish/jersey-client@2.0",
            "maven",
            "org.glassfish",
            "jersey-client@2.0",
        ),
    ],
)
def test_labels_name_scoped_packages_as_their_package_manager_does(
    name: str, purl: str, ecosystem: str, namespace: str | None, expected: str
) -> None:
    from souverain.report import _view

    version = purl.rpartition("@")[2]
    c = Component(ref="r", name=name, version=version, purl=purl, ecosystem=ecosystem, namespace=namespace)
    assert _view.label(c, "r") == expected


def test_findings_about_one_service_are_one_choke_point() -> None:
    """npm's own SBOM of a project using four cloud SDKs: the AWS SDK's packages are one risk
    (bound to Amazon Web Services), shown once with the others named under it, so the top of the
    list shows each cloud provider; every one of them is still a finding of its own."""
    from souverain.report import _view

    result = audit(fixture_path("generated/cdx-1.5_npm-cli_cloud-sdks.json"), reproducible=True).result
    groups = _view.top_choke_point_groups(result, 5)
    heads = [head for head, _ in groups]
    assert heads == list(_view.top_choke_points(result, 5))
    keys = [_view.alike_key(f) for f in heads]
    assert len({k for k in keys if k is not None}) == len([k for k in keys if k is not None])
    services = {str(f.params.get("service")) for f in heads if f.rule == "SOV003"}
    assert {"Amazon Web Services", "Microsoft Azure", "Google Cloud", "Stripe"} <= services
    aws = next(alike for head, alike in groups if head.params.get("service") == "Amazon Web Services")
    every_aws = [
        f for f in result.findings if f.rule == "SOV003" and f.params.get("service") == "Amazon Web Services"
    ]
    assert len(aws) == len(every_aws) - 1 >= 3
    assert all(
        str(f.component).startswith("pkg:npm/%40aws-sdk/") or "aws-sdk" in str(f.component) for f in aws
    )
    # shown under its head in each format, in each language
    for fmt in ("terminal", "markdown", "html"):
        assert "Same for: @aws-sdk/" in render(fmt, result)
        assert "De même pour\u00a0: @aws-sdk/" in render(fmt, result, lang="fr")


def test_unknown_controllers_of_one_namespace_are_one_question() -> None:
    """Quarkus's SBOM: the SmallRye Mutiny packages (Maven group io.smallrye.reactive) have no
    known controller; who publishes that group is one question, so they are one entry of the top
    choke points, with the others named under it. Components without a namespace (npm packages
    without a scope) and unknown licences are never grouped."""
    from souverain.report import _view

    result = audit(fixture_path("cdx-1.4_quarkus_maven.json"), reproducible=True).result
    comps = _view.by_ref(result)
    groups = _view.top_choke_point_groups(result, 5)
    namespaces = [comps[str(head.component)].namespace for head, _ in groups if head.rule == "SOV006"]
    assert len(namespaces) == len(set(namespaces)) >= 3
    mutiny, alike = next(
        (h, a) for h, a in groups if comps[str(h.component)].namespace == "io.smallrye.reactive"
    )
    every = [
        f
        for f in result.findings
        if f.rule == "SOV006"
        and f.waived is None
        and f.severity.rank > 0
        and comps[str(f.component)].namespace == "io.smallrye.reactive"
    ]
    assert [mutiny, *alike] == every
    assert len(alike) >= 3
    assert "Same for: smallrye-mutiny-vertx-runtime@2.27.0" in render("terminal", result).replace("\n", " ")

    juice = audit(fixture_path("cdx-1.6_juice-shop_npm-bare.json"), reproducible=True).result
    jcomps = _view.by_ref(juice)
    for f in juice.findings:
        if f.rule == "SOV006" and not jcomps[str(f.component)].namespace:
            assert _view.alike_key(f, jcomps) is None
        if f.rule == "SOV005":
            assert _view.alike_key(f, jcomps) is None


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
@pytest.mark.parametrize(
    ("lang", "said"), [("en", "no component is controlled from a known country"),
                       ("fr", "aucun composant n'est contrôlé depuis un pays connu")]
)
def test_an_empty_country_exposure_says_why(fmt: str, lang: str, said: str) -> None:
    """trivy's Debian container: 82 % Debian Project, a community without a country. The country
    section says no component is controlled from a known country, instead of a bare dash."""
    result = audit(fixture_path("spdx-2.2_fluentd-container_trivy.spdx.json"), reproducible=True).result
    assert not result.summary.exposure_by_country
    assert result.summary.exposure_by_controller
    text = render(fmt, result, width=200, lang=lang)
    assert said in text


def test_unknown_licences_of_one_publishers_namespace_are_one_choke_point() -> None:
    """distro2sbom's Debian packages with NOASSERTION licences (the SPDX 3 fixture): one entry,
    the others named under it, instead of five entries asking the same question."""
    result = audit(
        fixture_path("spdx3/distro2sbom-0.6.0_debian-12-trimmed.spdx3.json"), reproducible=True
    ).result
    sov005 = [f for f in result.findings if f.rule == "SOV005" and f.severity is not Severity.INFO]
    assert len(sov005) >= 2
    text = render("terminal", result, width=200)
    top = text.split("Top choke points", 1)[1]
    assert top.count("SOV005 Unknown licence") == 1
    assert "Same for:" in top
    assert "a community project, without a country" in top
    assert "SOV006" not in top  # Debian Project has no seat: the licence is the question
