"""The production server recipe (`practice serve`, gunicorn gthread) spreads a burst of new
connections over its workers instead of letting one worker take them all.

Uncapped, a worker accepted every connection of a burst (8 of 8 in a quarter of the tries) and
served them on one core while the other idled; the recipe caps a worker at its threads plus two
connections. Linux only: the connections are counted per worker in /proc.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import pytest

from conftest import PG_URL, SETUP_FORM, migrate_to_head
from crash_helpers import Server, free_port

pytestmark = pytest.mark.slow

WORKERS, THREADS = 2, 2


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _server_sockets(port: int) -> set[str]:
    """Inodes of the established TCP connections whose local end is ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    return inodes


def _held_by(pid: int, inodes: set[str]) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            count += 1
    return count


def _serve(tmp_path, workers: int, threads: int) -> tuple[Server, int, list[int]]:
    """`practice serve` on a migrated SQLite database of its own, started; with its port and
    its workers' process ids once all are up."""
    pytest.importorskip("gunicorn")
    if PG_URL:
        pytest.skip("the server recipe is the same on PostgreSQL; the SQLite lane runs it")
    url = f"sqlite:///{tmp_path / 'practice.sqlite3'}"
    migrate_to_head(url)
    instance = tmp_path / "instance"
    instance.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PRACTICE_") and key not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(DATABASE_URL=url, PRACTICE_INSTANCE_PATH=str(instance))
    port = free_port()
    server = Server(port, env, tmp_path / "gunicorn.log", workers=workers, threads=threads)
    server.start()
    deadline = time.monotonic() + 10
    while len(_children(server.process.pid)) < workers and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, port, _children(server.process.pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts connections in /proc")
def test_a_burst_of_connections_is_spread_over_the_workers(tmp_path):
    server, port, workers = _serve(tmp_path, WORKERS, THREADS)
    burst: list[socket.socket] = []
    try:
        assert len(workers) == WORKERS, server.tail()
        capacity = WORKERS * (THREADS + 2)
        # Connected all at once and silent: each one waits in a worker for its request.
        burst = [socket.create_connection(("127.0.0.1", port), timeout=5)
                 for _ in range(capacity)]
        held: dict[int, int] = {}
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            inodes = _server_sockets(port)
            held = {pid: _held_by(pid, inodes) for pid in workers}
            if sum(held.values()) == capacity:
                break
            time.sleep(0.05)
        print(f"\nserver recipe: {capacity} connections at once held per worker: "
              f"{sorted(held.values())}")
        assert sum(held.values()) == capacity, held  # every connection was taken
        assert max(held.values()) <= THREADS + 2, held  # and no worker took them all
        # Each connection is served as usual (the first ones, then the rest in turn).
        for connection in burst:
            connection.sendall(b"GET /login HTTP/1.1\r\nHost: localhost\r\n"
                               b"Connection: close\r\n\r\n")
        for connection in burst:
            assert connection.recv(12).startswith(b"HTTP/1.1 "), server.tail()
    finally:
        for connection in burst:
            connection.close()
        server.kill()


def test_a_worker_sets_its_start_up_objects_aside_from_the_garbage_collector(app, admin_client):
    """What a worker loads once (the app, its views, templates and mappings) is frozen, so a
    full collection no longer walks it again on a request."""
    import gc

    from practice.core.serve import load_app

    frozen = gc.get_freeze_count()
    try:
        loaded = load_app(lambda: app)
        assert gc.get_freeze_count() > frozen + 10_000
        tracked = {id(item) for item in gc.get_objects()}
        assert id(loaded) not in tracked and id(loaded.view_functions) not in tracked
        assert admin_client.get("/").status_code == 200  # and serves as before
    finally:
        gc.unfreeze()


def test_workers_are_forks_of_the_loaded_app_and_drop_inherited_connections(app):
    """The recipe loads the app once in the master (a recycled worker is a fork, up at once,
    sharing the loaded code's memory); a new worker gives up the connections it may have
    inherited instead of sharing their sockets with the master."""
    import sqlalchemy as sa

    from practice.core.serve import forget_inherited_connections, server_options
    from practice.extensions import db

    options = server_options()
    assert options["preload_app"] is True
    assert options["post_fork"] is forget_inherited_connections

    with app.app_context():
        with db.engine.connect() as connection:  # one connection, back in the pool after
            connection.execute(sa.text("SELECT 1"))
        pool = db.engine.pool
        assert pool.checkedin() == 1

    class Worker:  # what gunicorn hands post_fork: the worker, whose .app holds the callable
        class app:  # noqa: N801
            callable = app

    forget_inherited_connections(None, Worker())
    with app.app_context():
        assert db.engine.pool is not pool and db.engine.pool.checkedin() == 0
        with db.engine.connect() as connection:  # and the worker connects afresh
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1
    forget_inherited_connections(None, type("Bare", (), {"app": object()})())  # no app: nothing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the workers in /proc")
def test_a_killed_worker_is_replaced_by_a_fork_that_serves_the_database(tmp_path):
    """A worker killed outright (the kernel's OOM killer, an operator) is forked again from the
    master's loaded app, and the new worker reads and writes the database as before."""
    import signal

    from crash_helpers import Browser, csrf_of

    server, port, started = _serve(tmp_path, workers=1, threads=2)
    try:
        (first,) = started
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            workers = _children(server.process.pid)
            if workers and workers != [first]:
                break
            time.sleep(0.02)
        assert workers and first not in workers, server.tail()
        # The set-up page reads the accounts and, posted, writes the first one.
        browser = Browser(port, timeout=10)
        page = browser.get("/setup")
        assert page.status == 200, server.tail()
        answer = browser.post("/setup", {"csrf_token": csrf_of(page.text), **SETUP_FORM})
        assert answer.status == 302, (answer.status, server.tail())
        assert browser.get("/setup").status != 200  # done: the practice has its admin
        assert "Traceback" not in server.tail()
    finally:
        server.kill()


def test_the_templates_are_compiled_before_the_workers_are_forked(app):
    """A worker recycled after max_requests starts with every template compiled (in the
    master): compiling them on its first pages put a few hundred milliseconds on them."""
    import gc

    from practice.core.serve import load_app

    names = app.jinja_env.list_templates()
    assert len(names) > 40
    assert app.jinja_env.cache is not None and len(app.jinja_env.cache) < len(names)
    try:
        load_app(lambda: app)
    finally:
        gc.unfreeze()
    cached = {key[1] for key in app.jinja_env.cache.keys()}
    assert set(names) <= cached, sorted(set(names) - cached)
