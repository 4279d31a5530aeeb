"""Tests of endpoint resolution (souverain.endpoints). Never reads the real user configuration:
every test passes a temporary home, /etc and an explicit environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from souverain.endpoints import (
    Endpoint,
    Unavailable,
    missing_reasons,
    parse_npmrc,
    pip_default_index,
    redact,
    resolve_endpoints,
    resolve_npm,
    resolve_pypi,
)

DEFAULT = ("http://127.0.0.1:9001/simple", "http://127.0.0.1:9001/pypi")


def fake_default() -> tuple[str, str]:
    return DEFAULT


def no_pip() -> None:
    return None


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    (tmp_path / "etc").mkdir()
    return tmp_path / "home"


def pypi(env: dict[str, str], home: Path, config: dict[str, str] | None = None) -> Endpoint | Unavailable:
    return resolve_pypi(config or {}, env, home, etc=home.parent / "etc", pip_default=fake_default)


def test_pypi_defaults_to_pips_own_index(home: Path) -> None:
    got = pypi({}, home)
    assert got == Endpoint("pypi", DEFAULT[1], "pip's default index")


def test_pypi_env_override_wins(home: Path) -> None:
    env = {"SOUVERAIN_PYPI_URL": "http://127.0.0.1:9002/pypi/", "PIP_INDEX_URL": "http://127.0.0.1:1/simple"}
    got = pypi(env, home, {"pypi": "http://127.0.0.1:9003/pypi"})
    assert isinstance(got, Endpoint)
    assert got.base == "http://127.0.0.1:9002/pypi"
    assert "SOUVERAIN_PYPI_URL" in got.origin


def test_pypi_config_then_simple_is_mapped_to_json_root(home: Path) -> None:
    got = pypi({}, home, {"pypi": "http://127.0.0.1:9003/simple/"})
    assert isinstance(got, Endpoint)
    assert got.base == "http://127.0.0.1:9003/pypi"
    assert "souverain configuration" in got.origin


def test_pypi_custom_index_in_env_has_no_json_api(home: Path) -> None:
    got = pypi({"PIP_INDEX_URL": "http://user:secret@127.0.0.1:9004/simple"}, home)
    assert isinstance(got, Unavailable)
    assert "custom simple index" in got.reason
    assert "PIP_INDEX_URL" in got.reason
    assert "secret" not in got.reason


def test_pypi_index_equal_to_pips_default_is_accepted(home: Path) -> None:
    got = pypi({"PIP_INDEX_URL": DEFAULT[0] + "/"}, home)
    assert isinstance(got, Endpoint)
    assert got.base == DEFAULT[1]


def test_pip_conf_files_in_order(home: Path) -> None:
    etc = home.parent / "etc"
    (etc / "pip.conf").write_text("[global]\nindex-url = http://127.0.0.1:1/simple\n")
    got = pypi({}, home)
    assert isinstance(got, Unavailable)
    assert str(etc / "pip.conf") in got.reason
    user = home / ".config" / "pip"
    user.mkdir(parents=True)
    (user / "pip.conf").write_text(f"[global]\nindex-url = {DEFAULT[0]}\n")
    got = pypi({}, home)
    assert isinstance(got, Endpoint)
    assert str(user / "pip.conf") in got.origin
    (user / "pip.conf").write_text(
        f"[global]\nindex-url = {DEFAULT[0]}\n[install]\nindex-url = http://127.0.0.1:2/simple\n"
    )
    got = pypi({}, home)
    assert isinstance(got, Unavailable)  # [install] beats [global]
    assert "127.0.0.1:2" in got.reason


def test_pip_config_file_env_and_devnull(home: Path) -> None:
    conf = home / "custom.conf"
    conf.write_text("[global]\nindex-url = http://127.0.0.1:3/simple\n")
    got = pypi({"PIP_CONFIG_FILE": str(conf)}, home)
    assert isinstance(got, Unavailable)
    assert "127.0.0.1:3" in got.reason
    (home.parent / "etc" / "pip.conf").write_text("[global]\nindex-url = http://127.0.0.1:4/simple\n")
    assert isinstance(pypi({"PIP_CONFIG_FILE": "/dev/null"}, home), Endpoint)


def test_pypi_without_pip(home: Path) -> None:
    got = resolve_pypi({}, {}, home, etc=home.parent / "etc", pip_default=no_pip)
    assert isinstance(got, Unavailable)
    assert "pip is not importable" in got.reason


def test_pypi_bad_override(home: Path) -> None:
    got = pypi({"SOUVERAIN_PYPI_URL": "file:///etc/passwd"}, home)
    assert isinstance(got, Unavailable)
    assert "not an http(s) URL" in got.reason


def test_installed_pip_default_has_the_expected_shape() -> None:
    found = pip_default_index()
    assert found is not None  # pip is installed in the project venv
    simple, json_root = found
    assert simple.endswith("/simple")
    assert json_root.endswith("/pypi")
    assert simple[: -len("simple")] == json_root[: -len("pypi")]


def test_npm_env_then_npmrc(home: Path) -> None:
    assert resolve_npm({}, {"SOUVERAIN_NPM_URL": "http://127.0.0.1:5/"}, home) == Endpoint(
        "npm", "http://127.0.0.1:5", "environment SOUVERAIN_NPM_URL"
    )
    (home / ".npmrc").write_text(
        "; comment\nregistry=http://127.0.0.1:6/\n@acme:registry=http://127.0.0.1:7/\n"
        "//127.0.0.1:6/:_authToken=${NPM_TOKEN}\n"
    )
    got = resolve_npm({}, {"NPM_TOKEN": "secret"}, home)
    assert isinstance(got, Endpoint)
    assert got.base == "http://127.0.0.1:6"
    assert got.scoped == (("@acme", "http://127.0.0.1:7"),)
    assert got.base_for("@acme") == "http://127.0.0.1:7"
    assert got.base_for("@other") == got.base_for(None) == "http://127.0.0.1:6"
    assert "secret" not in repr(got)


def test_npm_project_npmrc_and_env_precedence(home: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (home / ".npmrc").write_text("registry=http://127.0.0.1:6/\n")
    (project / ".npmrc").write_text("registry=http://127.0.0.1:8/\n")
    got = resolve_npm({}, {}, home, project_dir=project)
    assert isinstance(got, Endpoint)
    assert got.base == "http://127.0.0.1:8"
    got = resolve_npm({}, {"NPM_CONFIG_REGISTRY": "http://127.0.0.1:9/"}, home, project_dir=project)
    assert isinstance(got, Endpoint)
    assert got.base == "http://127.0.0.1:9"
    got = resolve_npm({"npm": "http://127.0.0.1:10"}, {"npm_config_registry": "http://127.0.0.1:9/"}, home)
    assert isinstance(got, Endpoint)
    assert got.base == "http://127.0.0.1:10"


def test_npm_cli_is_asked_last_and_only_when_allowed(home: Path) -> None:
    calls: list[int] = []

    def cli() -> str:
        calls.append(1)
        return "http://127.0.0.1:11/"

    offline = resolve_npm({}, {}, home)
    assert isinstance(offline, Unavailable)
    assert "only asked online" in offline.reason
    got = resolve_npm({}, {}, home, npm_cli=cli)
    assert isinstance(got, Endpoint)
    assert (got.base, got.origin) == ("http://127.0.0.1:11", "npm config get registry")
    (home / ".npmrc").write_text("registry=http://127.0.0.1:6/\n")
    resolve_npm({}, {}, home, npm_cli=cli)
    assert len(calls) == 1


def test_resolve_endpoints_and_reasons(home: Path) -> None:
    env = {"SOUVERAIN_NPM_URL": "http://127.0.0.1:5"}
    etc = home.parent / "etc"
    got = resolve_endpoints({}, env, home, etc=etc, pip_default=no_pip, run_npm=False)
    assert not got["pypi"]
    assert isinstance(got["pypi"], Unavailable)
    assert got["npm"] == Endpoint("npm", "http://127.0.0.1:5", "environment SOUVERAIN_NPM_URL")
    assert got["npm"].url == "http://127.0.0.1:5"
    reasons = missing_reasons({**got, "other": None})
    assert [r.source for r in reasons] == ["pypi", "other"]
    assert "pip is not importable" in reasons[0].reason


def test_parse_npmrc_and_redact() -> None:
    reg, scoped = parse_npmrc("registry = http://127.0.0.1:1\n# x=y\n@a:registry=http://h/\n", {})
    assert (reg, scoped) == ("http://127.0.0.1:1", {"@a": "http://h/"})
    assert redact("https://user:tok@127.0.0.1:1/simple") == "https://127.0.0.1:1/simple"
    assert redact("http://127.0.0.1/x") == "http://127.0.0.1/x"
