"""A small on-disk cache of registry answers: one JSON file per (source, package, version).

Location: the ``directory`` given, else ``SOUVERAIN_CACHE_DIR``, else
``platformdirs.user_cache_dir("souverain")``; entries live in ``<dir>/registry/<source>/``.
Each file holds the key it was written for, the time it was fetched, the HTTP outcome
(``ok`` or ``not-found``) and the document. Entries older than the TTL (default 7 days) are
ignored. Writes are atomic (temporary file in the same directory, then :func:`os.replace`), so a
reader never sees half a file; a file that cannot be read back (corrupt, wrong key) is deleted
and a warning is recorded. Cache failures never stop an audit.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import platformdirs

DEFAULT_TTL = 7 * 24 * 3600.0
SUBDIR = "registry"
_log = logging.getLogger(__name__)


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """``SOUVERAIN_CACHE_DIR`` if set, else the platform's user cache directory for souverain."""
    env = os.environ if env is None else env
    if env.get("SOUVERAIN_CACHE_DIR"):
        return Path(env["SOUVERAIN_CACHE_DIR"])
    return Path(platformdirs.user_cache_dir("souverain"))


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One cached answer: ``status`` ``ok`` with ``data``, or ``not-found``."""

    status: str
    data: dict[str, Any] | None
    fetched_at: float


def _key_text(source: str, package: str, version: str | None) -> str:
    return f"{source}\n{package}\n{version or ''}"


class JsonCache:
    """Registry answers on disk under ``directory`` (see the module doc). Thread-safe."""

    def __init__(
        self,
        directory: Path,
        *,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = Path(directory)
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self.warnings: list[str] = []

    def _warn(self, message: str) -> None:
        _log.warning("%s", message)
        with self._lock:
            self.warnings.append(message)

    def path_for(self, source: str, package: str, version: str | None = None) -> Path:
        """The file holding the entry for this key."""
        key = _key_text(source, package, version).encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(key).hexdigest()[:40]
        safe_source = "".join(c for c in source if c.isalnum() or c in "-_") or "unknown"
        return self.directory / SUBDIR / safe_source / f"{digest}.json"

    def get(self, source: str, package: str, version: str | None = None) -> CacheEntry | None:
        """The fresh entry for this key, or None (missing, expired, or corrupt — then deleted)."""
        path = self.path_for(source, package, version)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._warn(f"cache entry {path} unreadable: {exc.strerror}")
            return None
        try:
            doc = orjson.loads(raw)
            if not isinstance(doc, dict) or doc.get("key") != _key_text(source, package, version):
                raise ValueError("wrong key")
            status = doc["status"]
            data = doc.get("data")
            fetched_at = float(doc["fetched_at"])
            if status not in ("ok", "not-found") or (status == "ok" and not isinstance(data, dict)):
                raise ValueError("bad status or data")
        except (orjson.JSONDecodeError, ValueError, KeyError, TypeError) as exc:
            self._warn(f"corrupt cache entry {path} dropped ({exc})")
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        if self._clock() - fetched_at > self.ttl:
            return None
        return CacheEntry(status, data if status == "ok" else None, fetched_at)

    def put(
        self,
        source: str,
        package: str,
        version: str | None,
        status: str,
        data: dict[str, Any] | None,
    ) -> bool:
        """Store an answer atomically; False (and a warning) when the cache cannot be written."""
        path = self.path_for(source, package, version)
        doc = {
            "key": _key_text(source, package, version),
            "fetched_at": self._clock(),
            "status": status,
            "data": data,
        }
        try:
            payload = orjson.dumps(doc)
        except TypeError as exc:  # orjson.JSONEncodeError: e.g. an integer beyond 64 bits
            self._warn(f"cannot cache {source} {package}: {exc}")
            return False
        tmp: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
            os.replace(tmp, path)
        except OSError as exc:
            self._warn(f"cannot write cache entry {path}: {exc.strerror or exc}")
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return False
        return True


def _entries(directory: Path) -> list[Path]:
    root = Path(directory) / SUBDIR
    if not root.is_dir():
        return []
    return [p for p in root.glob("*/*.json") if p.is_file() and not p.name.startswith(".tmp-")]


def cache_info(directory: Path, *, ttl: float = DEFAULT_TTL, now: float | None = None) -> dict[str, Any]:
    """What the cache holds: ``path``, ``entries``, ``bytes``, ``expired`` and
    ``by_source`` (entries per source), for ``souverain cache info``."""
    current = time.time() if now is None else now
    by_source: dict[str, int] = {}
    size = expired = 0
    files = _entries(directory)
    for p in files:
        by_source[p.parent.name] = by_source.get(p.parent.name, 0) + 1
        try:
            st = p.stat()
        except OSError:
            continue
        size += st.st_size
        if current - st.st_mtime > ttl:
            expired += 1
    return {
        "path": str(directory),
        "entries": len(files),
        "bytes": size,
        "expired": expired,
        "by_source": dict(sorted(by_source.items())),
    }


def cache_clear(directory: Path) -> int:
    """Delete every registry entry (and leftover temporary files); returns how many entries."""
    root = Path(directory) / SUBDIR
    removed = 0
    if not root.is_dir():
        return 0
    for p in root.glob("*/*.json"):
        try:
            p.unlink()
        except OSError:
            continue
        if not p.name.startswith(".tmp-"):
            removed += 1
    for d in root.iterdir():
        with contextlib.suppress(OSError):
            d.rmdir()
    return removed
