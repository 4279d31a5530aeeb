"""End-to-end tests of the command line on real SBOMs: exit codes, outputs, errors."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from souverain.cli import main

from tests.conftest import corpus_files, fixture_path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "json-schema" / "report-v1.schema.json").read_text())
JUICE = "cdx-1.6_juice-shop_npm-bare.json"
UV_LOCK = "generators/cdx-1.6_cdxgen-12.8.4_uv-lock-trimmed.json"


def run(args: Sequence[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    runner = CliRunner()
    with runner.isolation(input=stdin) as (out, err, _both):
        code = main(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
    return code, out.getvalue().decode(), err.getvalue().decode()


def raw_component_count(path: Path) -> int:
    """Components of a CycloneDX JSON document counted from the raw JSON (nested ones included,
    the metadata component excluded)."""

    def count(items: list[dict[str, object]]) -> int:
        total = 0
        for item in items:
            total += 1
            nested = item.get("components")
            if isinstance(nested, list):
                total += count(nested)
        return total

    doc = json.loads(path.read_text(encoding="utf-8"))
    return count(doc.get("components", [])) + len(doc.get("services", []))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_audits_to_a_valid_json_report(path: Path) -> None:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, out, err = run(["audit", str(path), "-f", "json", "--fail-on", "none", "--reproducible"])
    assert code == 0, err
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["source"]["sha256"] == before
    assert report["summary"]["components"] == len(report["components"])
    # every component has a licence and controller block, known or explicitly unknown
    for comp in report["components"]:
        assert comp["license"]["openness"] in {"open", "source-available", "proprietary", "unknown"}
        if comp["controller"]["name"] is None:
            assert comp["controller"]["confidence"] == "low"
    # nothing the user gave is modified
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_component_count_matches_raw_cyclonedx() -> None:
    path = fixture_path(JUICE)
    code, out, _ = run(["audit", str(path), "-f", "json", "--fail-on", "none"])
    assert code == 0
    assert json.loads(out)["summary"]["components"] == raw_component_count(path)


def test_stdin_is_read_with_dash() -> None:
    data = fixture_path("cdx-1.4_quarkus_maven.json").read_bytes()
    code, out, _ = run(["audit", "-", "-f", "json", "--fail-on", "none"], stdin=data)
    assert code == 0
    assert json.loads(out)["source"]["path"] == "<stdin>"


def test_reproducible_output_is_identical_twice() -> None:
    args = ["audit", str(fixture_path(JUICE)), "-f", "json", "--reproducible", "--fail-on", "none"]
    first, second = run(args), run(args)
    assert first[0] == second[0] == 0
    assert first[1] == second[1]
    assert "generated_at" not in json.loads(first[1]) or json.loads(first[1])["generated_at"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["audit", "does-not-exist.json"], 3, "does-not-exist.json: no such file"),
        (["audit", "tests"], 3, "is a directory"),
        (["audit", "x.json", "--format", "pdf"], 2, "unknown format pdf"),
        (["audit", "x.json", "--fail-on", "sometimes"], 2, "sometimes"),
        (["nonsense"], 2, "No such command"),
    ],
)
def test_usage_and_missing_files(args: list[str], code: int, message: str) -> None:
    got, out, err = run(args)
    assert got == code
    assert message in out + err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b'{"hello": "world"}', "neither CycloneDX nor SPDX"),
        (b"\x00\x01\x02\xff\xfe garbage", "not"),
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [', "line"),
    ],
)
def test_broken_sboms_exit_3_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad-input.json"
    bad.write_bytes(content)
    code, out, err = run(["audit", str(bad)])
    assert code == 3
    assert "bad-input.json" in err
    assert message.lower() in err.lower()
    assert "Traceback" not in out + err


def test_invalid_policy_exits_3_naming_key_and_file(tmp_path: Path) -> None:
    policy = tmp_path / "souverain.toml"
    policy.write_text('home = "FR"\nfail_on = "sometimes"\n')
    code, _, err = run(["audit", str(fixture_path(JUICE)), "--policy", str(policy)])
    assert code == 3
    assert "souverain.toml" in err
    assert "fail_on" in err


def test_fail_on_gates_the_exit_code() -> None:
    path = str(fixture_path("cdx-1.5_blackduck-hub-sample.json"))
    code_low, out, _ = run(["audit", path, "-f", "json", "--fail-on", "low"])
    findings = json.loads(out)["findings"]
    assert findings, "the Black Duck sample (ST proprietary licences) must raise findings"
    assert code_low == 1
    code_none, _, _ = run(["audit", path, "-f", "json", "--fail-on", "none"])
    assert code_none == 0


def test_several_formats_into_a_directory(tmp_path: Path) -> None:
    out_dir = tmp_path / "reports"
    code, _, err = run(
        [
            "audit",
            str(fixture_path(JUICE)),
            "-f",
            "json,sarif,html,markdown",
            "-o",
            str(out_dir),
            "--fail-on",
            "none",
        ]
    )
    assert code == 0, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert len(names) == 4
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")]  # atomic writes leave no debris
    sarif = json.loads(next(out_dir.glob("*.sarif")).read_text())
    assert sarif["version"] == "2.1.0"


def test_baseline_reports_only_new_findings(tmp_path: Path) -> None:
    path = str(fixture_path("cdx-1.5_blackduck-hub-sample.json"))
    code, out, _ = run(["audit", path, "-f", "json", "--fail-on", "none"])
    baseline = tmp_path / "baseline.json"
    baseline.write_text(out)
    code, out2, _ = run(["audit", path, "-f", "json", "--baseline", str(baseline), "--fail-on", "low"])
    # nothing is new against itself: the gate passes although findings remain
    assert code == 0
    statuses = {f.get("status") for f in json.loads(out2)["findings"]}
    assert statuses <= {"unchanged", None}


def test_home_and_trusted_options_change_jurisdictions() -> None:
    path = str(fixture_path(JUICE))
    _, out_eu, _ = run(["audit", path, "-f", "json", "--fail-on", "none"])
    _, out_us, _ = run(["audit", path, "-f", "json", "--fail-on", "none", "--home", "US", "--trusted", ""])
    eu = {c["ref"]: c["jurisdiction"] for c in json.loads(out_eu)["components"]}
    us = {c["ref"]: c["jurisdiction"] for c in json.loads(out_us)["components"]}
    us_controlled = [
        c["ref"] for c in json.loads(out_eu)["components"] if c["controller"].get("country") == "US"
    ]
    assert us_controlled, "juice-shop has US-controlled components (e.g. Microsoft's @types)"
    for ref in us_controlled:
        assert eu[ref] == "foreign"
        assert us[ref] == "home"


def test_inventory_lists_counts_and_skips() -> None:
    code, out, _ = run(["inventory", str(fixture_path("cdx-1.4_mongo-container_syft.json"))])
    assert code == 0
    assert "components: 293" in out
    assert "flat" in out


def test_licences_command_reports_coverage() -> None:
    code, out, _ = run(["licences", str(fixture_path("cdx-1.2_keycloak-10.0.2_maven.json"))])
    assert code == 0
    match = re.search(r"(\d+)/(\d+) distinct licence strings resolved", out)
    assert match
    assert int(match.group(2)) > 10


def test_explain_shows_evidence() -> None:
    code, out, _ = run(
        ["explain", str(fixture_path("cdx-1.4_quarkus_maven.json")), "pkg:maven/io.quarkus/quarkus-core"]
    )
    assert code == 0, out
    assert "controller:" in out
    assert "licence:" in out


@pytest.mark.parametrize(
    ("fixture", "query", "found"),
    [
        (UV_LOCK, "zope.interface", "pkg:pypi/zope-interface@"),
        (JUICE, "pkg:npm/@babel/parser", "pkg:npm/%40babel/parser@"),  # the scope as people write it
        (JUICE, "Express", "pkg:npm/express@"),
    ],
)
def test_explain_finds_a_component_as_people_spell_it(fixture: str, query: str, found: str) -> None:
    code, out, err = run(["explain", str(fixture_path(fixture)), query])
    assert code == 0, err
    assert found in out.splitlines()[0]


def test_explain_unknown_component_exits_3() -> None:
    code, _, err = run(["explain", str(fixture_path(JUICE)), "pkg:npm/definitely-not-there"])
    assert code == 3
    assert "definitely-not-there" in err


def test_kb_commands() -> None:
    code, out, _ = run(["kb", "stats"])
    assert code == 0
    assert re.search(r"organisations: \d{3,}", out)
    code, out, _ = run(["kb", "show", "pkg:maven/software.amazon.awssdk/s3@2.20.0"])
    assert code == 0
    assert "Amazon" in out


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "souverain", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert "souverain" in proc.stdout


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", setup, flags=re.S)
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = commands[1]
    # .ci/run runs the same install and test steps as the README's test command
    for step in test_command.split(" && "):
        assert step.strip() in ci, step


def test_validate_accepts_a_valid_cyclonedx_and_names_schema_errors(tmp_path: Path) -> None:
    code, out, _ = run(["validate", str(fixture_path("cdx-1.4_quarkus_maven.json"))])
    assert code == 0
    assert "valid" in out
    bad = tmp_path / "invalid.cdx.json"
    bad.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.5",
                "version": 1,
                "components": [{"type": "not-a-type", "name": "x"}],
            }
        )
    )
    code, out, _ = run(["validate", str(bad)])
    assert code == 3
    assert "invalid.cdx.json" in out
    assert "components/0/type" in out


def test_validate_says_spdx_is_not_schema_checked() -> None:
    code, _, err = run(["validate", str(fixture_path("spdx-2.3_tools-python-example.spdx.json"))])
    assert code == 3
    assert "CycloneDX only" in err


def test_offline_mode_reads_only_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOUVERAIN_CACHE_DIR", str(tmp_path / "cache"))
    path = str(fixture_path("cdx-1.6_bundled-dependencies_npm-bare.xml"))
    code, _, err = run(["audit", path, "--offline", "-f", "json", "--fail-on", "none"])
    assert code == 0
    assert "from the cache only" in err
    assert "not in the cache" in err
    # the default run neither reads the cache nor says anything about registries
    code, _, err = run(["audit", path, "-f", "json", "--fail-on", "none"])
    assert code == 0
    assert "registry" not in err


def test_require_online_needs_online() -> None:
    code, _, err = run(["audit", str(fixture_path(JUICE)), "--require-online"])
    assert code == 2
    assert "--require-online needs --online" in err


def test_report_with_resolved_findings_is_valid_and_renders_them_in_french(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    code, out, _ = run(
        ["audit", str(fixture_path("cdx-1.5_blackduck-hub-sample.json")), "-f", "json", "--fail-on", "none"]
    )
    assert code == 0
    before.write_text(out)
    args = [
        "audit",
        str(fixture_path("cdx-1.4_quarkus_maven.json")),
        "--baseline",
        str(before),
        "--fail-on",
        "none",
    ]
    code, out, _ = run([*args, "-f", "json"])
    report = json.loads(out)
    assert report["resolved"], "the other product's findings are all resolved against this baseline"
    assert {f["status"] for f in report["resolved"]} == {"resolved"}
    jsonschema.validate(report, SCHEMA)
    # params travel through the baseline, so a French report renders resolved findings in French
    assert any(f["params"] for f in report["resolved"])
    code, out, _ = run([*args, "-f", "markdown", "--lang", "fr"])
    assert code == 0
    assert "Constats résolus" in out or "résolu" in out.lower()


def test_quiet_never_shortens_a_report_file(tmp_path: Path) -> None:
    """``-q`` is about the terminal: report files stay whole (a CI job quiet in its log must not
    publish a heading-only Markdown report), and the verdict line is what the terminal shows."""
    path = str(fixture_path(JUICE))
    full = tmp_path / "full"
    quiet = tmp_path / "quiet"
    code, _, _ = run(["audit", path, "-f", "markdown,terminal", "--reproducible", "-o", str(full)])
    args = ["audit", path, "-f", "markdown,terminal", "--reproducible"]
    qcode, out, err = run([*args, "-o", str(quiet), "-q"])
    assert qcode == code
    for name in ("souverain-report.md", "souverain-report.txt"):
        assert (quiet / name).read_bytes() == (full / name).read_bytes()
    assert "### " in (quiet / "souverain-report.md").read_text(encoding="utf-8")
    assert out == ""
    assert err.strip().startswith(("PASS", "FAIL", "REPORT"))
    assert len(err.strip().splitlines()) == 1
    # on stdout, -q still prints the verdict line only
    code, out, _ = run(["audit", path, "-q"])
    assert out.strip() == err.strip()


def test_licences_command_says_when_there_is_nothing_to_resolve() -> None:
    """cdxgen's offline Go SBOM carries no licence at all: not '0/0 resolved (100.0%)'."""
    path = fixture_path("generators/cdx-1.6_cdxgen-12.8.4_go-mod-prometheus.json")
    code, out, _ = run(["licences", "--summary", str(path)])
    assert code == 0
    assert out.strip() == f"{path.name}: no licence string"


def test_kb_show_suggests_names_that_contain_the_query() -> None:
    code, out, _ = run(["kb", "show", "react"])
    assert code == 1  # nothing matches exactly
    assert "no organisation matches 'react'" in out
    assert "React Foundation [react-foundation]" in out.splitlines()[1]
    code, out, _ = run(["kb", "show", "zzzz-nothing"])
    assert code == 1
    assert "names that contain it" not in out
