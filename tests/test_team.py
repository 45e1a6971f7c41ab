"""An admin manages colleagues in the app: details and role, a temporary password that must be
changed, the colleague's sign-ins; every step audited; the last admin stays an admin."""

from __future__ import annotations

import re

import sqlalchemy as sa

from conftest import csrf_token, login, second_practitioner, submit

EN = {"Accept-Language": "en"}


def text(response) -> str:
    return response.get_data(as_text=True)


def ben_id(app) -> int:
    from practice.accounts.models import Practitioner
    from practice.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(Practitioner.id).where(
            Practitioner.email == "ben@example.com"))


def audit_actions(app, object_id) -> list[str]:
    from practice.audit.models import AuditEvent
    from practice.extensions import db

    with app.app_context():
        return [e.action for e in db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.object_type == "practitioner", AuditEvent.object_id == str(object_id)))]


def test_admin_edits_a_colleague_and_the_last_admin_keeps_the_role(app, admin_client):
    second_practitioner(app, admin_client)
    ben = ben_id(app)
    page = f"/practitioners/{ben}/"
    assert f'href="{page}"' in text(admin_client.get("/practitioners"))
    saved = submit(admin_client, page, {"name": "Ben Berg", "email": "ben.berg@example.com",
                                        "role": "admin"})
    assert saved.status_code == 302
    assert "Ben Berg" in text(admin_client.get("/practitioners"))
    taken = submit(admin_client, page, {"name": "Ben", "email": "anna@example.com",
                                        "role": "admin"}, headers=EN)
    assert "exists already" in text(taken) and "Ben" in text(taken)
    me = f"/practitioners/1/"
    self_demote = submit(admin_client, me, {"name": "Anna Admin", "email": "anna@example.com",
                                            "role": "practitioner"}, headers=EN)
    assert "cannot take the administrator role from yourself" in text(self_demote)
    assert "account.update" in audit_actions(app, ben)


def test_temporary_password_must_be_changed_and_ends_sign_ins(app, admin_client):
    ben_client = second_practitioner(app, admin_client)
    ben = ben_id(app)
    assert ben_client.get("/").status_code == 200
    listing = text(admin_client.get(f"/practitioners/{ben}/", headers=EN))
    assert "Active sign-ins" in listing and listing.count("End</button>") == 1
    ask = submit(admin_client, f"/practitioners/{ben}/password", {}, page=f"/practitioners/{ben}/",
                 headers=EN)
    assert "every sign-in of Ben ends" in text(ask)
    assert ben_client.get("/").status_code == 200  # asked, nothing done yet
    done = submit(admin_client, f"/practitioners/{ben}/password", {"confirmed": "1"},
                  page=f"/practitioners/{ben}/", headers=EN)
    password = re.search(r'<code>([^<]+)</code>', text(done)).group(1)
    assert len(password) >= 16
    assert ben_client.get("/").location.startswith("/login")  # the old sign-in has ended
    assert login(ben_client, "ben@example.com", "another long password").status_code == 200
    assert login(ben_client, "ben@example.com", password).status_code == 302
    # Nothing but the password change until the temporary password is replaced.
    for path in ("/", "/clients/", "/library/"):
        assert ben_client.get(path).location == "/account", path
    changed = submit(ben_client, "/account", {"current": password,
                                              "password": "bens own new password",
                                              "confirm": "bens own new password"})
    assert changed.status_code == 302
    assert ben_client.get("/clients/").status_code == 200
    assert "account.password_reset" in audit_actions(app, ben)
    with app.app_context():
        from practice.audit.models import AuditEvent
        from practice.extensions import db

        assert password not in " ".join(str(e.__dict__) for e in db.session.scalars(
            sa.select(AuditEvent)))


def test_admin_sees_and_ends_a_colleagues_sign_ins(app, admin_client):
    ben_client = second_practitioner(app, admin_client)
    other_device = app.test_client()
    login(other_device, "ben@example.com", "another long password")
    ben = ben_id(app)
    page = text(admin_client.get(f"/practitioners/{ben}/", headers=EN))
    login_ids = re.findall(r'name="login_id" value="(\d+)"', page)
    assert len(login_ids) == 2
    submit(admin_client, f"/practitioners/{ben}/sign-ins", {"login_id": login_ids[0]},
           page=f"/practitioners/{ben}/")
    alive = [c.get("/").status_code == 200 for c in (ben_client, other_device)]
    assert sorted(alive) == [False, True]
    submit(admin_client, f"/practitioners/{ben}/sign-ins", {}, page=f"/practitioners/{ben}/")
    assert [c.get("/").status_code for c in (ben_client, other_device)] == [302, 302]
    assert "account.end_logins" in audit_actions(app, ben)
    bad = admin_client.post(f"/practitioners/{ben}/sign-ins", data={
        "csrf_token": csrf_token(page), "login_id": "99999999999999999999"})
    assert bad.status_code == 404


def test_practitioners_cannot_manage_colleagues(app, admin_client):
    ben_client = second_practitioner(app, admin_client)
    for path in ("/practitioners/1/",):
        assert ben_client.get(path).status_code == 403
    page = text(ben_client.get("/"))
    for path in ("/practitioners/1/password", "/practitioners/1/sign-ins"):
        response = ben_client.post(path, data={"csrf_token": csrf_token(page), "confirmed": "1"})
        assert response.status_code == 403, path
