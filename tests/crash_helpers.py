"""The real server (`practice serve`, gunicorn gthread) as a process group of its own that tests
can SIGKILL and start again, and a minimal HTTP browser (cookies, forms, no redirects followed)
to talk to it. Used by tests/test_crash.py."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PRACTICE = Path(sys.executable).with_name("practice")
SERVE = ([str(PRACTICE)] if PRACTICE.is_file()
         else [sys.executable, "-c", "from practice.cli import main; main()"])
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF.search(html)
    if not match:
        raise ValueError("page has no CSRF token")
    return match.group(1) or match.group(2)


class Response:
    def __init__(self, status: int, location: str, text: str):
        self.status, self.location, self.text = status, location, text


class Browser:
    """Cookies kept per instance; one short connection per request (a killed server then never
    leaves a half-dead keep-alive connection behind). Not shared between threads."""

    def __init__(self, port: int, timeout: float = 15.0):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            headers = {"Accept-Language": "en", "Connection": "close"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            for header in raw.msg.get_all("Set-Cookie") or []:
                self._take_cookie(header)
            location = raw.getheader("Location") or ""
            try:
                text = raw.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                if raw.status != 302:
                    raise
                text = ""  # the answer came, cut off in its body: it still counts as given
            return Response(raw.status, location, text)
        finally:
            connection.close()

    def _take_cookie(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            expired = morsel["max-age"] == "0" or (
                morsel["expires"] and "1970" in morsel["expires"])
            if expired or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)


def live_members(pgid: int) -> list[int]:
    """Processes of the group that are still running (zombies waiting to be reaped excluded)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            alive.append(int(entry.name))
    return alive


class Server:
    """`practice serve` in a session (so a process group) of its own; log appended to a file."""

    def __init__(self, port: int, env: dict, log: Path, workers: int = 2, threads: int = 4):
        self.port, self.env, self.log = port, env, log
        self.args = [*SERVE, "serve", "--host", "127.0.0.1", "--port", str(port),
                     "--workers", str(workers), "--threads", str(threads)]
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, ready_within: float = 30.0) -> float:
        """Start the server and wait until it answers; returns the seconds it took."""
        began = time.monotonic()
        with self.log.open("ab") as handle:
            handle.write(f"\n=== start {self.starts + 1} ===\n".encode())
            handle.flush()
            self.process = subprocess.Popen(self.args, env=self.env, cwd=ROOT, stdout=handle,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.starts += 1
        probe = Browser(self.port, timeout=5)
        while time.monotonic() - began < ready_within:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.kill()
                raise RuntimeError(f"server exited with {code}:\n{self.tail()}")
            try:
                probe.get("/login")  # any answer: a worker serves
                return time.monotonic() - began
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"server did not answer within {ready_within} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL the whole group (master and workers) at once and wait until all are gone."""
        if self.process is None:
            return
        pgid = self.process.pid  # start_new_session: the master leads its own group
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while live_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.01)
        left = live_members(pgid)
        self.process = None
        if left:
            raise RuntimeError(f"server processes {left} survived SIGKILL")

    def tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
