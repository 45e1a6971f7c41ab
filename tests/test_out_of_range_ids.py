"""Out-of-range ids everywhere an id is read: every route of the URL map, and every id a form
sends (hidden fields, selects, ticks). The answer is 404 or a message at the field, never 5xx,
and nothing is stored."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from werkzeug.routing.converters import NumberConverter

from conftest import csrf_token
from diary_helpers import create_link, today_of
from html_forms import forms_of
from intake_helpers import client_id, new_client
from visit_helpers import item_ids, record_visit, visit_page

EN = {"Accept-Language": "en"}
BAD_IDS = ("0", "-1", str(2**31), str(2**63), "99999999999999999999999", "1e3", "abc", "")
BAD_PATH_IDS = (0, 2**31, 2**63, 10**23)  # 2**31: past PostgreSQL's integer


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def record(app, admin_client):
    """Client 1 with a red-flag notice, a visit with a plan, a diary link and a phone."""
    cid = client_id(new_client(admin_client, rf_fever="y"))
    html = visit_page(admin_client, cid)
    kidney = item_ids(html)["Kidney rubbing"]
    assert record_visit(admin_client, cid, {"pain_now": "5", "add": str(kidney),
                                            "notice_decision": "proceed"}, html).status_code == 302
    phone = app.test_client()
    phone.get(create_link(admin_client, cid))
    return {"client": cid, "phone": phone, "today": today_of(phone), "kidney": kidney}


def counts(app) -> dict:
    """Rows per table, to show that a refused request stored nothing."""
    from practice.extensions import db

    with app.app_context():
        return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                for table in db.metadata.sorted_tables if table.name != "audit_events"}


def test_every_numeric_route_argument_is_a_bounded_id(app):
    from practice.inputs import MAX_ID, IdConverter

    numeric = [(rule.rule, name) for rule in app.url_map.iter_rules()
               for name, converter in rule._converters.items()
               if isinstance(converter, NumberConverter)]
    assert len(numeric) >= 15
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if isinstance(converter, NumberConverter):
                assert isinstance(converter, IdConverter), (rule.rule, name)
                assert (converter.min, converter.max) == (1, MAX_ID)


def test_out_of_range_ids_in_every_route_are_not_found(app, admin_client, record):
    token = csrf_token(text(admin_client.get("/")))
    before = counts(app)
    tried = 0
    for rule in app.url_map.iter_rules():
        ids = [name for name, c in rule._converters.items() if isinstance(c, NumberConverter)]
        for bad_name in ids:
            for bad in BAD_PATH_IDS:
                # The other ids point at rows that exist, so only the bad one can fail.
                values = {name: (bad if name == bad_name else 1) for name in rule.arguments}
                url = rule.build(values)[1]
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    data = {"csrf_token": token} if method == "POST" else None
                    response = admin_client.open(url, method=method, data=data, headers=EN)
                    assert response.status_code == 404, (method, url, response.status_code)
                    assert "Page not found" in text(response)
                    tried += 1
    assert tried >= 60
    assert counts(app) == before


def test_ids_in_query_strings_are_bounded(admin_client, record):
    for bad in BAD_IDS:
        assert admin_client.get(f"/library/1?version={bad}").status_code == 200
        assert admin_client.get(f"/library/?source={bad}").status_code == 200
        assert admin_client.get(f"/clients/?page={bad}").status_code == 200
    for day in ("0001-01-01", "9999-12-31", "2026-13-45", "x"):
        for path in ("/handouts/day/", "/handouts/day/handouts.pdf"):
            response = admin_client.get(f"{path}?date={day}")
            assert response.status_code in (200, 302), (path, day)


# Fields that carry an id, by name.
ID_FIELD = re.compile(r"(^|_)id$|^add$|^plan_done$")


def pages(record) -> list[tuple[str, object, dict]]:
    """Pages with forms, the client that opens them, and values that make the form valid."""
    cid, phone, today = record["client"], record["phone"], record["today"]
    return [
        ("/clients/new", None, {"first_name": "Ida", "last_name": "Ost", "consent": "y",
                                "red_flag_screen_done": "y", "pain_now": "4"}),
        (f"/clients/{cid}/details", None, {}),
        (f"/clients/{cid}/visits/new", None, {"pain_now": "4", "notice_decision": "proceed"}),
        (f"/clients/{cid}/visits/1/correct", None, {"pain_now": "3"}),
        (f"/clients/{cid}/visits/1", None, {"notice_decision": "proceed"}),
        (f"/clients/{cid}/diary/paper?day={today}&slot=evening", None, {"pain": "4", "warning": "no"}),
        (f"/diary/{today}/evening", phone, {"pain": "4", "warning": "no"}),
    ]


def test_out_of_range_ids_in_forms_get_404_or_a_field_error(app, admin_client, record):
    tried = 0
    for url, who, valid in pages(record):
        browser = who or admin_client
        html = text(browser.get(url, headers=EN))
        forms = [f for f in forms_of(html, url) if f.method == "post"
                 and any(ID_FIELD.search(name) for name in f.names)]
        assert forms, url
        for form in forms:
            for name in sorted(n for n in form.names if ID_FIELD.search(n)):
                for bad in BAD_IDS:
                    before = counts(app)
                    page = text(browser.get(url, headers=EN))
                    data = form.data(**{**valid, name: bad, "csrf_token": csrf_token(page)})
                    response = browser.post(form.action, data=data, headers=EN)
                    status, body = response.status_code, text(response)
                    assert status < 500, (url, name, bad)
                    if status == 404:
                        assert "not found" in body.lower() or "Page not found" in body
                    else:
                        assert status == 200, (url, name, bad, status, response.location)
                        assert 'class="errors"' in body, (url, name, bad)
                    assert counts(app) == before, (url, name, bad)
                    tried += 1
            # The same form with its own values is accepted: the refusals above were the id's.
            page = text(browser.get(url, headers=EN))
            response = browser.post(form.action, headers=EN,
                                    data=form.data(**valid, csrf_token=csrf_token(page)))
            assert response.status_code == 302, (url, text(response)[:3000])
    assert tried >= 40
