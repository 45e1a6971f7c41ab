"""The app factory: configuration order, instance folder, secret key, debug."""

from __future__ import annotations

import stat

import pytest

from practice import create_app
from practice.config import normalise_database_url, resolve_instance_path


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("PRACTICE_INSTANCE_PATH", str(folder))
    for name in ("DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_first_run_writes_a_private_secret_key_and_reuses_it(instance):
    first = create_app()
    key_file = instance / "secret_key"
    assert key_file.is_file()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 64
    assert create_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_default_database_is_sqlite_in_the_instance_folder_and_debug_is_off(instance):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'practice.sqlite3'}"
    assert app.debug is False
    assert app.instance_path == str(instance)


def test_instance_config_then_environment_then_test_config(instance, monkeypatch):
    instance.mkdir()
    (instance / "config.py").write_text(
        "SECRET_KEY = 'from-instance'\nLOGIN_MAX_FAILURES = 9\nPASSWORD_MIN_LENGTH = 14\n"
    )
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["LOGIN_MAX_FAILURES"] == 9
    assert not (instance / "secret_key").exists()  # a configured key is never replaced

    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("PRACTICE_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.invalid/practice")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["LOGIN_MAX_FAILURES"] == 3
    assert app.config["PASSWORD_MIN_LENGTH"] == 14
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.invalid/practice"

    app = create_app({"LOGIN_MAX_FAILURES": 1})
    assert app.config["LOGIN_MAX_FAILURES"] == 1


def test_instance_path_is_explicit(monkeypatch, tmp_path):
    monkeypatch.setenv("PRACTICE_INSTANCE_PATH", str(tmp_path / "x"))
    assert resolve_instance_path() == tmp_path / "x"
    monkeypatch.delenv("PRACTICE_INSTANCE_PATH")
    # Running from the source checkout: the checkout's own instance folder.
    assert resolve_instance_path().name == "instance"
    assert (resolve_instance_path().parent / "pyproject.toml").is_file()


@pytest.mark.parametrize("given, expected", [
    ("postgresql://a@h/db", "postgresql+psycopg://a@h/db"),
    ("postgres://a@h/db", "postgresql+psycopg://a@h/db"),
    ("postgresql+psycopg://a@h/db", "postgresql+psycopg://a@h/db"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_urls_are_normalised(given, expected):
    assert normalise_database_url(given) == expected


def test_behind_a_proxy_login_throttling_sees_the_real_client_address(app, database_url):
    # `app` is requested so that PostgreSQL tables are emptied afterwards.
    import sqlalchemy as sa

    from conftest import SETUP_FORM, base_config, submit
    from practice.accounts.models import FailedLogin
    from practice.extensions import db

    proxied = create_app({**base_config(database_url), "PROXY_FIX_X_FOR": 1})
    client = proxied.test_client()
    submit(client, "/setup", SETUP_FORM)
    submit(client, "/login", {"email": "anna@example.com", "password": "wrong"},
           headers={"X-Forwarded-For": "203.0.113.9"})
    with proxied.app_context():
        assert db.session.scalar(sa.select(FailedLogin.remote_addr)) == "203.0.113.9"
