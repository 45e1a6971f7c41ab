"""Configuration: defaults, then ``instance/config.py``, then the environment, then test overrides."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


class ConfigError(ValueError):
    """A setting that cannot work; the message says which and what it may be."""


class Defaults:
    """Settings every installation starts with; anything here may be overridden."""

    DEBUG = False
    TESTING = False
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    # FULL: every commit is on the disk before the page says "saved", also across a power cut
    # (NORMAL in WAL mode survives a crashed app, not a crashed machine). Measured cost: see
    # bench/RESULTS.md, "synchronous". PRACTICE_SQLITE_SYNCHRONOUS=NORMAL trades that for speed.
    SQLITE_SYNCHRONOUS = "FULL"

    # Cookies: never readable from scripts, not sent on cross-site POSTs.
    SESSION_COOKIE_NAME = "practice_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set PRACTICE_SESSION_COOKIE_SECURE=true behind HTTPS
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    REMEMBER_COOKIE_DURATION = 0

    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8  # a long session at the desk must not lose a form
    WTF_I18N_ENABLED = True
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    PUBLIC_URL = ""  # PRACTICE_PUBLIC_URL=https://praxis.example.de; Settings can set it too

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    # Signed-in practitioners are signed out after this much idle time (seconds).
    LOGIN_IDLE_TIMEOUT = 60 * 60 * 8
    # Failed logins: this many per address within the window, then wait until old ones age out.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_IP = 30
    LOGIN_FAILURE_WINDOW = 15 * 60

    # argon2id parameters (RFC 9106 "second recommended option"); tests lower them.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 2

    PASSWORD_MIN_LENGTH = 10

    # Background jobs (practice/jobs/queue.py): where the queue lives ("" = beside the
    # database), a worker thread inside this process (the development server, `make run`), or
    # jobs run at once inside the request (tests).
    JOBS_URL = ""
    JOBS_IN_PROCESS = False
    JOBS_IMMEDIATE = False

    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_FIX_X_FOR = 0


def resolve_instance_path() -> Path:
    """Return the instance folder.

    Flask only finds ``instance/`` beside the package for an editable install; a regular install
    would put it under the virtualenv's ``var/``. So: ``PRACTICE_INSTANCE_PATH`` if set, else the
    source checkout's ``instance/`` when running from one, else ``./instance`` in the working
    directory.
    """
    configured = os.environ.get("PRACTICE_INSTANCE_PATH")
    if configured:
        return Path(configured).expanduser().resolve()
    if (SOURCE_ROOT / "pyproject.toml").is_file() and (SOURCE_ROOT / "migrations").is_dir():
        return SOURCE_ROOT / "instance"
    return Path.cwd().resolve() / "instance"


def resource_dir(name: str) -> Path:
    """Locate ``templates`` or ``migrations``: inside the package when installed from a wheel,
    at the top of the source checkout otherwise."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else SOURCE_ROOT / name


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` forms and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` in the documented order: defaults, instance file, environment, tests."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    # PRACTICE_FOO=... sets FOO; values are parsed as JSON where they can be (true, 30, ...).
    app.config.from_prefixed_env("PRACTICE")
    if test_config:
        app.config.update(test_config)

    if app.config["SESSION_COOKIE_SECURE"] and not app.config["SESSION_COOKIE_NAME"].startswith(
            "__Host-"):
        # Over HTTPS: the browser then refuses the cookie unless it is Secure, for this host
        # only and for the whole site, so no subdomain or plain-http page can plant or read it.
        app.config["SESSION_COOKIE_NAME"] = "__Host-" + app.config["SESSION_COOKIE_NAME"]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(
            Path(app.instance_path) / "practice.sqlite3"
        )
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))


def _instance_secret_key(instance: Path) -> str:
    """Read the secret key from the instance folder, creating it (owner-only) on first run."""
    key_file = instance / "secret_key"
    if key_file.is_file():
        key = key_file.read_text(encoding="ascii").strip()
        if key:
            return key
    key = secrets.token_hex(32)
    # Write a complete file under a temporary name, then link it into place: when two processes
    # start at once, exactly one key wins and nobody ever reads a half-written file.
    temp = instance / f".secret_key.{os.getpid()}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    try:
        os.link(temp, key_file)
    except FileExistsError:
        key = key_file.read_text(encoding="ascii").strip()
    finally:
        temp.unlink()
    return key
