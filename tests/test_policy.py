"""Policy loading and validation, waivers, baseline comparison and the fail decision."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from souverain.analyse import analyse
from souverain.errors import InputError, PolicyError
from souverain.model import AuditResult, Finding, Jurisdiction, Openness, Policy, Severity, Waiver
from souverain.policy import (
    compare_baseline,
    load_baseline,
    load_config,
    load_policy,
    should_fail,
)

from tests.factories import make_assessment, make_graph, open_home

TODAY = datetime.date(2026, 11, 28)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------


def test_defaults_without_any_file(tmp_path: Path) -> None:
    p = load_policy(cwd=tmp_path)
    assert p.home == ("EU",)
    assert p.trusted == ("EEA",)
    assert p.fail_on is Severity.HIGH
    assert p.source is None
    assert p.thresholds["choke_share"] == 0.05


def test_souverain_toml_in_cwd(tmp_path: Path) -> None:
    write(tmp_path, "souverain.toml", """
home = "FR"
trusted = ["EU", "EEA"]
fail_on = "medium"
[thresholds]
choke_share = 0.1
[[allow]]
purl = "pkg:maven/com.oracle.database.jdbc/*"
rule = "SOV001"
reason = "contract with Oracle France until 2027"
expires = 2027-06-30
[online]
endpoints = {}
""")
    p = load_policy(cwd=tmp_path)
    assert p.home == ("FR",)
    assert p.trusted == ("EU", "EEA")
    assert p.fail_on is Severity.MEDIUM
    assert p.thresholds["choke_share"] == 0.1
    reason = "contract with Oracle France until 2027"
    assert p.waivers == (Waiver("pkg:maven/com.oracle.database.jdbc/*", reason, "2027-06-30", "SOV001"),)
    assert p.source == str(tmp_path / "souverain.toml")
    assert load_config(None, cwd=tmp_path)["online"] == {"endpoints": {}}


def test_pyproject_tool_section_and_overrides(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n[tool.souverain]\nhome = "DE"\nfail_on = "none"\n'
    write(tmp_path, "pyproject.toml", text)
    p = load_policy(cwd=tmp_path)
    assert p.home == ("DE",)
    assert p.fail_on is None
    p2 = load_policy(cwd=tmp_path, overrides={"home": "FR", "trusted": ["EU"], "fail_on": "critical"})
    assert (p2.home, p2.trusted, p2.fail_on) == (("FR",), ("EU",), Severity.CRITICAL)


def test_explicit_file_wins_over_cwd(tmp_path: Path) -> None:
    write(tmp_path, "souverain.toml", 'home = "DE"\n')
    other = write(tmp_path, "strict.toml", 'home = "FR"\n')
    assert load_policy(other, cwd=tmp_path).home == ("FR",)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ('home = "fr"\n', "home"),
        ('home = 3\n', "home"),
        ('trusted = ["EU", "x"]\n', "trusted"),
        ('fail_on = "severe"\n', "fail_on"),
        ('fail-on = "high"\n', "fail-on"),
        ("[thresholds]\nchoke_share = 2\n", "thresholds.choke_share"),
        ("[thresholds]\nchoke = 0.1\n", "thresholds.choke"),
        ('[[allow]]\npurl = "pkg:npm/x"\nexpires = "2027-01-01"\n', "allow[0].reason"),
        ('[[allow]]\npurl = "pkg:npm/x"\nreason = "r"\n', "allow[0].expires"),
        ('[[allow]]\npurl = "pkg:npm/x"\nreason = "r"\nexpires = "soon"\n', "allow[0].expires"),
        ('[[allow]]\npurl = "npm/x"\nreason = "r"\nexpires = "2027-01-01"\n', "allow[0].purl"),
        ('[[allow]]\npurl = "pkg:npm/x"\nreason = "r"\nexpires = "2027-01-01"\nrule = "SOV999"\n',
         "allow[0].rule"),
    ],
)
def test_invalid_policy_names_file_and_key(tmp_path: Path, text: str, location: str) -> None:
    path = write(tmp_path, "souverain.toml", text)
    with pytest.raises(PolicyError) as err:
        load_policy(cwd=tmp_path)
    assert err.value.path == str(path)
    assert err.value.location == location
    assert str(path) in err.value.diagnostics()
    assert err.value.exit_code == 3


@pytest.mark.parametrize(
    ("text", "location", "hint"),
    [
        ('fail-on = "high"\n', "fail-on", "did you mean fail_on?"),
        ('Home = "FR"\n', "Home", "did you mean home?"),
        ('[[waiver]]\npurl = "*"\n', "waiver", "did you mean [[allow]]?"),
        ('[[allowlist]]\npurl = "*"\n', "allowlist", "did you mean [[allow]]?"),
        ("[treshold]\nchoke_share = 0.1\n", "treshold", "did you mean [thresholds]?"),
        ("[onlne]\n", "onlne", "did you mean [online]?"),
        ('[[allow]]\npurl = "*"\nuntil = 2027-01-01\n', "allow[0].until", "did you mean 'expires'?"),
        ('[[allow]]\npackage = "pkg:npm/x"\n', "allow[0].package", "did you mean 'purl'?"),
        ('[[allow]]\npurls = "pkg:npm/x"\n', "allow[0].purls", "did you mean 'purl'?"),
        ('[[allow]]\nzzz = 1\n', "allow[0].zzz", "(known: purl, rule, reason, expires)"),
    ],
)
def test_unknown_keys_get_a_hint(tmp_path: Path, text: str, location: str, hint: str) -> None:
    write(tmp_path, "souverain.toml", text)
    with pytest.raises(PolicyError) as err:
        load_policy(cwd=tmp_path)
    assert err.value.location == location
    assert hint in str(err.value)


def test_unrelated_unknown_key_gets_no_guess(tmp_path: Path) -> None:
    write(tmp_path, "souverain.toml", "colour = 1\n")
    with pytest.raises(PolicyError) as err:
        load_policy(cwd=tmp_path)
    assert "did you mean" not in str(err.value)


def _allow(tmp_path: Path, pattern: str) -> Policy:
    write(tmp_path, "souverain.toml", f'[[allow]]\npurl = "{pattern}"\nreason = "r"\nexpires = 2027-01-01\n')
    return load_policy(cwd=tmp_path)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("pkg:npm/@babel/*", "pkg:npm/%40babel/*"),  # the scope as canonical purls encode it
        ("pkg:npm/%40babel/*", "pkg:npm/%40babel/*"),
        ("pkg:NPM/@babel/parser", "pkg:npm/%40babel/parser"),  # the type in lower case
        ("pkg:maven/com.oracle.database.jdbc/*", "pkg:maven/com.oracle.database.jdbc/*"),
        ("name:acme/agent", "name:acme/agent"),  # a component without purl
        ("*", "*"),
    ],
)
def test_waiver_patterns_take_the_subjects_form(tmp_path: Path, written: str, stored: str) -> None:
    assert _allow(tmp_path, written).waivers[0].purl == stored


@pytest.mark.parametrize("pattern", ["pkg:maven/com.oracle/ojdbc8@19.3", "pkg:npm/@babel/parser@7.24.7"])
def test_waiver_with_a_version_is_refused(tmp_path: Path, pattern: str) -> None:
    with pytest.raises(PolicyError) as err:
        _allow(tmp_path, pattern)
    assert err.value.location == "allow[0].purl"
    assert "without its version" in str(err.value)


def test_scoped_npm_waiver_applies_on_a_real_sbom(tmp_path: Path) -> None:
    """``pkg:npm/@aws-sdk/*`` as a user writes it covers the findings on the @aws-sdk packages,
    whose purls the SBOM writes ``pkg:npm/%40aws-sdk/…`` (before, it silently matched nothing)."""
    from souverain.pipeline import audit as run_audit

    sbom = Path(__file__).parent / "fixtures" / "sboms" / "generated" / "cdx-1.5_npm-cli_cloud-sdks.json"
    waived = _allow(tmp_path, "pkg:npm/@aws-sdk/*")
    plain = run_audit(sbom.read_bytes(), name=sbom.name, reproducible=True).result
    purls = {c.ref: c.purl or "" for c in plain.components}
    scoped = "pkg:npm/%40aws-sdk/"
    aws = {f.fingerprint for f in plain.findings if purls.get(f.component or "", "").startswith(scoped)}
    assert len(aws) >= 2, "the fixture has findings on @aws-sdk packages"
    result = run_audit(sbom.read_bytes(), name=sbom.name, reproducible=True, policy=waived).result
    assert {f.fingerprint for f in result.findings if f.waived == "r"} == aws


def test_invalid_key_in_pyproject_is_prefixed(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.souverain]\nfail_on = "loud"\n')
    with pytest.raises(PolicyError) as err:
        load_policy(cwd=tmp_path)
    assert err.value.location == "tool.souverain.fail_on"


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", "home = \n")
    with pytest.raises(PolicyError, match="invalid TOML"):
        load_policy(bad, cwd=tmp_path)
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml", cwd=tmp_path)


def test_invalid_override_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as err:
        load_policy(cwd=tmp_path, overrides={"fail_on": "loud"})
    assert err.value.location == "--fail-on"


def test_known_blocs_are_checked(tmp_path: Path) -> None:
    write(tmp_path, "souverain.toml", 'trusted = ["EU", "NATO"]\n')
    assert load_policy(cwd=tmp_path, known_blocs={"EU", "NATO"}).trusted == ("EU", "NATO")
    with pytest.raises(PolicyError, match="known bloc") as err:
        load_policy(cwd=tmp_path, known_blocs={"EU", "EEA"})
    assert err.value.location == "trusted"


def test_load_baseline_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid JSON"):
        load_baseline(write(tmp_path, "a.json", "{"))
    with pytest.raises(InputError, match="no 'findings'"):
        load_baseline(write(tmp_path, "b.json", '{"summary": {}}'))
    with pytest.raises(InputError, match="cannot read"):
        load_baseline(tmp_path / "none.json")
    ok = load_baseline(write(tmp_path, "c.json", '{"findings": [{"fingerprint": "x"}]}'))
    assert ok["findings"][0]["fingerprint"] == "x"


# ------------------------------------------------------------------------------------------
# Waivers, baseline, verdict (through analyse)
# ------------------------------------------------------------------------------------------

EDGES = [("root", "a"), ("root", "b"), ("a", "c"), ("b", "c")]
ORACLE = {"openness": Openness.PROPRIETARY, "controller": "Oracle", "country": "US",
          "jurisdiction": Jurisdiction.FOREIGN}


def audit(policy: Policy, baseline: dict[str, Any] | None = None, *, proprietary: str = "c") -> AuditResult:
    sbom, g = make_graph(EDGES)
    assessments = open_home(g.refs())
    assessments[proprietary] = make_assessment(proprietary, **ORACLE)  # type: ignore[arg-type]
    return analyse(sbom, g, assessments, policy, today=TODAY, baseline=baseline)


def sov001(result: AuditResult) -> Finding:
    return next(f for f in result.findings if f.rule == "SOV001")


def test_waiver_marks_finding_and_does_not_fail() -> None:
    strict = Policy(fail_on=Severity.CRITICAL)
    plain = audit(strict)
    assert sov001(plain).severity is Severity.CRITICAL
    assert should_fail(plain)
    waiver = Waiver("pkg:generic/c", "contract until 2027", "2027-06-30", "SOV001")
    waived = audit(dataclasses.replace(strict, waivers=(waiver,)))
    assert sov001(waived).waived == "contract until 2027"
    assert sov001(waived) in waived.findings  # waived findings stay in the list
    assert not should_fail(waived)
    assert waived.warnings == ()


def test_waiver_glob_and_rule_filter() -> None:
    other_rule = Waiver("pkg:generic/*", "r", "2027-06-30", "SOV005")
    assert sov001(audit(Policy(waivers=(other_rule,)))).waived is None
    glob = Waiver("pkg:generic/*", "all generic", "2027-06-30")
    assert sov001(audit(Policy(waivers=(glob,)))).waived == "all generic"


def test_expired_waiver_brings_the_finding_back_with_a_warning() -> None:
    waiver = Waiver("pkg:generic/c", "old contract", "2026-01-31", "SOV001")
    result = audit(Policy(waivers=(waiver,)))
    assert sov001(result).waived is None
    assert should_fail(result)
    assert any("expired on 2026-01-31" in w for w in result.warnings)


def test_fail_on_threshold() -> None:
    assert not should_fail(audit(Policy(fail_on=None)))
    assert should_fail(audit(Policy(fail_on=Severity.LOW)))
    sbom, g = make_graph(EDGES)
    assessments = open_home(g.refs())
    assessments["c"] = make_assessment("c", openness=Openness.PROPRIETARY)  # home vendor: SOV004
    home = analyse(sbom, g, assessments, Policy(), today=TODAY)
    assert max(f.severity.rank for f in home.findings) < Severity.HIGH.rank
    assert not should_fail(home)
    assert should_fail(dataclasses.replace(home, policy=Policy(fail_on=Severity.LOW)))


def as_json(result: AuditResult) -> dict[str, Any]:
    """The findings as the JSON reporter writes them (round trip through orjson)."""
    rows = [{k: (v.value if isinstance(v, Severity) else v) for k, v in dataclasses.asdict(f).items()}
            for f in result.findings]
    return dict(orjson.loads(orjson.dumps({"findings": rows})))


def test_baseline_unchanged_new_worsened_resolved() -> None:
    before = audit(Policy())
    same = audit(Policy(), as_json(before))
    assert {f.status for f in same.findings} == {"unchanged"}
    assert same.resolved == ()
    assert not should_fail(same)

    # The proprietary component moves from c (shared) to a: SOV001 for c resolved, new for a.
    moved = audit(Policy(), as_json(before), proprietary="a")
    assert sov001(moved).status == "new"
    assert "SOV001" in {f.rule for f in moved.resolved}
    assert all(f.status == "resolved" for f in moved.resolved)
    assert should_fail(moved)


def test_baseline_worsened_by_severity_or_share() -> None:
    result = audit(Policy())
    f = sov001(result)
    old = dataclasses.replace(f, severity=Severity.MEDIUM)
    base = {"findings": [{"fingerprint": old.fingerprint, "severity": "medium", "share": f.share}]}
    updated, resolved = compare_baseline([f], base)
    assert updated[0].status == "worsened"
    assert resolved == []
    base = {"findings": [{"fingerprint": f.fingerprint, "severity": f.severity.value, "share": 0.0}]}
    assert compare_baseline([f], base)[0][0].status == "worsened"
    base = {"findings": [{"fingerprint": f.fingerprint, "severity": f.severity.value, "share": f.share}]}
    assert compare_baseline([f], base)[0][0].status == "unchanged"
