"""The second factor: administrators set it up at their first sign-in, the code step, replayed
codes refused, recovery codes once each, throttling and expiry of the second step, optional
for practitioners unless the practice requires it, and an admin's reset."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from conftest import (PASSWORD, RECOVERY_CODE, SECOND_FACTORS, SETUP_FORM, csrf_token, login,
                      second_practitioner, submit)

EN = {"Accept-Language": "en"}
ADMIN = SETUP_FORM["admin_email"]


def text(response) -> str:
    return response.get_data(as_text=True)


def code_at(secret: str, offset_steps: int) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def sign_out(client):
    submit(client, "/logout", {}, page="/")


def test_an_admin_sets_it_up_at_the_first_sign_in(app, client, practice_set_up):
    from practice.accounts.models import Practitioner, RecoveryCode
    from practice.extensions import db

    step = submit(client, "/login", {"email": ADMIN, "password": PASSWORD})
    assert step.location == "/login/enrol"
    assert client.get("/").location.startswith("/login")  # not signed in yet
    page = text(client.get("/login/enrol", headers=EN))
    assert "<svg" in page and "Please set it up now" in page
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    wrong = client.post("/login/enrol", data={"csrf_token": csrf_token(page), "code": "000000"},
                        headers=EN)
    assert "This code is not right" in text(wrong)
    shown = client.post("/login/enrol", headers=EN, data={
        "csrf_token": csrf_token(page), "code": pyotp.TOTP(secret).now()})
    codes = RECOVERY_CODE.findall(text(shown))
    assert len(set(codes)) == 10 and "shown only now" in text(shown)
    assert client.get("/").location.startswith("/login")  # still not until they are noted
    done = client.post("/login/enrol", data={"csrf_token": csrf_token(text(shown)),
                                             "continue": "1"})
    assert done.location == "/" and client.get("/").status_code == 200
    with app.app_context():
        admin = db.session.scalar(sa.select(Practitioner))
        assert admin.totp_secret == secret
        stored = [r.code_hash for r in db.session.scalars(sa.select(RecoveryCode))]
        assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes


def test_the_code_step_takes_each_code_once(app, admin_client):
    secret = SECOND_FACTORS[app][ADMIN]["secret"]
    sign_out(admin_client)
    assert submit(admin_client, "/login", {"email": ADMIN, "password": PASSWORD}).location \
        == "/login/code"
    assert admin_client.get("/").location.startswith("/login")
    wrong = submit(admin_client, "/login/code", {"code": "123456"}, headers=EN)
    assert "This code is not right" in text(wrong)
    fresh = code_at(secret, 1)  # the set-up used the current step
    assert submit(admin_client, "/login/code", {"code": fresh}).location == "/"
    sign_out(admin_client)
    submit(admin_client, "/login", {"email": ADMIN, "password": PASSWORD})
    replay = submit(admin_client, "/login/code", {"code": fresh}, headers=EN)
    assert replay.status_code == 200 and "This code is not right" in text(replay)


def test_recovery_codes_work_once_each(app, admin_client):
    codes = SECOND_FACTORS[app][ADMIN]["codes"]
    sign_out(admin_client)
    submit(admin_client, "/login", {"email": ADMIN, "password": PASSWORD})
    used = submit(admin_client, "/login/code", {"code": codes[0].upper()})
    assert used.location == "/"
    assert "9 are left" in text(admin_client.get("/", headers=EN))
    sign_out(admin_client)
    submit(admin_client, "/login", {"email": ADMIN, "password": PASSWORD})
    again = submit(admin_client, "/login/code", {"code": codes[0]}, headers=EN)
    assert "This code is not right" in text(again)


def test_the_second_step_is_throttled_and_expires(app, admin_client):
    secret = SECOND_FACTORS[app][ADMIN]["secret"]
    sign_out(admin_client)
    submit(admin_client, "/login", {"email": ADMIN, "password": PASSWORD})
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        submit(admin_client, "/login/code", {"code": "000000"})
    blocked = submit(admin_client, "/login/code", {"code": code_at(secret, 1)}, headers=EN)
    assert blocked.status_code == 429 and "Too many wrong codes" in text(blocked)
    # A correct password again does not lift the code step's throttle.
    submit(admin_client, "/login", {"email": ADMIN, "password": PASSWORD})
    assert submit(admin_client, "/login/code", {"code": code_at(secret, 1)}).status_code == 429
    # The half sign-in lasts five minutes.
    fresh = app.test_client()
    submit(fresh, "/login", {"email": ADMIN, "password": PASSWORD})
    with fresh.session_transaction() as session:
        pending = dict(session["second_step"])
        pending["at"] -= 301
        session["second_step"] = pending
    assert fresh.get("/login/code").location == "/login"


def test_optional_for_practitioners_unless_the_practice_requires_it(app, admin_client):
    ben = second_practitioner(app, admin_client)
    assert ben.get("/").status_code == 200  # signed in with the password alone
    page = text(ben.get("/account/second-factor", headers=EN))
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    shown = submit(ben, "/account/second-factor", {"code": pyotp.TOTP(secret).now()},
                   headers=EN)
    assert len(RECOVERY_CODE.findall(text(shown))) == 10
    assert "second factor is on" in text(ben.get("/account/second-factor", headers=EN)).lower()
    # The practice asks everyone: a colleague without one sets it up at the next sign-in.
    submit(admin_client, "/settings", {"name": "Praxis", "timezone": "Europe/Berlin",
                                       "default_language": "de", "second_factor_for": "everyone"})
    submit(admin_client, "/practitioners/new", {
        "name": "Cleo", "email": "cleo@example.com", "role": "practitioner",
        "password": "a third long password", "confirm": "a third long password"})
    cleo = app.test_client()
    first = submit(cleo, "/login", {"email": "cleo@example.com",
                                    "password": "a third long password"})
    assert first.location == "/login/enrol"


def test_admin_resets_a_colleagues_second_factor(app, admin_client):
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    ben = second_practitioner(app, admin_client)
    page = text(ben.get("/account/second-factor"))
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    submit(ben, "/account/second-factor", {"code": pyotp.TOTP(secret).now()})
    assert "Reset second factor" in text(admin_client.get("/practitioners/2/", headers=EN))
    ask = submit(admin_client, "/practitioners/2/second-factor", {}, page="/practitioners/2/",
                 headers=EN)
    assert "stop working" in text(ask) and ben.get("/").status_code == 200
    submit(admin_client, "/practitioners/2/second-factor", {"confirmed": "1"},
           page="/practitioners/2/")
    assert ben.get("/").location.startswith("/login")  # every sign-in ended
    assert login(ben, "ben@example.com", "another long password").location == "/"  # password only
    with app.app_context():
        actions = [e.action for e in db.session.scalars(sa.select(AuditEvent))]
    assert {"account.second_factor_on", "account.second_factor_reset"} <= set(actions)
