"""HTTP benchmark: the main pages over the real server at 1,000 and 100,000 clients.

Usage:
  .venv/bin/python bench/http_pages.py [--sizes 1000,100000] [--database sqlite|postgresql://...]
                                       [--workers 2] [--seconds 4] [--rounds 3] [--write]

For each size: a fresh database built by the migrations, filled by bulk insert (bench/fill.py),
served with the production recipe (gunicorn gthread, as ``practice serve``, plus the bare routes:
bench/serve_bench.py), signed in as the admin over HTTP; every size is served at once. Then, in
rounds that take the sizes in turn (and the pages in turn within a size), 8
keep-alive connections ask for each page for a few seconds: the bare read, the start page, the
client list, a name search, the client page; and post, a fixed number each round, to the bare
insert route and the diary (each diary post fills a new slot, so rows stored must equal posts
acknowledged). Prints p50, p99 and requests/s (medians of the rounds) and the ratios against the
bare routes; ``--write`` appends the table to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import loadgen  # noqa: E402
from fill import ADMIN_EMAIL, PASSWORD  # noqa: E402
from practices import practice_of  # noqa: E402

PAGES = ("bare read", "start page", "client list", "search", "client page")
WRITES = ("bare insert", "diary post", "bare form post")  # the diary next to its yardstick


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser for signing in: cookies, no redirects followed."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None, cookies: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        jar = {**self.cookies, **(cookies or {})}
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                   "Accept-Language": "en"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response.status, response.getheader("Location", ""), text


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def sign_in(port: int, secret: str) -> str:
    """Sign in as the admin (password, then the TOTP code); returns the session cookie value."""
    import pyotp

    browser = Browser(port)
    _, _, page = browser.request("GET", "/login")
    status, location, _ = browser.request("POST", "/login", {
        "csrf_token": csrf(page), "email": ADMIN_EMAIL, "password": PASSWORD})
    assert status == 302 and location.endswith("/login/code"), (status, location)
    _, _, page = browser.request("GET", "/login/code")
    status, location, _ = browser.request("POST", "/login/code", {
        "csrf_token": csrf(page), "code": pyotp.TOTP(secret).now()})
    assert status == 302 and not location.endswith("/login/code"), (status, location)
    return browser.cookies["practice_session"]


def diary_session(port: int, cookie: str, day: str) -> tuple[str, str]:
    """A diary client's session cookie and CSRF token (one serves every diary post)."""
    browser = Browser(port)
    status, _, page = browser.request("GET", f"/diary/{day}/morning",
                                      cookies={"practice_diary": cookie})
    assert status == 200, status
    return browser.cookies["practice_session"], csrf(page)


def start_server(port: int, workers: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "serve_bench.py"), str(port), str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start: " + server.stderr.read().decode()[-2000:])


def stop_server(server: subprocess.Popen) -> str:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        _, errors = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        _, errors = server.communicate()
    return errors.decode("utf-8", "replace")


def spread_by_client(slots: list, seed: int, apart: int = 16) -> list:
    """The free slots in a shuffled order (the same in every run) where no client posts twice
    within ``apart`` posts.

    The fill lists a client's free slots together (today's two, a silent client's late week).
    Taken in that order, the 8 connections often posted 8 entries of one client at once, which
    waited on that client's row (PostgreSQL locks it for the attention state): 218 posts/s in
    such a round. A client posts from one phone, one entry at a time. The shuffle keeps the
    fill's mix in every round at both sizes: about 40 % today's entries of clients who keep
    their diary (a week of entries read with each), 60 % late entries of quiet clients (whose
    week is empty, a cheaper post). Taking one slot of every client in turn instead put only
    the quiet clients' late weeks into the rounds at 100,000 clients.
    """
    pending = list(slots)
    random.Random(seed).shuffle(pending)
    placed: list = []
    recent: collections.deque = collections.deque(maxlen=apart)
    while pending:
        # The first waiting slot of a client who has not posted just now (else the first).
        index = next((i for i, slot in enumerate(pending) if slot[0] not in recent), 0)
        slot = pending.pop(index)
        placed.append(slot)
        recent.append(slot[0])
    return placed[::-1]  # posts are popped from the end


class SizeRun:
    """One practice size, filled (or reused), served and signed in; its rounds are run in turn
    with the other sizes' (``one_round``), so that a slower minute of the machine falls on every
    size alike and the growth column compares like with like."""

    def __init__(self, size: int, args, stack: contextlib.ExitStack):
        self.size, self.args = size, args
        folder, url, env, secret, ids, self.fill_seconds = stack.enter_context(
            practice_of(size, args))
        from practice import create_app

        self.app = create_app()
        port = self.port = free_port()
        self.server = start_server(port, args.workers, env)
        stack.callback(self._stop)
        self.log = ""
        session = sign_in(port, secret)
        self.cookies = ids["diary_cookies"]
        self.slots = spread_by_client(ids["free_slots"], seed=size)
        self.diary_session, self.diary_token = diary_session(
            port, self.cookies[self.slots[0][0]], self.slots[0][1])
        self.practitioner = {"Cookie": f"practice_session={session}", "Accept-Language": "de"}
        browser = Browser(port)  # the bare form's session and token, as the diary's
        status, _, page = browser.request("GET", "/_bench/form")
        assert status == 200, status
        self.form_session, self.form_token = browser.cookies["practice_session"], csrf(page)
        self.paths = {"bare read": "/_bench/read", "start page": "/",
                      "client list": "/clients/", "search": "/clients/?q=jana+mei",
                      "client page": f"/clients/{ids['demo_client']}"}
        for name, path in self.paths.items():  # warm up every worker, check each page answers
            result = loadgen.run("127.0.0.1", port, lambda p=path: loadgen.Request(
                "GET", p, self.practitioner), connections=args.connections,
                seconds=args.warm_up)
            assert set(result.statuses) == {200}, (name, result.statuses)
        self.results: dict[str, list] = {name: [] for name in PAGES + WRITES}
        self.pages = [n for n in PAGES if not args.pages or n == "bare read" or n in args.pages]
        self.free_slots, self.cycle = list(ids["free_slots"]), 0
        self.first_entry = next_entry_id(self.app)  # entries from here on are the benchmark's
        self.acknowledged, self.recycled = 0, 0
        self.per_round = min(args.posts, len(self.slots))

    def _stop(self) -> None:
        if self.server is not None:
            self.log, self.server = stop_server(self.server), None

    def _writes(self, name: str, make) -> None:
        self.results[name].append(loadgen.run("127.0.0.1", self.port, make,
                                              connections=self.args.connections, seconds=120))

    def one_round(self) -> None:
        """Each page for a few seconds, then the fixed number of each write (one size alone)."""
        for name in () if self.args.writes_only else self.pages:
            self.measure(name)
        for name in WRITES:
            self.measure(name)

    def measure(self, name: str) -> None:
        """One round of one page (for a few seconds) or one write (a fixed number of posts)."""
        args, port = self.args, self.port
        if name in PAGES:
            self.results[name].append(loadgen.run(
                "127.0.0.1", port,
                lambda p=self.paths[name]: loadgen.Request("GET", p, self.practitioner),
                connections=args.connections, seconds=args.seconds))
        elif name == "bare insert":
            inserts = iter(range(self.per_round))
            self._writes(name, lambda: next(inserts, None) is not None and loadgen.Request(
                "POST", "/_bench/insert", {"Content-Type": "text/plain"}) or None)
        elif name == "bare form post":
            forms = iter(range(self.per_round))
            form_body = urlencode({"csrf_token": self.form_token, "pain": "4"}).encode()
            self._writes(name, lambda: next(forms, None) is not None and loadgen.Request(
                "POST", "/_bench/form", {"Cookie": f"practice_session={self.form_session}",
                                         "Content-Type": "application/x-www-form-urlencoded"},
                form_body) or None)
        else:
            self._diary_posts()
        if args.verbose:
            result = self.results[name][-1]
            print(f"  {self.size:,} {name}: " + (f"p50 {result.percentile(0.5):.1f} ms"
                  if name in PAGES else f"{result.rate:.0f}/s"), flush=True)

    def _recycle(self) -> None:
        """Free the slots again: the entries this run posted are counted and taken out (between
        rounds, outside any measurement), and the slots come back in a new order.

        The 1,000-client fill has about 970 free slots: without this a round posted only 138
        entries there (0.3 s, against 500 at 100,000), and the bare insert as few, too short a
        window to measure. The posts of every later cycle do the same work: the same slots, the
        same mix of today's and late entries, the client's row and the audit events as before."""
        import sqlalchemy as sa

        from practice.diary.models import DiaryEntry
        from practice.extensions import db

        with self.app.app_context():
            taken = db.session.execute(sa.delete(DiaryEntry).where(
                DiaryEntry.id >= self.first_entry))
            self.recycled += taken.rowcount
            db.session.commit()
        self.cycle += 1
        self.slots = spread_by_client(self.free_slots, seed=self.size + self.cycle)

    def _diary_posts(self) -> None:
        if len(self.slots) < self.per_round:
            self._recycle()
        batch = iter([self.slots.pop() for _ in range(self.per_round)])
        body = urlencode({"csrf_token": self.diary_token, "pain": "4", "warning": "no"}).encode()

        def diary_post():
            slot = next(batch, None)
            if slot is None:
                return None
            link, day, part = slot
            return loadgen.Request("POST", f"/diary/{day}/{part}", {
                "Cookie": f"practice_session={self.diary_session}; "
                          f"practice_diary={self.cookies[link]}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept-Language": "de"}, body)

        self._writes("diary post", diary_post)
        result = self.results["diary post"][-1]
        self.acknowledged += result.statuses.get(302, 0)
        if set(result.statuses) != {302}:
            print("  diary post answers:", result.statuses, "errors", result.errors)

    def finish(self) -> dict:
        """Stop the server; the figures and facts of this size."""
        stored = self.recycled + count_entries(self.app, since=self.first_entry)
        self._stop()
        return {"results": self.results, "fill_seconds": self.fill_seconds,
                "acknowledged": self.acknowledged, "stored": stored,
                "server_tracebacks": self.log.count("Traceback"),
                # Workers started beyond the first ones: recycled after max_requests.
                "worker_restarts": self.log.count("Booting worker") - self.args.workers}


def count_entries(app, since: int) -> int:
    """Diary entries with an id from ``since`` on."""
    import sqlalchemy as sa

    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).where(DiaryEntry.id >= since))


def next_entry_id(app) -> int:
    """The id the next diary entry gets at the least (ids only grow)."""
    import sqlalchemy as sa

    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.max(DiaryEntry.id))) or 0) + 1


def summary(rounds: list) -> dict:
    ok = [r for r in rounds]
    return {"p50": statistics.median(r.percentile(0.5) for r in ok),
            "p99": statistics.median(r.percentile(0.99) for r in ok),
            "rate": statistics.median(r.rate for r in ok),
            "errors": sum(r.errors + sum(n for s, n in r.statuses.items() if s >= 400) for r in ok),
            "count": sum(r.count for r in ok)}


def table(measured: dict[int, dict], args) -> str:
    sizes = sorted(measured)
    lines = ["| request | " + " | ".join(f"{s:,} p50 ms | p99 ms | req/s | x bare" for s in sizes)
             + " | growth |",
             "|---|" + "---|---|---|---|" * len(sizes) + "---|"]
    shown = [n for n in PAGES if not args.pages or n == "bare read" or n in args.pages]
    for name in WRITES if args.writes_only else shown + list(WRITES):
        cells, p50s = [], []
        for size in sizes:
            stats = {n: summary(measured[size]["results"][n]) for n in PAGES + WRITES
                     if measured[size]["results"][n]}
            row, base = stats[name], stats["bare read" if name in PAGES else "bare insert"]
            ratio = (row["p50"] / base["p50"]) if name in PAGES else (row["rate"] / base["rate"])
            p50s.append(row["p50"])
            cells.append(f"{row['p50']:.1f} | {row['p99']:.1f} | {row['rate']:.0f} | "
                         f"{ratio:.2f}{'' if name in PAGES else ' (rate)'}")
        growth = p50s[-1] / p50s[0] if len(p50s) > 1 and p50s[0] else 1.0
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth:.2f} |")
    facts = []
    for size in sizes:
        m = measured[size]
        errors = sum(summary(m["results"][n])["errors"] for n in PAGES + WRITES
                     if m["results"][n])
        facts.append(f"{size:,} clients: filled in {m['fill_seconds']:.0f} s; diary posts "
                     f"acknowledged {m['acknowledged']}, rows stored {m['stored']}; "
                     f"errors {errors}; server tracebacks {m['server_tracebacks']}; "
                     f"workers recycled {m['worker_restarts']}")
    return "\n".join(lines) + "\n\n" + "\n".join(f"- {f}" for f in facts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--posts", type=int, default=200, help="writes per round")
    parser.add_argument("--writes-only", action="store_true",
                        help="measure only the two write routes (for work on the write path)")
    parser.add_argument("--keep", default="",
                        help="a folder where fills are kept and reused on the same day")
    parser.add_argument("--pages", type=lambda text: text.split(","), default=[],
                        help="only these pages (comma-separated names), beside the bare read")
    parser.add_argument("--warm-up", type=float, default=1.0,
                        help="seconds each page is asked for before the rounds")
    parser.add_argument("--verbose", action="store_true", help="print each round's figures")
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--label", default="", help="a word on what this run measures")
    args = parser.parse_args()
    measured = {}
    with contextlib.ExitStack() as stack:
        runs = []
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"preparing {size:,} clients ...", flush=True)
            runs.append(SizeRun(size, args, stack))
        # Each page is measured at every size back to back, and each write right after the
        # bare insert it is compared with: the shared VM's slow spells last seconds to minutes,
        # and measured half a minute apart (all pages of one size, then the other's) the same
        # work read 20 % apart between sizes. The sizes take turns going first.
        names = [*(() if args.writes_only else runs[0].pages), *WRITES]
        for number in range(args.rounds):
            print(f"round {number + 1} of {args.rounds} ...", flush=True)
            order = runs if number % 2 == 0 else runs[::-1]
            for name in names:
                for run in order:
                    run.measure(name)
        for run in runs:
            measured[run.size] = run.finish()
    database = "SQLite" if args.database == "sqlite" else "PostgreSQL"
    heading = (f"## HTTP, {database}, {args.workers} workers x 4 threads (gthread), "
               f"{args.connections} connections, {datetime.now(UTC):%Y-%m-%d}"
               + (f": {args.label}" if args.label else ""))
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
               f"medians of {args.rounds} rounds, each page at every size back to back, pages {args.seconds:g} s each, "
               f"writes {min(args.posts, 10**9)} per round. Ratios: page p50 / bare read p50; "
               f"writes: req/s / bare insert req/s. Growth: p50 at the largest size / smallest.")
    text = f"{heading}\n\n{machine}\n\n{table(measured, args)}"
    print(text)
    if args.write:
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
            results.write("\n" + text)


if __name__ == "__main__":
    main()
