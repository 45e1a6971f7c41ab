"""Signing in and out, throttling, roles, account management."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from conftest import PASSWORD, h1, login, second_step, submit


def test_login_and_logout(client, practice_set_up):
    response = login(client, practice_set_up)
    assert response.status_code == 302 and response.location == "/"
    start = client.get("/", headers={"Accept-Language": "en"})
    assert start.status_code == 200
    assert h1(start) == "Welcome, Anna Admin"
    response = submit(client, "/logout", {}, page="/")
    assert response.status_code == 302 and response.location == "/login"
    assert client.get("/").location.startswith("/login")


def test_login_is_case_insensitive_about_the_address(client, practice_set_up):
    response = login(client, "  ANNA@example.com ")
    assert response.location == "/"


def test_wrong_password_gets_a_clear_message_and_keeps_the_address(client, practice_set_up):
    response = submit(client, "/login", {"email": practice_set_up, "password": "wrong"},
                      headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "E-mail address or password is not correct." in html
    assert f'value="{practice_set_up}"' in html
    assert client.get("/").location.startswith("/login")


def test_logout_ends_the_sign_in_on_the_server(app, client, practice_set_up):
    login(client, practice_set_up)
    cookie = client.get_cookie("practice_session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("practice_session", cookie.value)
    assert thief.get("/").status_code == 200  # a copied cookie works while signed in ...
    submit(client, "/logout", {}, page="/")
    response = thief.get("/")  # ... and stops working at logout
    assert response.status_code == 302 and response.location.startswith("/login")


def test_sign_in_token_is_stored_only_as_a_hash(app, client, practice_set_up):
    from practice.accounts.models import Login
    from practice.extensions import db

    login(client, practice_set_up)
    cookie = client.get_cookie("practice_session").value
    with app.app_context():
        stored = db.session.scalar(sa.select(Login.token_hash))
    assert len(stored) == 64
    assert stored not in cookie


def test_idle_sign_in_expires(app, client, practice_set_up):
    from practice.accounts.models import Login
    from practice.database import utcnow
    from practice.extensions import db

    login(client, practice_set_up)
    with app.app_context():
        db.session.execute(sa.update(Login).values(last_seen_at=utcnow() - timedelta(hours=9)))
        db.session.commit()
    assert client.get("/").location.startswith("/login")


def test_repeated_failures_are_refused_for_a_while_but_not_forever(app, client, practice_set_up):
    from practice.accounts.models import FailedLogin
    from practice.database import utcnow
    from practice.extensions import db

    for _ in range(5):
        response = submit(client, "/login", {"email": practice_set_up, "password": "guess"})
        assert response.status_code == 200
    # Now even the right password is refused for this address ...
    response = submit(client, "/login", {"email": practice_set_up, "password": PASSWORD},
                      headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert "Too many failed attempts. Please wait 15 minutes" in response.get_data(as_text=True)
    assert client.get("/").location.startswith("/login")
    # ... until the failures have aged out of the window: the owner gets back in.
    with app.app_context():
        db.session.execute(sa.update(FailedLogin).values(at=utcnow() - timedelta(minutes=16)))
        db.session.commit()
    assert login(client, practice_set_up).location == "/"
    with app.app_context():  # a successful login forgets the failures of its address
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FailedLogin)) == 0


def test_failed_attempts_keep_no_typed_address_in_clear(app, client, practice_set_up):
    from practice.accounts.models import FailedLogin
    from practice.extensions import db

    submit(client, "/login", {"email": "my secret password", "password": "x"})
    with app.app_context():
        row = db.session.scalar(sa.select(FailedLogin))
    assert "secret" not in row.email_hash


def test_admin_adds_a_practitioner_who_can_sign_in(app, admin_client, client):
    response = submit(admin_client, "/practitioners/new", {
        "name": "Ben Behandler", "email": "ben@example.com", "role": "practitioner",
        "password": "another long password", "confirm": "another long password",
    })
    assert response.status_code == 302 and response.location == "/practitioners"
    listing = admin_client.get("/practitioners").get_data(as_text=True)
    assert "Ben Behandler" in listing and "ben@example.com" in listing

    other = app.test_client()
    assert login(other, "ben@example.com", "another long password").location == "/"
    # A practitioner is not an admin.
    for path in ("/practitioners", "/practitioners/new", "/settings"):
        assert other.get(path).status_code == 403
    assert 'href="/practitioners"' not in other.get("/").get_data(as_text=True)
    assert 'href="/practitioners"' in admin_client.get("/").get_data(as_text=True)


def test_adding_an_existing_address_is_refused_with_the_form_kept(admin_client):
    response = submit(admin_client, "/practitioners/new", {
        "name": "Anna Again", "email": "ANNA@example.com", "role": "admin",
        "password": "another long password", "confirm": "another long password",
    }, headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "An account with this e-mail address exists already." in html
    assert 'value="Anna Again"' in html


def test_disabling_an_account_ends_its_sign_ins(app, admin_client):
    from practice.accounts.models import Practitioner
    from practice.extensions import db

    submit(admin_client, "/practitioners/new", {
        "name": "Ben", "email": "ben@example.com", "role": "practitioner",
        "password": "another long password", "confirm": "another long password"})
    ben = app.test_client()
    login(ben, "ben@example.com", "another long password")
    assert ben.get("/").status_code == 200
    with app.app_context():
        ben_id = db.session.scalar(sa.select(Practitioner.id).where(Practitioner.name == "Ben"))
    response = submit(admin_client, f"/practitioners/{ben_id}/enabled", {"enabled": "0"},
                      page="/practitioners")
    assert response.status_code == 302
    assert ben.get("/").location.startswith("/login")
    assert login(ben, "ben@example.com", "another long password").location != "/"


def test_the_last_admin_cannot_disable_themselves(app, admin_client):
    from practice.accounts.models import Practitioner
    from practice.extensions import db

    with app.app_context():
        anna_id = db.session.scalar(sa.select(Practitioner.id))
    response = submit(admin_client, f"/practitioners/{anna_id}/enabled", {"enabled": "0"},
                      page="/practitioners", follow_redirects=True,
                      headers={"Accept-Language": "en"})
    assert "You cannot disable your own account." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Practitioner, anna_id).is_enabled


def test_change_password(app, admin_client, client):
    response = submit(admin_client, "/account", {
        "current": "wrong one", "password": "a brand new password", "confirm": "a brand new password",
    }, headers={"Accept-Language": "en"})
    assert "The current password is not correct." in response.get_data(as_text=True)
    response = submit(admin_client, "/account", {
        "current": PASSWORD, "password": "a brand new password", "confirm": "a brand new password",
    })
    assert response.status_code == 302
    assert admin_client.get("/").status_code == 200  # this sign-in stays
    fresh = app.test_client()
    assert login(fresh, "anna@example.com", PASSWORD).location != "/"
    assert login(fresh, "anna@example.com", "a brand new password").location == "/"


def test_posting_without_csrf_token_is_refused(admin_client):
    response = admin_client.post("/practitioners/new", data={
        "name": "Eve", "email": "eve@example.com", "role": "admin",
        "password": "another long password", "confirm": "another long password"},
        headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(client, practice_set_up, target):
    response = second_step(client, practice_set_up, submit(
        client, "/login", {"email": practice_set_up, "password": PASSWORD, "next": target}))
    assert response.location == "/"


def test_login_returns_to_the_page_asked_for(client, practice_set_up):
    assert client.get("/settings").location == "/login?next=/settings"
    response = second_step(client, practice_set_up, submit(
        client, "/login", {"email": practice_set_up, "password": PASSWORD, "next": "/settings"},
        page="/login?next=/settings"))
    assert response.location == "/settings"  # through the second step


def test_cli_creates_a_user(app):
    from practice.accounts.models import Practitioner
    from practice.extensions import db

    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--name", "Cleo", "--email",
                                 "cleo@example.com", "--role", "admin",
                                 "--password", "cli password 123"])
    assert result.exit_code == 0, result.output
    assert "Created admin account" in result.output
    result = runner.invoke(args=["users", "create", "--name", "Cleo", "--email",
                                 "cleo@example.com", "--password", "cli password 123"])
    assert result.exit_code != 0 and "exists already" in result.output
    result = runner.invoke(args=["users", "create", "--name", "Dan", "--email",
                                 "dan@example.com", "--password", "short"])
    assert result.exit_code != 0
    with app.app_context():
        cleo = db.session.scalar(sa.select(Practitioner).where(Practitioner.email == "cleo@example.com"))
        assert cleo.is_admin and cleo.password_hash.startswith("$argon2id$")


def test_cli_resets_a_forgotten_password_and_ends_sign_ins(app, client, practice_set_up):
    login(client, practice_set_up)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "set-password", practice_set_up,
                                 "--password", "fresh password 42"])
    assert result.exit_code == 0, result.output
    assert client.get("/").location.startswith("/login")
    assert login(client, practice_set_up, "fresh password 42").location == "/"
    result = runner.invoke(args=["users", "set-password", "nobody@example.com",
                                 "--password", "fresh password 42"])
    assert result.exit_code != 0 and "no account" in result.output
