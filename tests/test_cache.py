"""Tests of the registry answer cache (souverain.cache)."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from souverain.cache import DEFAULT_TTL, JsonCache, cache_clear, cache_info, default_cache_dir

DOC = {"info": {"name": "requests", "license": "Apache 2.0"}}


class Clock:
    """A settable clock."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_miss_then_hit(tmp_path: Path) -> None:
    cache = JsonCache(tmp_path)
    assert cache.get("pypi", "requests", "2.31.0") is None
    assert cache.put("pypi", "requests", "2.31.0", "ok", DOC)
    entry = cache.get("pypi", "requests", "2.31.0")
    assert entry is not None
    assert (entry.status, entry.data) == ("ok", DOC)
    assert cache.get("pypi", "requests", "2.32.0") is None  # the version is part of the key
    assert cache.get("npm", "requests", "2.31.0") is None  # so is the source


def test_not_found_is_cached(tmp_path: Path) -> None:
    cache = JsonCache(tmp_path)
    cache.put("npm", "@acme/missing", None, "not-found", None)
    entry = cache.get("npm", "@acme/missing")
    assert entry is not None
    assert (entry.status, entry.data) == ("not-found", None)


def test_expiry(tmp_path: Path) -> None:
    clock = Clock()
    cache = JsonCache(tmp_path, ttl=60.0, clock=clock)
    cache.put("npm", "express", "4.18.2", "ok", {"name": "express"})
    clock.now += 59
    assert cache.get("npm", "express", "4.18.2") is not None
    clock.now += 2
    assert cache.get("npm", "express", "4.18.2") is None
    assert cache.warnings == []


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'{"key": "pypi\\nother\\n", "status": "ok", "data": {}, "fetched_at": 1}',
        b'{"key": "pypi\\nrequests\\n", "status": "ok", "data": "text", "fetched_at": 1}',
    ],
)
def test_corrupt_entry_is_dropped_with_a_warning(tmp_path: Path, content: bytes) -> None:
    cache = JsonCache(tmp_path)
    cache.put("pypi", "requests", None, "ok", DOC)
    path = cache.path_for("pypi", "requests", None)
    path.write_bytes(content)
    assert cache.get("pypi", "requests", None) is None
    assert not path.exists()
    assert len(cache.warnings) == 1
    assert str(path) in cache.warnings[0]


def test_writes_are_atomic_and_leave_no_temporary_file(tmp_path: Path) -> None:
    cache = JsonCache(tmp_path)
    for i in range(5):
        cache.put("npm", f"pkg{i}", "1.0.0", "ok", {"name": f"pkg{i}"})
    cache.put("npm", "pkg0", "1.0.0", "ok", {"name": "pkg0", "version": "1.0.0"})
    files = sorted(p.name for p in (tmp_path / "registry" / "npm").iterdir())
    assert len(files) == 5
    assert not [f for f in files if f.startswith(".tmp-")]
    entry = cache.get("npm", "pkg0", "1.0.0")
    assert entry is not None
    assert entry.data == {"name": "pkg0", "version": "1.0.0"}


def test_unwritable_cache_is_a_warning_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    cache = JsonCache(blocker)
    assert not cache.put("npm", "x", "1", "ok", {"name": "x"})
    assert len(cache.warnings) == 1
    assert "cannot write cache entry" in cache.warnings[0]
    assert cache.get("npm", "x", "1") is None


def test_cache_info_and_clear(tmp_path: Path) -> None:
    cache = JsonCache(tmp_path)
    cache.put("npm", "a", "1", "ok", {"name": "a"})
    cache.put("npm", "b", "1", "ok", {"name": "b"})
    cache.put("pypi", "c", None, "not-found", None)
    old = cache.path_for("npm", "a", "1")
    os.utime(old, (1.0, 1.0))
    info = cache_info(tmp_path)
    assert info["entries"] == 3
    assert info["by_source"] == {"npm": 2, "pypi": 1}
    assert info["expired"] == 1
    assert info["bytes"] == sum(p.stat().st_size for p in (tmp_path / "registry").glob("*/*.json"))
    assert cache_clear(tmp_path) == 3
    assert cache_info(tmp_path)["entries"] == 0
    assert cache_clear(tmp_path) == 0
    assert cache_clear(tmp_path / "never-created") == 0


def test_default_cache_dir(tmp_path: Path) -> None:
    assert default_cache_dir({"SOUVERAIN_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert default_cache_dir({}).name.lower() == "souverain"
    assert DEFAULT_TTL == 7 * 24 * 3600


@settings(max_examples=60, deadline=None)
@given(
    source=st.sampled_from(["pypi", "npm", "../x", ""]),
    package=st.text(min_size=1, max_size=40),
    version=st.none() | st.text(max_size=20),
    data=st.dictionaries(st.text(max_size=10), st.integers() | st.text(max_size=10), max_size=5),
)
def test_any_key_round_trips_inside_the_cache_dir(
    tmp_path_factory: pytest.TempPathFactory,
    source: str,
    package: str,
    version: str | None,
    data: dict[str, object],
) -> None:
    root = tmp_path_factory.mktemp("cache")
    cache = JsonCache(root)
    assert cache.path_for(source, package, version).resolve().is_relative_to(root.resolve())
    try:
        orjson.dumps({"k": package, "v": version, "d": data})
    except TypeError:  # not JSON-serialisable (integer beyond 64 bits, lone surrogate): refused
        assert not cache.put(source, package, version, "ok", data)
        assert cache.warnings
        return
    assert cache.put(source, package, version, "ok", data)
    entry = cache.get(source, package, version)
    assert entry is not None
    assert entry.data == data
