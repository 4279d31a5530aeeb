"""The only module that imports :mod:`requests`: the session, the limits and a careful JSON GET.

* :func:`make_session` builds the one :class:`requests.Session` of a run (user agent, redirect
  limit, default timeout); it is injected everywhere (``EnrichContext.session``), never built
  inside a constructor.
* :func:`fetch_json` fetches one JSON document under :class:`Limits`: redirects followed by hand
  (at most ``max_redirects``, never to another scheme, never to another host unless allowed),
  only JSON content types, the body streamed and abandoned past ``max_bytes``, retries with
  exponential backoff and jitter on timeouts, connection errors, 429 (``Retry-After`` honoured,
  capped) and 5xx, all within an optional deadline. It never raises for a network problem: the
  outcome is a :class:`Fetched` value.
* :class:`HostRateLimiter` is a per-host token bucket shared by the worker threads.

No URL found in an SBOM is ever given to this module: callers build URLs from a configured
endpoint and a package identifier only.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import orjson
import requests

from souverain.endpoints import redact

try:
    from importlib.metadata import version as _dist_version

    _SOUVERAIN_VERSION = _dist_version("souverain")
except Exception:  # not installed (running from a checkout)
    _SOUVERAIN_VERSION = "0.1.0"

USER_AGENT = f"souverain/{_SOUVERAIN_VERSION} requests/{requests.__version__}"
"""The default User-Agent: tool and library versions, nothing about the user."""

JSON_TYPES = ("application/json", "+json")


@dataclass(frozen=True, slots=True)
class Limits:
    """Limits applied to every request. Times in seconds, sizes in bytes."""

    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 3
    retries: int = 3  # extra attempts after the first
    backoff: float = 0.5  # first backoff; doubled at each retry, with jitter
    backoff_cap: float = 8.0
    retry_after_cap: float = 30.0
    allow_cross_host: bool = False


class _Session(requests.Session):
    """A session that knows its default timeout (``requests`` has none)."""

    default_timeout: float = 10.0


def make_session(
    *, timeout: float = 10.0, max_redirects: int = 3, user_agent: str = USER_AGENT
) -> requests.Session:
    """The HTTP session of an online run: JSON ``Accept``, ``user_agent``, ``max_redirects``
    and a default ``timeout`` (read by :func:`fetch_json`). Proxy and CA settings come from the
    environment as usual for requests."""
    session = _Session()
    session.default_timeout = timeout
    session.max_redirects = max_redirects
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = "application/json"
    return session


def session_timeout(session: Any, fallback: float) -> float:
    """The default timeout a session was built with, or ``fallback``."""
    value = getattr(session, "default_timeout", None)
    return float(value) if isinstance(value, int | float) else fallback


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of one :func:`fetch_json`.

    ``status`` is ``ok`` (``data`` holds the JSON object), ``not-found`` (404/410: the package
    is not in the registry) or ``error`` (``error`` says why, without credentials).
    ``http_status`` is the last HTTP status seen (0 when none), ``attempts`` the number of
    requests sent, redirects included.
    """

    status: Literal["ok", "not-found", "error"]
    url: str
    data: dict[str, Any] | None = None
    error: str = ""
    http_status: int = 0
    attempts: int = 0


class TokenBucket:
    """A thread-safe token bucket: ``rate`` tokens per second, at most ``burst`` in store."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._tokens = self.burst
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self, deadline: float | None = None) -> bool:
        """Take one token, waiting as needed; False if it would not come before ``deadline``
        (a ``clock()`` value)."""
        if self.rate <= 0:
            return True
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return True
                wait = (1 - self._tokens) / self.rate
            if deadline is not None and now + wait > deadline:
                return False
            self._sleep(wait)


class HostRateLimiter:
    """One :class:`TokenBucket` per host, created on first use."""

    def __init__(self, rate: float = 20.0, burst: float | None = None) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def acquire(self, url: str, deadline: float | None = None) -> bool:
        """Take one token for ``url``'s host (see :meth:`TokenBucket.acquire`)."""
        host = urlsplit(url).netloc.rsplit("@", 1)[-1]
        with self._lock:
            bucket = self._buckets.get(host)
            if bucket is None:
                bucket = self._buckets[host] = TokenBucket(self.rate, self.burst)
        return bucket.acquire(deadline)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def _is_json(content_type: str) -> bool:
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or (main.startswith("application/") and main.endswith("+json"))


def _read_limited(response: requests.Response, max_bytes: int) -> bytes | None:
    """The body, or None when it exceeds ``max_bytes`` (stops reading as soon as it does)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class _Retry(Exception):
    """Internal: the attempt failed in a way worth retrying."""

    def __init__(self, reason: str, wait: float | None = None, http_status: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.http_status = http_status


def _one_attempt(
    session: Any, url: str, limits: Limits, timeout: float, headers: Mapping[str, str]
) -> tuple[Fetched, int]:
    """One request with its redirects; returns the outcome and the number of requests sent.
    Raises :class:`_Retry` for transient failures."""
    current = url
    origin = urlsplit(url)
    sent = 0
    for _hop in range(limits.max_redirects + 1):
        sent += 1
        try:
            response = session.get(
                current, timeout=timeout, stream=True, allow_redirects=False, headers=dict(headers)
            )
        except requests.Timeout as exc:
            raise _Retry(f"timed out after {timeout:g} s") from exc
        except requests.ConnectionError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__})") from exc
        except requests.RequestException as exc:
            return Fetched("error", url, error=f"request failed ({type(exc).__name__})"), sent
        try:
            code = int(response.status_code)
            if code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    return Fetched(
                        "error", url, error=f"redirect {code} without Location", http_status=code
                    ), sent
                target = urljoin(current, location)
                parts = urlsplit(target)
                if parts.scheme != origin.scheme:
                    return Fetched(
                        "error",
                        url,
                        error=f"refused redirect to another scheme ({parts.scheme})",
                        http_status=code,
                    ), sent
                if parts.netloc != origin.netloc and not limits.allow_cross_host:
                    return Fetched(
                        "error",
                        url,
                        error=f"refused redirect to another host ({redact(parts.netloc)})",
                        http_status=code,
                    ), sent
                current = target
                continue
            if code in (404, 410):
                return Fetched("not-found", url, http_status=code), sent
            if code == 429:
                raise _Retry(
                    "rate limited (429)", parse_retry_after(response.headers.get("Retry-After")), code
                )
            if code >= 500:
                raise _Retry(
                    f"server error ({code})", parse_retry_after(response.headers.get("Retry-After")), code
                )
            if code != 200:
                return Fetched("error", url, error=f"unexpected HTTP status {code}", http_status=code), sent
            content_type = response.headers.get("Content-Type", "")
            if not _is_json(content_type):
                return Fetched(
                    "error",
                    url,
                    error=f"not JSON (Content-Type {content_type or 'missing'!r})",
                    http_status=code,
                ), sent
            try:
                body = _read_limited(response, limits.max_bytes)
            except requests.Timeout as exc:
                raise _Retry(f"timed out after {timeout:g} s while reading") from exc
            except requests.RequestException as exc:
                raise _Retry(f"body read failed ({type(exc).__name__})") from exc
            if body is None:
                return Fetched(
                    "error", url, error=f"answer larger than {limits.max_bytes} bytes", http_status=code
                ), sent
            try:
                data = orjson.loads(body)
            except orjson.JSONDecodeError as exc:
                return Fetched("error", url, error=f"malformed JSON ({exc})", http_status=code), sent
            if not isinstance(data, dict):
                return Fetched("error", url, error="JSON answer is not an object", http_status=code), sent
            return Fetched("ok", url, data=data, http_status=code), sent
        finally:
            response.close()
    return Fetched("error", url, error=f"more than {limits.max_redirects} redirects"), sent


def fetch_json(
    session: Any,
    url: str,
    *,
    limits: Limits = Limits(),
    limiter: HostRateLimiter | None = None,
    deadline: float | None = None,
    headers: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> Fetched:
    """GET ``url`` and return its JSON object under ``limits`` (see the module doc).

    ``session`` is a :class:`requests.Session` or any object with a compatible ``get``;
    ``deadline`` is a ``clock()`` value after which no request or wait starts.
    """
    hdrs = {"Accept": "application/json", **(headers or {})}
    timeout = session_timeout(session, limits.timeout)
    attempts = 0
    last = ""
    last_status = 0
    for attempt in range(limits.retries + 1):
        if deadline is not None and clock() >= deadline:
            return Fetched(
                "error",
                url,
                error="deadline reached" + (f" after {last}" if last else ""),
                http_status=last_status,
                attempts=attempts,
            )
        if limiter is not None and not limiter.acquire(url, deadline):
            return Fetched("error", url, error="deadline reached while rate limited", attempts=attempts)
        t = timeout if deadline is None else max(0.001, min(timeout, deadline - clock()))
        try:
            outcome, sent = _one_attempt(session, url, limits, t, hdrs)
        except _Retry as retry:
            attempts += 1
            last, last_status = retry.reason, retry.http_status
            if attempt == limits.retries:
                break
            if retry.wait is not None:
                wait = min(retry.wait, limits.retry_after_cap)
            else:
                wait = min(limits.backoff * (2**attempt), limits.backoff_cap) * (0.5 + jitter())
            if deadline is not None and clock() + wait >= deadline:
                return Fetched(
                    "error",
                    url,
                    error=f"deadline reached after {last}",
                    http_status=last_status,
                    attempts=attempts,
                )
            sleep(wait)
            continue
        return Fetched(outcome.status, url, outcome.data, outcome.error, outcome.http_status, attempts + sent)
    return Fetched(
        "error",
        url,
        error=f"gave up after {attempts} attempts: {last}",
        http_status=last_status,
        attempts=attempts,
    )
