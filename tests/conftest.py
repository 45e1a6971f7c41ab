"""Test fixtures: a real database built by the migrations (SQLite by default, PostgreSQL when
PRACTICE_TEST_DATABASE_URL is set), the Flask test client, and form helpers that go through
the real pages, CSRF tokens included."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
import weakref
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("PRACTICE_TEST_DATABASE_URL")
PASSWORD = "correct horse battery staple"


def pytest_configure(config):
    # Nothing a test does may touch the developer's own instance folder.
    instance = Path(config.rootpath) / ".pytest_cache" / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    os.environ["PRACTICE_INSTANCE_PATH"] = str(instance)
    os.environ.pop("DATABASE_URL", None)


def pytest_terminal_summary(terminalreporter):
    from figures import FIGURES

    if FIGURES:
        terminalreporter.section("measured figures")
        for test, text in FIGURES:
            terminalreporter.write_line(f"{test}: {text}")


def base_config(database_url: str) -> dict:
    """Settings for a test app: cheap hashing, a fresh random key, the given database."""
    return {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8,
        "ARGON2_PARALLELISM": 1,
        # Jobs run at once inside the request; tests/test_jobs.py runs a real worker.
        "JOBS_IMMEDIATE": True,
    }


def migrate_to_head(database_url: str) -> None:
    """Build the schema the way production does: ``flask db upgrade``."""
    from flask_migrate import upgrade

    from practice import create_app
    from practice.extensions import db

    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def reset_postgres(database_url: str) -> None:
    """Empty the PostgreSQL test database completely (schema and all)."""
    from practice.config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(database_url))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> str:
    """A database migrated to head once per run: a file to copy (SQLite) or the server's."""
    if PG_URL:
        reset_postgres(PG_URL)
        migrate_to_head(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate_to_head(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(database_template, tmp_path) -> str:
    """A migrated database of this test's own."""
    if PG_URL:
        return PG_URL
    path = tmp_path / "practice.sqlite3"
    shutil.copyfile(database_template, path)
    return f"sqlite:///{path}"


def _truncate_all(app) -> None:
    from practice.extensions import db

    with app.app_context():
        db.session.remove()
        names = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        db.engine.dispose()


@pytest.fixture
def app(database_url):
    """The app on a migrated database; PostgreSQL tables are emptied afterwards."""
    from practice import create_app
    from practice.extensions import db

    application = create_app(base_config(database_url))
    yield application
    if PG_URL:
        _truncate_all(application)
    else:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    """A browser-like test client (keeps cookies)."""
    return app.test_client()


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def submit(client, url: str, data: dict, *, page: str | None = None, **kwargs):
    """Open ``page`` (default ``url``) like a browser, then post ``data`` with its CSRF token."""
    response = client.get(page or url)
    token = csrf_token(response.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


SETUP_FORM = {
    "name": "Praxis Lindenhof",
    "address": "Lindenstraße 4\n10969 Berlin",
    "phone": "+49 30 1234567",
    "email": "praxis@example.com",
    "admin_name": "Anna Admin",
    "admin_email": "anna@example.com",
    "password": PASSWORD,
    "confirm": PASSWORD,
}


@pytest.fixture
def practice_set_up(client):
    """The practice set up through the real set-up page; returns the admin's e-mail."""
    # In English, so the admin's remembered language is English: tests then ask for German.
    response = submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return SETUP_FORM["admin_email"]


# The second factor of accounts signed in by the tests: app -> e-mail -> secret, recovery codes
# and the last time step used (each step is accepted once).
SECOND_FACTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
RECOVERY_CODE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def login(client, email: str, password: str = PASSWORD):
    """Sign in through the login page, and through the second step where the account has or
    needs a second factor (set up with pyotp, as an authenticator app would). Returns the
    response of the last step."""
    response = submit(client, "/login", {"email": email, "password": password})
    return second_step(client, email, response)


def second_step(client, email: str, response):
    """Complete the code step (or the set-up) that follows a correct password."""
    import pyotp

    known = SECOND_FACTORS.setdefault(client.application, {})
    now_step = int(time.time() // 30)
    if response.status_code == 302 and response.location == "/login/enrol":
        page = client.get("/login/enrol").get_data(as_text=True)
        secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
        shown = client.post("/login/enrol", data={
            "csrf_token": csrf_token(page), "code": pyotp.TOTP(secret).at(now_step * 30)})
        shown_html = shown.get_data(as_text=True)
        known[email] = {"secret": secret, "codes": RECOVERY_CODE.findall(shown_html),
                        "last": now_step}
        return client.post("/login/enrol", data={"csrf_token": csrf_token(shown_html),
                                                 "continue": "1"})
    if response.status_code == 302 and response.location == "/login/code":
        entry = known[email]
        page = client.get("/login/code").get_data(as_text=True)
        step = max(now_step, entry["last"] + 1)
        if step <= now_step + 1:
            entry["last"] = step
            code = pyotp.TOTP(entry["secret"]).at(step * 30)
        else:  # both usable steps spent within 30 s: a recovery code, as a person would
            code = entry["codes"].pop()
        return client.post("/login/code", data={"csrf_token": csrf_token(page), "code": code})
    return response


@pytest.fixture
def admin_client(client, practice_set_up):
    """A client signed in as the practice's admin."""
    response = login(client, practice_set_up)
    assert response.status_code == 302 and response.location == "/"
    return client


def h1(response) -> str:
    """The page's main heading, as a user reads it."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright (skipped without it, except in CI)."""
    from browser import chromium, require_chromium

    require_chromium()
    with chromium() as instance:
        yield instance


def second_practitioner(app, admin_client):
    """Add Ben, a practitioner (not an admin), and return a test client signed in as him."""
    submit(admin_client, "/practitioners/new", {
        "name": "Ben", "email": "ben@example.com", "role": "practitioner",
        "password": "another long password", "confirm": "another long password"})
    ben = app.test_client()
    login(ben, "ben@example.com", "another long password")
    return ben


@pytest.fixture
def fetched_urls(monkeypatch) -> list:
    """Every address WeasyPrint fetches while this test renders PDFs (handouts, record copies):
    the list a test checks for anything outside the app's own files."""
    from practice.handouts import render

    seen: list = []
    original = render.make_fetcher

    def spying_fetcher():
        fetcher = original()
        fetch = fetcher.fetch

        def recording(url, headers=None):
            seen.append(url)
            return fetch(url, headers)

        fetcher.fetch = recording
        return fetcher

    monkeypatch.setattr(render, "make_fetcher", spying_fetcher)
    return seen
