"""The audit policy: loading (``--policy FILE``, ``./souverain.toml``, ``[tool.souverain]`` in
``./pyproject.toml``, defaults), validation with errors naming the file and the key, waivers,
baseline comparison and the fail decision.

See docs/policy.md for the file format and the exit codes.
"""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson

from souverain.analyse.findings import DEFAULT_THRESHOLDS
from souverain.analyse.rules import RULES_BY_ID
from souverain.errors import InputError, PolicyError
from souverain.model import AuditResult, Finding, Policy, Severity, Waiver

POLICY_KEYS = frozenset({"home", "trusted", "fail_on", "thresholds", "allow"})
OTHER_SECTIONS = frozenset({"online", "knowledge", "controllers", "overrides", "report", "cache"})
"""Tables of the same file that belong to other modules (read through :func:`load_config`)."""

WORSENED_SHARE = 0.05
"""A finding whose share grew by at least this much since the baseline is *worsened*."""

_CODE = re.compile(r"^[A-Z]{2}$")
_BLOC = re.compile(r"^[A-Z][A-Za-z0-9_-]{2,}$")
_RULE = re.compile(r"^SOV\d{3}$")
CLI = "command line"


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as e:
        raise PolicyError(str(path), f"cannot read the file: {e.strerror or e}") from e
    except tomllib.TOMLDecodeError as e:
        raise PolicyError(str(path), f"invalid TOML: {e}") from e


def _locate(path: Path | None, cwd: Path) -> tuple[dict[str, Any], str | None, str]:
    """The raw settings table, the file it came from and the key prefix for error locations."""
    if path is not None:
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            return _tool_section(data, path), str(path), "tool.souverain."
        return data, str(path), ""
    own = cwd / "souverain.toml"
    if own.is_file():
        return _read_toml(own), str(own), ""
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        section = _tool_section(_read_toml(pyproject), pyproject)
        if section:
            return section, str(pyproject), "tool.souverain."
    return {}, None, ""


def _tool_section(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    tool = data.get("tool", {})
    section = tool.get("souverain", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise PolicyError(str(path), "must be a table", location="tool.souverain")
    return section


def load_config(path: Path | None, *, cwd: Path) -> dict[str, Any]:
    """The raw settings (the whole ``souverain.toml`` or ``[tool.souverain]`` table, e.g. the
    ``[online]`` and ``[knowledge]`` sections other modules read); ``{}`` when there is none."""
    data, _, _ = _locate(path, cwd)
    return data


def load_policy(
    path: Path | None = None,
    *,
    cwd: Path,
    overrides: Mapping[str, Any] | None = None,
    known_blocs: Collection[str] | None = None,
) -> Policy:
    """Load and validate the policy; command-line ``overrides`` (``home``, ``trusted``,
    ``fail_on``) win over the file. Raises :class:`PolicyError` naming the file and the key."""
    data, source, prefix = _locate(path, cwd)
    where = source or "<defaults>"
    for key, value in data.items():
        if key in POLICY_KEYS:
            continue
        if key in OTHER_SECTIONS and isinstance(value, dict):
            continue
        raise PolicyError(where, f"unknown setting {key!r}{_hint(key)}", location=prefix + key)
    policy = Policy(source=source)
    if "home" in data:
        policy = replace(policy, home=_codes(data["home"], where, prefix + "home", known_blocs))
    if "trusted" in data:
        policy = replace(
            policy, trusted=_codes(data["trusted"], where, prefix + "trusted", known_blocs, allow_empty=True)
        )
    if "fail_on" in data:
        policy = replace(policy, fail_on=_fail_on(data["fail_on"], where, prefix + "fail_on"))
    policy = replace(policy, thresholds=_thresholds(data.get("thresholds", {}), where, prefix + "thresholds"))
    policy = replace(policy, waivers=_waivers(data.get("allow", []), where, prefix + "allow"))
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key == "home":
            policy = replace(policy, home=_codes(value, CLI, "--home", known_blocs))
        elif key == "trusted":
            policy = replace(policy, trusted=_codes(value, CLI, "--trusted", known_blocs, allow_empty=True))
        elif key == "fail_on":
            policy = replace(policy, fail_on=_fail_on(value, CLI, "--fail-on"))
        else:
            raise PolicyError(CLI, f"unknown policy override {key!r}", location=key)
    return policy


def _codes(
    value: Any, where: str, key: str, known_blocs: Collection[str] | None, *, allow_empty: bool = False
) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list | tuple) and not items and allow_empty:
        return ()  # "trusted = []": nothing is trusted beyond the home jurisdiction
    if not isinstance(items, list | tuple) or not items:
        raise PolicyError(where, "expected a country code, a bloc name or a list of them", location=key)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise PolicyError(where, f"expected a string, got {item!r}", location=key)
        if _CODE.match(item):
            out.append(item)
            continue
        if known_blocs is not None:
            if item in known_blocs:
                out.append(item)
                continue
            hint = f"; known blocs: {', '.join(sorted(known_blocs))}" if known_blocs else ""
            if len(item) == 2 and item.upper() != item:
                hint = f"; did you mean {item.upper()!r}?"
            raise PolicyError(
                where, f"{item!r} is neither an ISO 3166-1 alpha-2 code nor a known bloc{hint}", location=key
            )
        if len(item) == 2:
            raise PolicyError(
                where,
                f"{item!r}: country codes are two uppercase letters (did you mean {item.upper()!r}?)",
                location=key,
            )
        if not _BLOC.match(item):
            raise PolicyError(
                where, f"{item!r} is neither an ISO 3166-1 alpha-2 code nor a bloc name", location=key
            )
        out.append(item)
    return tuple(dict.fromkeys(out))


def _fail_on(value: Any, where: str, key: str) -> Severity | None:
    if isinstance(value, str):
        if value.lower() == "none":
            return None
        try:
            return Severity(value.lower())
        except ValueError:
            pass
    choices = ", ".join([*(s.value for s in Severity), "none"])
    raise PolicyError(where, f"invalid severity {value!r} (expected one of {choices})", location=key)


_SYNONYMS = dict.fromkeys(
    [
        *("waiver", "waivers", "waive", "allowlist", "allow_list", "allow-list"),
        *("exception", "exceptions", "ignore", "suppress", "suppressions"),
    ],
    "allow",
)
"""Names other tools give their waiver tables: the hint points them at ``[[allow]]``."""


def _hint(key: str) -> str:
    """"; did you mean …?" for an unknown top-level key that is a typo (``fail-on``) or another
    tool's name of a known one (``[[waiver]]``), else ""."""
    known = _SYNONYMS.get(key.lower())
    if known is None:
        keys = sorted(POLICY_KEYS | OTHER_SECTIONS)
        close = difflib.get_close_matches(key.lower().replace("-", "_"), keys, 1)
        known = close[0] if close else None
    if known is None:
        return ""
    if known == "allow":
        return "; did you mean [[allow]]?"
    table = known in OTHER_SECTIONS or known == "thresholds"
    return f"; did you mean [{known}]?" if table else f"; did you mean {known}?"


def _thresholds(value: Any, where: str, key: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise PolicyError(where, "must be a table", location=key)
    out = dict(DEFAULT_THRESHOLDS)
    for name, v in value.items():
        if name not in DEFAULT_THRESHOLDS:
            known = ", ".join(sorted(DEFAULT_THRESHOLDS))
            raise PolicyError(where, f"unknown threshold {name!r} (known: {known})", location=f"{key}.{name}")
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
            raise PolicyError(
                where, f"expected a number between 0 and 1, got {v!r}", location=f"{key}.{name}"
            )
        out[name] = float(v)
    return out


_WAIVER_KEYS = ("purl", "rule", "reason", "expires")
_WAIVER_SYNONYMS = {
    **dict.fromkeys(("package", "pattern", "component", "name"), "purl"),
    **dict.fromkeys(("id", "rules", "finding", "rule_id"), "rule"),
    **dict.fromkeys(("justification", "comment", "why", "note"), "reason"),
    **dict.fromkeys(("expiry", "expiration", "expire", "until", "expires_on", "valid_until"), "expires"),
}


def _waivers(value: Any, where: str, key: str) -> tuple[Waiver, ...]:
    if not isinstance(value, list):
        raise PolicyError(where, "must be an array of tables ([[allow]])", location=key)
    out: list[Waiver] = []
    for i, entry in enumerate(value):
        loc = f"{key}[{i}]"
        if not isinstance(entry, dict):
            raise PolicyError(where, "must be a table", location=loc)
        for k in entry:
            if k not in _WAIVER_KEYS:
                near = _WAIVER_SYNONYMS.get(k.lower()) or next(
                    iter(difflib.get_close_matches(k.lower(), _WAIVER_KEYS, 1)), None
                )
                hint = f"; did you mean {near!r}?" if near else f" (known: {', '.join(_WAIVER_KEYS)})"
                raise PolicyError(where, f"unknown key {k!r}{hint}", location=f"{loc}.{k}")
        purl = entry.get("purl")
        if not isinstance(purl, str) or not (purl.startswith(("pkg:", "name:")) or purl == "*"):
            raise PolicyError(
                where,
                "a purl pattern starting with 'pkg:' (or 'name:<group>/<name>' for a component "
                "without purl, or '*') is required",
                location=f"{loc}.purl",
            )
        purl = _canonical_pattern(purl, where, f"{loc}.purl")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise PolicyError(where, "a reason is required", location=f"{loc}.reason")
        expires = entry.get("expires")
        if isinstance(expires, datetime.date) and not isinstance(expires, datetime.datetime):
            expires = expires.isoformat()
        if not isinstance(expires, str):
            raise PolicyError(where, "an expiry date (YYYY-MM-DD) is required", location=f"{loc}.expires")
        try:
            datetime.date.fromisoformat(expires)
        except ValueError:
            raise PolicyError(
                where, f"invalid date {expires!r} (expected YYYY-MM-DD)", location=f"{loc}.expires"
            ) from None
        rule = entry.get("rule")
        if rule is not None and (
            not isinstance(rule, str) or not _RULE.match(rule) or rule not in RULES_BY_ID
        ):
            raise PolicyError(where, f"unknown rule {rule!r}", location=f"{loc}.rule")
        out.append(Waiver(purl=purl, reason=reason, expires=expires, rule=rule))
    return tuple(out)


def _canonical_pattern(pattern: str, where: str, location: str) -> str:
    """A waiver's purl glob in the form the findings' subjects take (see
    :func:`souverain.analyse.findings.component_key`): the type in lower case and an npm scope's
    ``@`` percent-encoded, as canonical purls have them (``pkg:npm/@angular/*`` →
    ``pkg:npm/%40angular/*``). Any other ``@`` is a version, which subjects never carry: an
    error, since the waiver would silently match nothing."""
    if not pattern.startswith("pkg:"):
        return pattern  # "*", or "name:<group>/<name>" (matched as written)
    head, slash, rest = pattern[4:].partition("/")
    rest = "/".join("%40" + part[1:] if part.startswith("@") else part for part in rest.split("/"))
    if "@" in rest:
        version = rest[rest.index("@") :]
        raise PolicyError(
            where,
            f"{pattern!r}: a waiver matches the purl without its version; drop {version!r} "
            "(the waiver then covers every version)",
            location=location,
        )
    return f"pkg:{head.lower()}{slash}{rest}"


def load_baseline(path: Path) -> dict[str, Any]:
    """A previous JSON report, for :func:`compare_baseline`. Raises :class:`InputError`."""
    try:
        data = orjson.loads(path.read_bytes())
    except OSError as e:
        raise InputError(str(path), f"cannot read the baseline: {e.strerror or e}") from e
    except orjson.JSONDecodeError as e:
        raise InputError(str(path), f"the baseline is not valid JSON: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise InputError(str(path), "not a souverain JSON report (no 'findings' list)", location="/findings")
    for i, f in enumerate(data["findings"]):
        if not isinstance(f, dict) or not isinstance(f.get("fingerprint"), str):
            raise InputError(str(path), "finding without a fingerprint", location=f"/findings/{i}")
    return data


# --------------------------------------------------------------------------------------------
# Waivers, baseline, verdict
# --------------------------------------------------------------------------------------------


def apply_waivers(
    findings: Iterable[Finding],
    keys: Mapping[str, str],
    waivers: Sequence[Waiver],
    today: datetime.date,
) -> tuple[list[Finding], list[str]]:
    """Mark the findings a waiver covers (``keys``: fingerprint → versionless purl or subject
    key). An expired waiver does not apply and produces a warning."""
    out: list[Finding] = []
    warnings: list[str] = []
    warned: set[int] = set()
    for f in findings:
        key = keys.get(f.fingerprint, "")
        for i, w in enumerate(waivers):
            if w.rule is not None and w.rule != f.rule:
                continue
            if not (w.purl == "*" or fnmatch.fnmatchcase(key, w.purl)):
                continue
            if datetime.date.fromisoformat(w.expires) < today:
                if i not in warned:
                    warned.add(i)
                    warnings.append(
                        f"waiver {w.purl!r}{' for ' + w.rule if w.rule else ''} expired on {w.expires} "
                        f"({w.reason}); its findings count again"
                    )
                continue
            f = replace(f, waived=w.reason)
            break
        out.append(f)
    return out, warnings


def _finding_from_json(d: Mapping[str, Any]) -> Finding:
    try:
        severity = Severity(d.get("severity", "info"))
    except ValueError:
        severity = Severity.INFO
    share = d.get("share")
    return Finding(
        fingerprint=str(d["fingerprint"]),
        rule=str(d.get("rule", "")),
        title=str(d.get("title", "")),
        severity=severity,
        component=d.get("component"),
        share=float(share) if isinstance(share, int | float) else None,
        message=str(d.get("message", "")),
        evidence=tuple(str(e) for e in d.get("evidence", ())),
        recommendation=str(d.get("recommendation", "")),
        waived=d.get("waived"),
        status="resolved",
        params={
            str(k): v
            for k, v in (d.get("params") or {}).items()
            if v is None or isinstance(v, str | int | float | bool)
        }
        if isinstance(d.get("params"), dict)
        else {},
    )


def compare_baseline(
    findings: Iterable[Finding], baseline: Mapping[str, Any]
) -> tuple[list[Finding], list[Finding]]:
    """Set each finding's ``status`` (new / worsened / unchanged) against the baseline's, and
    return the baseline findings that are gone (status ``resolved``)."""
    previous = {
        f["fingerprint"]: f
        for f in baseline.get("findings", ())
        if isinstance(f, dict) and isinstance(f.get("fingerprint"), str)
    }
    out: list[Finding] = []
    seen: set[str] = set()
    for f in findings:
        seen.add(f.fingerprint)
        old = previous.get(f.fingerprint)
        if old is None:
            status = "new"
        else:
            before = _finding_from_json(old)
            grew = f.share is not None and f.share - (before.share or 0.0) >= WORSENED_SHARE
            status = "worsened" if f.severity.rank > before.severity.rank or grew else "unchanged"
        out.append(replace(f, status=status))
    resolved = [_finding_from_json(d) for fp, d in previous.items() if fp not in seen]
    return out, resolved


def should_fail(result: AuditResult) -> bool:
    """True when a non-waived finding is at or above ``policy.fail_on``; with a baseline, only
    new or worsened findings count."""
    threshold = result.policy.fail_on
    if threshold is None:
        return False
    for f in result.findings:
        if f.waived is not None or f.severity.rank < threshold.rank:
            continue
        if f.status in (None, "new", "worsened"):
            return True
    return False
