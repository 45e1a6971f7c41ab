"""Crash test: the real server (`practice serve`, gunicorn gthread, SQLite in WAL mode) is
SIGKILLed, master and workers at once, at a random moment while diary entries and visits are
being written, 20+ times. Afterwards every write the server acknowledged (302 to the success
page) must be in the database with the values posted, and `PRAGMA integrity_check` must say ok.
Writes that were cut off before their answer may or may not be stored."""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import secrets
import signal
import sqlite3
import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from conftest import PG_URL, SETUP_FORM, base_config, login, migrate_to_head, second_practitioner, submit
from crash_helpers import Browser, Server, csrf_of, free_port
from diary_helpers import create_link, today_of
from figures import report_figure
from intake_helpers import client_id, new_client

pytestmark = [pytest.mark.hostile, pytest.mark.slow]

KILLS = 20
CLIENTS = 30  # 16 open diary slots each (today and 7 days back, morning and evening)
DIARY_WRITERS = 3
BEN = ("ben@example.com", "another long password")
CHEAP_HASHING = {"PRACTICE_ARGON2_TIME_COST": "1", "PRACTICE_ARGON2_MEMORY_COST": "8",
                 "PRACTICE_ARGON2_PARALLELISM": "1"}


class Tally:
    """What the writers tried and what the server acknowledged, shared by all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attempted = 0
        self.diary: list[tuple[int, str, str, int]] = []  # acknowledged (client, day, slot, pain)
        self.visits: list[tuple[int, str]] = []  # acknowledged (client, marker note)
        self.outcomes: Counter = Counter()  # how unacknowledged attempts ended
        self.crashes: list[str] = []  # writer threads that died of an exception

    @property
    def acknowledged(self) -> int:
        return len(self.diary) + len(self.visits)

    def note(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1


def _guarded(tally: Tally, target):
    """Run a writer; an exception is kept for the test to report, not lost in a thread."""
    def run(*args):
        try:
            target(*args)
        except Exception as error:  # noqa: BLE001 - reported by the test
            with tally.lock:
                tally.crashes.append(f"{target.__name__}: {type(error).__name__}: {error}")
    return run


def _attempt(tally: Tally, send):
    """Post once; the response, or None when the connection failed (server killed or down)."""
    with tally.lock:
        tally.attempted += 1
    try:
        return send()
    except (OSError, http.client.HTTPException) as error:
        tally.note(type(error).__name__)
        return None


def _diary_writer(port: int, phones: list[tuple[int, dict]], days: list[str], rng: random.Random,
                  tally: Tally, stop: threading.Event) -> None:
    """Each client's every slot once: the entry page for its CSRF token, then the form."""
    for cid, cookies in phones:
        phone = Browser(port)
        phone.cookies.update(cookies)
        for day in days:
            for slot in ("morning", "evening"):
                path = f"/diary/{day}/{slot}"
                page = None
                while page is None:  # opening the page writes nothing the test checks: retry
                    if stop.is_set():
                        return
                    try:
                        page = phone.get(path)
                    except (OSError, http.client.HTTPException):
                        time.sleep(0.02)
                if page.status != 200 or "csrf_token" not in page.text:
                    tally.note(f"diary page {page.status}")
                    continue
                pain = rng.randint(0, 10)
                response = _attempt(tally, lambda: phone.post(path, {
                    "csrf_token": csrf_of(page.text), "pain": str(pain), "warning": "no"}))
                if response is None:
                    continue
                if response.status == 302 and f"/diary/?saved={slot}" in response.location:
                    with tally.lock:
                        tally.diary.append((cid, day, slot, pain))
                else:
                    tally.note(f"diary {response.status}")


def _sign_in(browser: Browser, stop: threading.Event) -> None:
    """Ben signs in through the login page (a practitioner: no second factor)."""
    while not stop.is_set():
        try:
            page = browser.get("/login")
            if page.status == 302:
                return  # still signed in
            response = browser.post("/login", {"csrf_token": csrf_of(page.text),
                                               "email": BEN[0], "password": BEN[1]})
            if response.status == 302 and response.location.endswith("/"):
                return
            raise AssertionError(f"sign-in refused: {response.status}")
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)


def _visit_writer(port: int, cids: list[int], ben_id: int, tally: Tally,
                  stop: threading.Event) -> None:
    """Visits with a marker note each, through the visit page, signed in as Ben."""
    browser = Browser(port)
    _sign_in(browser, stop)
    number = 0
    while not stop.is_set():
        cid = cids[number % len(cids)]
        try:
            page = browser.get(f"/clients/{cid}/visits/new")
        except (OSError, http.client.HTTPException):
            time.sleep(0.02)
            continue
        if page.status == 302 and "/login" in page.location:
            tally.note("signed out")  # an acknowledged sign-in would have been lost
            _sign_in(browser, stop)
            continue
        when = re.search(r'id="visited_at"[^>]*value="([^"]+)"', page.text)
        if page.status != 200 or when is None or "csrf_token" not in page.text:
            tally.note(f"visit page {page.status}")
            continue
        number += 1
        marker = f"crash visit {number} {secrets.token_hex(4)}"
        form = {"csrf_token": csrf_of(page.text), "visited_at": when.group(1),
                "practitioner_id": str(ben_id), "pain_now": str(number % 11), "notes": marker}
        response = _attempt(tally, lambda: browser.post(f"/clients/{cid}/visits/new", form))
        if response is None:
            continue
        if response.status == 302 and response.location.endswith(f"/clients/{cid}"):
            with tally.lock:
                tally.visits.append((cid, marker))
        else:
            tally.note(f"visit {response.status}")


def _prepare(database_url: str, secret_key: str) -> tuple[int, list[tuple[int, str]], date]:
    """The practice, Ben, and clients with consent and a diary link, through the real pages."""
    from practice import create_app
    from practice.extensions import db

    app = create_app({**base_config(database_url), "SECRET_KEY": secret_key})
    admin = app.test_client()
    assert submit(admin, "/setup", SETUP_FORM, headers={"Accept-Language": "en"}).status_code == 302
    login(admin, SETUP_FORM["admin_email"])
    ben = second_practitioner(app, admin)
    with app.app_context():
        from practice.accounts.models import Practitioner

        ben_id = db.session.query(Practitioner.id).filter_by(email=BEN[0]).scalar()
    links = []
    for number in range(CLIENTS):
        cid = client_id(new_client(ben, first_name=f"Crash{number}", last_name="Test",
                                   language="en", practitioner_id=str(ben_id)))
        links.append((cid, create_link(ben, cid)))
    phone = app.test_client()
    phone.get(links[0][1])
    today = date.fromisoformat(today_of(phone))
    with app.app_context():
        db.engine.dispose()
    return ben_id, links, today


@pytest.fixture
def crash_server(tmp_path):
    """A migrated SQLite database, the practice set up, and the server (not yet started);
    whatever happens, the server's process group is killed at the end."""
    pytest.importorskip("gunicorn")
    if PG_URL:
        pytest.skip("SQLite's durability (the default database); the SQLite lane runs it")
    began = time.monotonic()
    instance = tmp_path / "instance"
    instance.mkdir()
    secret_key = secrets.token_hex(32)
    # The production path: the key file of the instance folder, the same across restarts.
    (instance / "secret_key").write_text(secret_key + "\n", encoding="ascii")
    database = tmp_path / "practice.sqlite3"
    url = f"sqlite:///{database}"
    migrate_to_head(url)
    ben_id, links, today = _prepare(url, secret_key)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PRACTICE_") and key not in ("SECRET_KEY", "DATABASE_URL")}
    env.update(CHEAP_HASHING, DATABASE_URL=url, PRACTICE_INSTANCE_PATH=str(instance))
    server = Server(free_port(), env, tmp_path / "gunicorn.log")

    def interrupted(_signum, _frame):  # a CI time-out's SIGTERM: tear down, as on Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupted)
    try:
        yield server, database, ben_id, links, today, time.monotonic() - began
    finally:
        try:
            server.kill()
        finally:
            signal.signal(signal.SIGTERM, previous)
            if server.process is not None:  # kill() failed half-way: leave no process behind
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.process.pid, signal.SIGKILL)


def test_acknowledged_writes_survive_sigkill_of_the_server(crash_server):
    server, database, ben_id, links, today, setup_seconds = crash_server
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    began = time.monotonic()
    startup = [server.start()]

    # Each client's diary cookie from its personal link, on the real server.
    phones = []
    for cid, path in links:
        browser = Browser(server.port)
        opened = browser.get(path)
        assert opened.status == 302 and "practice_diary" in browser.cookies, opened.status
        phones.append((cid, dict(browser.cookies)))
    days = [(today - timedelta(days=n)).isoformat() for n in range(8)]

    tally, stop = Tally(), threading.Event()
    diary_writers = [threading.Thread(target=_guarded(tally, _diary_writer), daemon=True, args=(
        server.port, phones[i::DIARY_WRITERS], days, random.Random(seed + i), tally, stop))
        for i in range(DIARY_WRITERS)]
    writers = [*diary_writers, threading.Thread(
        target=_guarded(tally, _visit_writer), daemon=True,
        args=(server.port, [cid for cid, _ in links[:4]], ben_id, tally, stop))]
    for writer in writers:
        writer.start()

    def short_of(diary: int, visits: int) -> bool:
        diary_open = any(writer.is_alive() for writer in diary_writers)  # slots left
        return diary_open and len(tally.diary) < diary or len(tally.visits) < visits

    kills, quiet_rounds = 0, 0
    try:
        for round_number in range(KILLS):
            if round_number:
                startup.append(server.start())
            # Let a few writes of both kinds through, then kill at a random moment in the middle
            # of more (the writers never pause).
            targets = len(tally.diary) + rng.randint(2, 8), len(tally.visits) + 1
            waited = time.monotonic()
            while short_of(*targets) and time.monotonic() - waited < 10:
                time.sleep(0.005)
            quiet_rounds += short_of(*targets)
            time.sleep(rng.uniform(0, 0.25))
            server.kill()
            kills += 1
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=30)
    elapsed = time.monotonic() - began

    # The database as the last kill left it, opened directly.
    connection = sqlite3.connect(database)
    try:
        integrity = "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        foreign_keys = connection.execute("PRAGMA foreign_key_check").fetchall()
        lost = []
        for cid, day, slot, pain in tally.diary:
            row = connection.execute(
                "SELECT pain FROM diary_entries WHERE client_id = ? AND day = ? AND slot = ?",
                (cid, day, slot)).fetchone()
            if row is None or row[0] != pain:
                lost.append(("diary", cid, day, slot, pain, row))
        for cid, marker in tally.visits:
            found = connection.execute(
                "SELECT count(*) FROM visits JOIN visit_versions ON visit_versions.visit_id = "
                "visits.id WHERE visits.client_id = ? AND json_extract(visit_versions.data, "
                "'$.notes') = ?", (cid, marker)).fetchone()[0]
            if found != 1:
                lost.append(("visit", cid, marker, found))
        diary_rows = connection.execute("SELECT count(*) FROM diary_entries").fetchone()[0]
        visit_rows = connection.execute("SELECT count(*) FROM visits").fetchone()[0]
    finally:
        connection.close()

    acked = tally.acknowledged
    print(f"\ncrash test (seed {seed}): {kills} kills, {tally.attempted} writes attempted, "
          f"{acked} acknowledged ({len(tally.diary)} diary, {len(tally.visits)} visits), "
          f"{len(lost)} lost; stored {diary_rows} diary entries, {visit_rows} visits; "
          f"unacknowledged: {dict(tally.outcomes)}; set-up {setup_seconds:.0f} s, start-ups "
          f"{min(startup):.1f}-{max(startup):.1f} s ({sum(startup):.0f} s in all), rounds "
          f"{elapsed:.0f} s; integrity {integrity}")
    report_figure("crash test", f"{kills} kills, {acked} acknowledged writes, {len(lost)} lost, "
                                f"integrity {integrity}")
    assert integrity == "ok"
    assert tally.crashes == []
    assert foreign_keys == []
    assert lost == [], lost[:10]
    assert kills >= 20
    # The kills must have hit writes in flight, not an idle server.
    assert quiet_rounds <= 2, f"{quiet_rounds} rounds without writes: {server.tail()}"
    assert len(tally.visits) >= kills - quiet_rounds, dict(tally.outcomes)
    assert tally.attempted > acked  # some writes were indeed cut off
    assert diary_rows >= len(tally.diary) and visit_rows >= len(tally.visits)
    assert "signed out" not in tally.outcomes
