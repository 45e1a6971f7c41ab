"""First run: everything leads to set-up until the practice and its first account exist."""

from __future__ import annotations

import re

import sqlalchemy as sa

from conftest import SETUP_FORM, h1, submit


def test_every_page_leads_to_setup_before_the_first_account(client):
    for path in ("/", "/login", "/account", "/practitioners", "/settings", "/does-not-exist"):
        response = client.get(path)
        if path == "/does-not-exist":
            assert response.status_code == 404
            continue
        assert response.status_code == 302, path
        assert response.location == "/setup"
    page = client.get("/setup")
    assert page.status_code == 200
    assert h1(page) in ("Set up your practice", "Praxis einrichten")


def test_setup_creates_practice_and_admin_then_asks_to_sign_in(client, app):
    from practice.accounts.models import Practitioner
    from practice.audit.models import AuditEvent
    from practice.extensions import db
    from practice.settings.models import PracticeSettings

    response = submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    assert response.status_code == 302 and response.location == "/login"
    with app.app_context():
        settings = db.session.get(PracticeSettings, 1)
        assert settings.name == "Praxis Lindenhof"
        assert settings.address == "Lindenstraße 4\n10969 Berlin"
        assert settings.timezone == "Europe/Berlin"
        admin = db.session.scalar(sa.select(Practitioner))
        assert (admin.name, admin.email, admin.role) == ("Anna Admin", "anna@example.com", "admin")
        assert admin.password_hash.startswith("$argon2id$")
        assert "correct horse" not in admin.password_hash
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
        assert {"account.create", "practice.setup"} <= actions
    # The sign-in page knows who just set up: only the password is left to type.
    login_page = client.get("/login").get_data(as_text=True)
    email_input = re.search(r'<input[^>]*id="email"[^>]*>', login_page).group(0)
    assert 'value="anna@example.com"' in email_input and "autofocus" not in email_input
    assert "autofocus" in re.search(r'<input[^>]*id="password"[^>]*>', login_page).group(0)
    # Once set up, the set-up page is gone for good.
    assert client.get("/setup").location == "/login"
    again = submit(client, "/setup", {**SETUP_FORM, "admin_email": "eve@example.com"},
                   page="/login")
    assert again.status_code == 302 and again.location == "/login"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Practitioner)) == 1


def test_setup_refuses_bad_input_politely_and_keeps_what_was_typed(client, app):
    from practice.accounts.models import Practitioner
    from practice.extensions import db

    bad = {**SETUP_FORM, "name": "x" * 100_000, "admin_email": "not-an-address",
           "phone": "call me maybe", "confirm": "something else"}
    response = submit(client, "/setup", bad, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Please check the marked fields" in html
    assert "Please use at most 200 characters (this has 100000)." in html
    assert "This does not look like an e-mail address." in html
    assert "Please enter a phone number" in html
    assert "The two passwords differ." in html
    # What was typed is still there (passwords excepted, as browsers expect).
    assert 'value="not-an-address"' in html
    assert 'value="call me maybe"' in html
    assert "Lindenstraße 4\n10969 Berlin</textarea>" in html
    assert PASSWORD_NOT_ECHOED(html)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Practitioner)) == 0


def PASSWORD_NOT_ECHOED(html: str) -> bool:
    return SETUP_FORM["password"] not in html


def test_setup_asks_for_required_fields_in_german(client):
    response = submit(client, "/setup", {"name": "", "admin_name": "", "admin_email": "",
                                         "password": "", "confirm": ""},
                      headers={"Accept-Language": "de-DE,de;q=0.9"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte füllen Sie dieses Feld aus." in html
    assert "Bitte wählen Sie ein Passwort." in html
    assert '<html lang="de">' in html


def test_short_password_is_refused(client):
    response = submit(client, "/setup", {**SETUP_FORM, "password": "short", "confirm": "short"},
                      headers={"Accept-Language": "en"})
    assert "Use at least 10 characters." in response.get_data(as_text=True)


def test_admin_changes_the_practice_settings(app, admin_client):
    from practice.extensions import db
    from practice.settings.models import PracticeSettings

    bad = submit(admin_client, "/settings", {"name": "Praxis Neu", "timezone": "Mars/Olympus",
                                             "default_language": "de", "email": "x"},
                 headers={"Accept-Language": "en"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert "Please choose a time zone from the list." in html
    assert 'value="Praxis Neu"' in html
    good = submit(admin_client, "/settings", {
        "name": "Praxis Neu", "address": "Neuer Weg 1", "phone": "", "email": "",
        "timezone": "Europe/Vienna", "default_language": "en"})
    assert good.status_code == 302
    with app.app_context():
        settings = db.session.get(PracticeSettings, 1)
        assert (settings.name, settings.timezone, settings.default_language) == (
            "Praxis Neu", "Europe/Vienna", "en")
    assert "Praxis Neu" in admin_client.get("/").get_data(as_text=True)
