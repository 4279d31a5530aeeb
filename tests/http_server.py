"""A local registry for tests and benchmarks: recorded answers and fault modes on 127.0.0.1.

Routes (``<src>`` is ``pypi`` or ``npm``; the endpoints under test are ``<url>/pypi`` and
``<url>/npm``):

* ``/pypi/<name>/json`` and ``/pypi/<name>/<version>/json`` → ``fixtures/http/pypi/<name>.json``
* ``/npm/<name>/<version>`` and ``/npm/<name>`` → ``fixtures/http/npm/<name>.json`` (a scope's
  ``/`` is ``__`` in the file name: ``@google-cloud__storage.json``)
* a package whose name starts with ``fault-`` triggers a fault, whatever the source:
  ``fault-404``, ``fault-429`` (429 with ``Retry-After: 1`` twice, then the ``generic`` answer),
  ``fault-500`` (500 once, then the answer), ``fault-slow`` (answers after ``slow`` seconds),
  ``fault-malformed``, ``fault-huge`` (6 MB body), ``fault-html`` (``text/html``),
  ``fault-loop`` (redirects to itself), ``fault-offhost`` (redirects to another host),
  ``fault-downgrade`` (redirects to another scheme), ``fault-403``.
* with ``generic=True`` any unknown npm or PyPI name gets the generic answer of its source.

Every request path is recorded in :attr:`RecordedServer.paths`. Nothing here touches a network
beyond the loopback interface.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote

FIXTURES = Path(__file__).parent / "fixtures" / "http"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive: every answer has a Content-Length
    disable_nagle_algorithm = True  # headers and body are two writes: avoid the delayed-ACK stall

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr log."""

    def _send(self, code: int, body: bytes, ctype: str = "application/json", **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def do_GET(self) -> None:
        """Serve a recorded answer or a fault."""
        owner = self.server.owner
        path = self.path
        with owner.lock:
            owner.paths.append(path)
            owner.agents.append(self.headers.get("User-Agent", ""))
            owner.hits[path] = owner.hits.get(path, 0) + 1
            hits = owner.hits[path]
        if owner.latency:
            time.sleep(owner.latency)
        parts = [unquote(p) for p in path.split("?", 1)[0].split("/") if p]
        if len(parts) < 2 or parts[0] not in ("pypi", "npm"):
            self._send(404, b'{"error":"not found"}')
            return
        source, name = parts[0], parts[1]
        if name.startswith("fault-"):
            self._fault(source, name, hits, path)
            return
        answer = owner.answer(source, name)
        if answer is None:
            self._send(404, b'{"error":"Not Found"}')
        else:
            self._send(200, answer)

    def _fault(self, source: str, name: str, hits: int, path: str) -> None:
        owner = self.server.owner
        generic = owner.generic_answer(source)
        if name == "fault-404":
            self._send(404, b'{"message":"Not Found"}')
        elif name == "fault-403":
            self._send(403, b'{"message":"Forbidden"}')
        elif name == "fault-429":
            if hits <= 2:
                self._send(429, b'{"message":"Too Many Requests"}', Retry_After="1")
            else:
                self._send(200, generic)
        elif name == "fault-500":
            if hits == 1:
                self._send(500, b'{"message":"Internal Server Error"}')
            else:
                self._send(200, generic)
        elif name == "fault-slow":
            time.sleep(owner.slow)
            self._send(200, generic)
        elif name == "fault-malformed":
            self._send(200, b'{"info": {"name": "fault-malformed", ')
        elif name == "fault-huge":
            filler = b'{"info": {"name": "x", "summary": "' + b"a" * (6 * 1024 * 1024) + b'"}}'
            self._send(200, filler)
        elif name == "fault-html":
            self._send(200, b"<html><body>login</body></html>", "text/html; charset=utf-8")
        elif name == "fault-loop":
            self._send(302, b"", Location=path)
        elif name == "fault-offhost":
            self._send(302, b"", Location="http://localhost:9/" + source + "/elsewhere")
        elif name == "fault-downgrade":
            self._send(302, b"", Location="ftp://127.0.0.1/" + source)
        else:
            self._send(404, b"{}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: RecordedServer


class RecordedServer:
    """The local registry (see the module doc). Use as a context manager; ``url`` is its root."""

    def __init__(
        self,
        fixtures: Path = FIXTURES,
        *,
        latency: float = 0.0,
        slow: float = 1.0,
        generic: bool = False,
    ) -> None:
        self.fixtures = fixtures
        self.latency = latency
        self.slow = slow
        self.generic = generic
        self.paths: list[str] = []
        self.agents: list[str] = []
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self._answers: dict[tuple[str, str], bytes | None] = {}
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, source: str, name: str) -> bytes | None:
        """The recorded answer for a package (the generic one when enabled), or None."""
        key = (source, name)
        with self.lock:
            if key not in self._answers:
                f = self.fixtures / source / (name.replace("/", "__") + ".json")
                self._answers[key] = f.read_bytes() if f.is_file() else None
            found = self._answers[key]
        if found is None and self.generic:
            return self.generic_answer(source)
        return found

    def generic_answer(self, source: str) -> bytes:
        """The generic answer of a source (``fixtures/http/<source>/_generic.json``)."""
        return (self.fixtures / source / "_generic.json").read_bytes()

    def __enter__(self) -> RecordedServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def main() -> None:
    """Serve from a separate process (for benchmarks): prints the URL, serves until stdin closes."""
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--generic", action="store_true")
    args = parser.parse_args()
    with RecordedServer(latency=args.latency, generic=args.generic) as server:
        print(server.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
