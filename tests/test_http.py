"""Tests of souverain.http against the local recorded registry (127.0.0.1 only)."""

from __future__ import annotations

import email.utils
from collections.abc import Iterator

import pytest
import requests

from souverain.http import (
    USER_AGENT,
    HostRateLimiter,
    Limits,
    TokenBucket,
    fetch_json,
    make_session,
    parse_retry_after,
)

from tests.http_server import RecordedServer

FAST = Limits(timeout=2.0, retries=3, backoff=0.01, backoff_cap=0.02, retry_after_cap=0.01)


@pytest.fixture
def server() -> Iterator[RecordedServer]:
    with RecordedServer(slow=1.0) as srv:
        yield srv


@pytest.fixture
def session() -> Iterator[requests.Session]:
    s = make_session(timeout=2.0)
    yield s
    s.close()


def test_make_session_settings() -> None:
    s = make_session(timeout=3.5, max_redirects=2, user_agent="souverain-test/1")
    assert s.max_redirects == 2
    assert s.headers["User-Agent"] == "souverain-test/1"
    assert s.headers["Accept"] == "application/json"
    assert getattr(s, "default_timeout", None) == 3.5
    assert USER_AGENT.startswith("souverain/")


def test_ok_answer_and_user_agent(server: RecordedServer, session: requests.Session) -> None:
    got = fetch_json(session, f"{server.url}/pypi/requests/2.31.0/json", limits=FAST)
    assert got.status == "ok"
    assert got.data is not None
    assert got.data["info"]["name"] == "requests"
    assert got.attempts == 1
    assert server.agents[-1].startswith("souverain/")


def test_404_is_not_found_without_retry(server: RecordedServer, session: requests.Session) -> None:
    got = fetch_json(session, f"{server.url}/npm/fault-404/1.0.0", limits=FAST)
    assert (got.status, got.http_status) == ("not-found", 404)
    assert len(server.paths) == 1


def test_403_is_an_error_without_retry(server: RecordedServer, session: requests.Session) -> None:
    got = fetch_json(session, f"{server.url}/npm/fault-403/1.0.0", limits=FAST)
    assert got.status == "error"
    assert "403" in got.error
    assert len(server.paths) == 1


def test_429_honours_retry_after_capped(server: RecordedServer, session: requests.Session) -> None:
    waits: list[float] = []
    got = fetch_json(session, f"{server.url}/npm/fault-429/1.0.0", limits=FAST, sleep=waits.append)
    assert got.status == "ok"
    assert len(server.paths) == 3
    assert waits == [0.01, 0.01]  # Retry-After: 1, capped at retry_after_cap


def test_500_then_success_backs_off_with_jitter(server: RecordedServer, session: requests.Session) -> None:
    waits: list[float] = []
    got = fetch_json(
        session, f"{server.url}/pypi/fault-500/json", limits=FAST, sleep=waits.append, jitter=lambda: 1.0
    )
    assert got.status == "ok"
    assert got.attempts == 2
    assert waits == [pytest.approx(0.015)]  # backoff 0.01 × (0.5 + jitter 1.0)


def test_500_without_retries_left_is_an_error(server: RecordedServer, session: requests.Session) -> None:
    got = fetch_json(session, f"{server.url}/pypi/fault-500/json", limits=Limits(retries=0))
    assert got.status == "error"
    assert "500" in got.error
    assert len(server.paths) == 1


def test_slow_answer_times_out(server: RecordedServer) -> None:
    s = make_session(timeout=0.2)
    got = fetch_json(s, f"{server.url}/npm/fault-slow/1.0.0", limits=Limits(retries=1, backoff=0.01))
    assert got.status == "error"
    assert "timed out" in got.error
    assert len(server.paths) == 2  # one retry


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("fault-malformed", "malformed JSON"),
        ("fault-huge", "larger than"),
        ("fault-html", "not JSON"),
        ("fault-loop", "more than 3 redirects"),
        ("fault-offhost", "another host"),
        ("fault-downgrade", "another scheme"),
    ],
)
def test_faults_are_errors_with_reasons(
    server: RecordedServer, session: requests.Session, name: str, message: str
) -> None:
    got = fetch_json(session, f"{server.url}/npm/{name}/1.0.0", limits=FAST)
    assert got.status == "error"
    assert message in got.error
    assert got.data is None
    assert all(p.startswith("/npm/") for p in server.paths)  # never left for the redirect target


def test_redirect_loop_stops_after_max_redirects(server: RecordedServer, session: requests.Session) -> None:
    fetch_json(session, f"{server.url}/npm/fault-loop/1.0.0", limits=FAST)
    assert len(server.paths) == FAST.max_redirects + 1


def test_huge_body_is_limited(server: RecordedServer, session: requests.Session) -> None:
    got = fetch_json(session, f"{server.url}/pypi/fault-huge/json", limits=Limits(max_bytes=7 * 1024 * 1024))
    assert got.status == "ok"  # under a larger limit the same answer is accepted


def test_deadline_already_past_sends_nothing(server: RecordedServer, session: requests.Session) -> None:
    got = fetch_json(session, f"{server.url}/pypi/requests/json", deadline=0.0, limits=FAST)
    assert got.status == "error"
    assert "deadline" in got.error
    assert server.paths == []


def test_deadline_stops_retries(server: RecordedServer, session: requests.Session) -> None:
    now = [100.0]

    def sleep(s: float) -> None:
        now[0] += s

    got = fetch_json(
        session,
        f"{server.url}/npm/fault-429/1.0.0",
        limits=Limits(retry_after_cap=30.0),
        deadline=100.5,
        clock=lambda: now[0],
        sleep=sleep,
    )
    assert got.status == "error"
    assert "deadline" in got.error
    assert len(server.paths) == 1  # waiting the 1 s Retry-After would pass the deadline


def test_parse_retry_after() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    date = email.utils.formatdate(1_000_030.0, usegmt=True)
    assert parse_retry_after(date, now=1_000_000.0) == pytest.approx(30.0)


def test_token_bucket_waits_for_tokens() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    bucket = TokenBucket(10.0, burst=1, clock=lambda: now[0], sleep=sleep)
    assert bucket.acquire()
    assert bucket.acquire()
    assert waits == [pytest.approx(0.1)]
    assert not bucket.acquire(deadline=now[0] + 0.05)


def test_host_rate_limiter_is_per_host() -> None:
    limiter = HostRateLimiter(rate=1000.0)
    assert limiter.acquire("http://127.0.0.1:1/a")
    assert limiter.acquire("http://user:pw@127.0.0.2:1/b")
    assert sorted(limiter._buckets) == ["127.0.0.1:1", "127.0.0.2:1"]
