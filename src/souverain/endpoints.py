"""Where the registry endpoints come from. Endpoints are settings, never constants of this code.

For each source (``pypi``, ``npm``) the endpoint is resolved in this order, first hit wins:

1. the environment variable ``SOUVERAIN_PYPI_URL`` / ``SOUVERAIN_NPM_URL``;
2. souverain's own configuration (``[online] pypi = "…"`` / ``npm = "…"``, parsed by the policy
   module and handed over as a flat mapping);
3. the package manager's own configuration, read the way the package manager reads it:

   * pip: ``PIP_INDEX_URL``, then the pip configuration files (``/etc/xdg/pip/pip.conf``,
     ``/etc/pip.conf``, ``~/.pip/pip.conf``, ``$XDG_CONFIG_HOME/pip/pip.conf``,
     ``$VIRTUAL_ENV/pip.conf``, ``PIP_CONFIG_FILE``; later files override earlier ones;
     ``[install]`` overrides ``[global]``), then pip's built-in default index, imported from
     the installed pip at run time. The JSON API is only known for pip's default index
     (``<index root>/pypi``); a custom simple index has no standard JSON API, so the source is
     reported as unavailable unless souverain is told where the JSON API is;
   * npm: ``npm_config_registry`` (any case), then the project ``.npmrc``, then the user
     ``.npmrc`` (``NPM_CONFIG_USERCONFIG`` or ``~/.npmrc``), then ``npm config get registry``
     when npm is on ``PATH`` and the caller allows running it (only in online runs).

When no endpoint is found the result maps the source to an :class:`Unavailable` value that
says why (and is falsy, like None). Credentials embedded in a URL are never shown: use :func:`redact`.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SOURCES = ("pypi", "npm")
ENV_OVERRIDES = {"pypi": "SOUVERAIN_PYPI_URL", "npm": "SOUVERAIN_NPM_URL"}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A registry endpoint.

    ``base`` is the root the documents hang from, without trailing slash: for ``pypi`` the
    JSON API root (``<base>/<name>/json``), for ``npm`` the registry root (``<base>/<name>``).
    ``origin`` says where the setting came from (for ``souverain`` diagnostics).
    ``scoped`` holds npm per-scope registries (``@scope:registry=``) as ``(scope, base)`` pairs.
    """

    source: str
    base: str
    origin: str
    scoped: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        """The base URL (same as ``base``)."""
        return self.base

    def base_for(self, namespace: str | None) -> str:
        """The base URL for a package in ``namespace`` (an npm scope such as ``@acme``)."""
        if namespace:
            for scope, base in self.scoped:
                if scope == namespace:
                    return base
        return self.base


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Why a source has no endpoint."""

    source: str
    reason: str

    def __bool__(self) -> bool:
        """Always False: an unavailable endpoint tests like None."""
        return False


def redact(url: str) -> str:
    """``url`` with any user name and password removed (safe to show and log)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _clean(url: str) -> str | None:
    url = url.strip().strip('"').strip("'")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url.rstrip("/")


# ------------------------------------------------------------------------------------------
# pip
# ------------------------------------------------------------------------------------------


def pip_default_index() -> tuple[str, str] | None:
    """pip's built-in default ``(simple index URL, JSON API root)``, read from the installed pip,
    or None when pip is not importable."""
    try:
        from pip._internal.models.index import PyPI
    except Exception:  # pip missing or its private layout changed
        return None
    simple = str(getattr(PyPI, "simple_url", "")).rstrip("/")
    json_root = str(getattr(PyPI, "pypi_url", "")).rstrip("/")
    if not simple or not json_root:
        return None
    return simple, json_root


def pip_config_files(env: Mapping[str, str], home: Path, etc: Path = Path("/etc")) -> list[Path]:
    """pip's configuration files in load order (later ones override earlier ones)."""
    if env.get("PIP_CONFIG_FILE") == "/dev/null":
        return []
    xdg_dirs = env.get("XDG_CONFIG_DIRS", "").split(":") if env.get("XDG_CONFIG_DIRS") else []
    files = [Path(d) / "pip" / "pip.conf" for d in reversed(xdg_dirs) if d]
    if not xdg_dirs:
        files.append(etc / "xdg" / "pip" / "pip.conf")
    files.append(etc / "pip.conf")
    files.append(home / ".pip" / "pip.conf")
    xdg_home = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    files.append(xdg_home / "pip" / "pip.conf")
    if env.get("VIRTUAL_ENV"):
        files.append(Path(env["VIRTUAL_ENV"]) / "pip.conf")
    if env.get("PIP_CONFIG_FILE"):
        files.append(Path(env["PIP_CONFIG_FILE"]))
    return files


def _pip_index_from_files(files: list[Path]) -> tuple[str, str] | None:
    """``(index URL, file)`` of the last ``index-url`` setting; ``[install]`` beats ``[global]``."""
    found: dict[str, tuple[str, str]] = {}
    for path in files:
        parser = configparser.RawConfigParser()
        try:
            text = path.read_text(encoding="utf-8")
            parser.read_string(text, source=str(path))
        except (OSError, UnicodeDecodeError, configparser.Error):
            continue
        for section in ("global", "install"):
            for key in ("index-url", "index_url"):
                if parser.has_option(section, key):
                    found[section] = (parser.get(section, key), str(path))
    return found.get("install") or found.get("global")


def _json_root_for_index(index: str, default: tuple[str, str] | None) -> str | None:
    if default is not None and index.rstrip("/") == default[0]:
        return default[1]
    return None


def resolve_pypi(
    config: Mapping[str, str],
    env: Mapping[str, str],
    home: Path,
    *,
    etc: Path = Path("/etc"),
    pip_default: Callable[[], tuple[str, str] | None] = pip_default_index,
) -> Endpoint | Unavailable:
    """The PyPI JSON API endpoint, or why there is none (see the module doc for the order)."""
    for value, origin in (
        (env.get(ENV_OVERRIDES["pypi"]), f"environment {ENV_OVERRIDES['pypi']}"),
        (config.get("pypi"), "souverain configuration [online] pypi"),
    ):
        if value:
            url = _clean(value)
            if url is None:
                return Unavailable("pypi", f"{origin} is not an http(s) URL: {redact(value)!r}")
            if url.endswith("/simple"):
                url = url[: -len("/simple")] + "/pypi"
            return Endpoint("pypi", url, origin)
    default = pip_default()
    if env.get("PIP_INDEX_URL"):
        index, origin = env["PIP_INDEX_URL"], "environment PIP_INDEX_URL"
    else:
        from_files = _pip_index_from_files(pip_config_files(env, home, etc))
        if from_files is not None:
            index, origin = from_files[0], f"pip configuration {from_files[1]}"
        elif default is not None:
            return Endpoint("pypi", default[1], "pip's default index")
        else:
            return Unavailable(
                "pypi", "no index configured and pip is not importable to tell its default index"
            )
    json_root = _json_root_for_index(index, default)
    if json_root is None:
        return Unavailable(
            "pypi",
            f"the index from {origin} ({redact(index)}) is a custom simple index with no known "
            f"JSON API; set {ENV_OVERRIDES['pypi']} or [online] pypi to its JSON API root",
        )
    return Endpoint("pypi", json_root, f"{origin} (pip's default index)")


# ------------------------------------------------------------------------------------------
# npm
# ------------------------------------------------------------------------------------------


def parse_npmrc(text: str, env: Mapping[str, str]) -> tuple[str | None, dict[str, str]]:
    """``(registry, {scope: registry})`` from the text of an ``.npmrc`` (``${VAR}`` expanded)."""
    registry: str | None = None
    scoped: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;" or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        for name, var in env.items():
            value = value.replace("${" + name + "}", var)
        if key == "registry":
            registry = value
        elif key.startswith("@") and key.endswith(":registry"):
            scoped[key[: -len(":registry")]] = value
    return registry, scoped


def npm_cli_registry(timeout: float = 10.0) -> str | None:
    """``npm config get registry`` when npm is on PATH; None on any failure."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    try:
        out = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [npm, "config", "get", "registry"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    return value if out.returncode == 0 and value else None


def resolve_npm(
    config: Mapping[str, str],
    env: Mapping[str, str],
    home: Path,
    *,
    project_dir: Path | None = None,
    npm_cli: Callable[[], str | None] | None = None,
) -> Endpoint | Unavailable:
    """The npm registry endpoint, or why there is none (see the module doc for the order).

    ``npm_cli`` is called last (pass :func:`npm_cli_registry` in online runs only)."""
    for value, origin in (
        (env.get(ENV_OVERRIDES["npm"]), f"environment {ENV_OVERRIDES['npm']}"),
        (config.get("npm"), "souverain configuration [online] npm"),
    ):
        if value:
            url = _clean(value)
            if url is None:
                return Unavailable("npm", f"{origin} is not an http(s) URL: {redact(value)!r}")
            return Endpoint("npm", url, origin)
    registry: str | None = None
    origin = ""
    scoped: dict[str, str] = {}
    user_rc = Path(env["NPM_CONFIG_USERCONFIG"]) if env.get("NPM_CONFIG_USERCONFIG") else home / ".npmrc"
    rcs = [user_rc] + ([project_dir / ".npmrc"] if project_dir is not None else [])
    for rc in rcs:  # the project file overrides the user file
        try:
            text = rc.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        reg, sc = parse_npmrc(text, env)
        scoped.update(sc)
        if reg:
            registry, origin = reg, f"npm configuration {rc}"
    env_reg = next((v for k, v in env.items() if k.lower() == "npm_config_registry" and v), None)
    if env_reg:
        registry, origin = env_reg, "environment npm_config_registry"
    if registry is None and npm_cli is not None:
        registry, origin = npm_cli(), "npm config get registry"
    if not registry:
        why = "no registry in the environment or .npmrc"
        why += " and npm gave none" if npm_cli is not None else " (npm itself is only asked online)"
        return Unavailable("npm", why)
    url = _clean(registry)
    if url is None:
        return Unavailable("npm", f"{origin} is not an http(s) URL: {redact(registry)!r}")
    pairs = tuple(sorted((s, u) for s, raw in scoped.items() if (u := _clean(raw)) is not None))
    return Endpoint("npm", url, origin, pairs)


def resolve_endpoints(
    config: Mapping[str, str],
    env: Mapping[str, str],
    home: Path,
    *,
    etc: Path = Path("/etc"),
    project_dir: Path | None = None,
    run_npm: bool = True,
    pip_default: Callable[[], tuple[str, str] | None] = pip_default_index,
) -> dict[str, Endpoint | Unavailable]:
    """The endpoint of every source, or an :class:`Unavailable` saying why there is none
    (falsy, like None, so ``if endpoint:`` reads naturally).

    ``config`` is the ``[online]`` table of the souverain configuration (``pypi``, ``npm``),
    ``env`` the environment, ``home`` the user's home, ``project_dir`` where a project
    ``.npmrc`` may be. ``run_npm`` allows running ``npm config get registry`` as a last resort:
    call this function in online runs only, or pass ``run_npm=False``.
    """
    return _resolve_all(config, env, home, etc, project_dir, run_npm, pip_default)


def missing_reasons(endpoints: Mapping[str, Endpoint | Unavailable | None]) -> list[Unavailable]:
    """The sources without an endpoint and why (``None`` values get a generic reason)."""
    return [
        ep if isinstance(ep, Unavailable) else Unavailable(source, "no endpoint configured")
        for source, ep in endpoints.items()
        if not isinstance(ep, Endpoint)
    ]


def _resolve_all(
    config: Mapping[str, str],
    env: Mapping[str, str],
    home: Path,
    etc: Path,
    project_dir: Path | None,
    run_npm: bool,
    pip_default: Callable[[], tuple[str, str] | None],
) -> dict[str, Endpoint | Unavailable]:
    return {
        "pypi": resolve_pypi(config, env, home, etc=etc, pip_default=pip_default),
        "npm": resolve_npm(
            config,
            env,
            home,
            project_dir=project_dir,
            npm_cli=npm_cli_registry if run_npm else None,
        ),
    }
