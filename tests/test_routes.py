"""Every registered route, walked without logging in, ends on the login page."""

from __future__ import annotations

import re

from werkzeug.routing import Rule
from werkzeug.routing.converters import NumberConverter

from conftest import h1

OPEN = {"accounts.login", "settings.setup", "static"}
# The client's diary has no login: it opens with the personal link only (tested below).
DIARY = "diary."


def _url(rule: Rule) -> str:
    values = {
        argument: 1 if isinstance(rule._converters[argument], NumberConverter) else "x"
        for argument in rule.arguments
    }
    return rule.build(values)[1]


def test_every_route_but_login_setup_and_static_requires_login(app, client, practice_set_up):
    rules = [rule for rule in app.url_map.iter_rules()
             if rule.endpoint not in OPEN and not rule.endpoint.startswith(DIARY)]
    assert len(rules) >= 8  # a sanity check that the walk sees the app's routes
    for rule in rules:
        url = _url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, follow_redirects=True,
                                   headers={"Accept-Language": "en"})
            assert response.request.path == "/login", (rule.endpoint, method, url)
            assert response.status_code == 200
            assert h1(response) == "Sign in", (rule.endpoint, method)


def test_open_routes_answer_without_login(client, practice_set_up):
    assert client.get("/login").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/setup").location == "/login"  # set-up is done: it hands over to login


def test_pages_send_protective_headers(admin_client):
    response = admin_client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = admin_client.get_cookie("practice_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_pages_load_nothing_from_elsewhere(admin_client):
    for path in ("/", "/account", "/practitioners", "/practitioners/new", "/settings"):
        html = admin_client.get(path).get_data(as_text=True)
        # No resource from elsewhere (an example address in a hint is text, not a resource).
        assert not re.search(r'(?:src|href|action|srcset)="(?:https?:)?//', html), path
        assert "url(http" not in html and "@import" not in html, path
        assert "//" not in html.replace("<!doctype", "").split("<body", 1)[0].replace(
            'content="width=device-width', ""), path


def test_client_diary_routes_stay_closed_without_the_personal_link(app, client, practice_set_up):
    from practice.diary.client_views import OPEN_ENDPOINTS

    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(DIARY)]
    assert len(rules) >= 4
    for rule in rules:
        if rule.endpoint in OPEN_ENDPOINTS - {"diary.open_link"}:
            # The installable diary's manifest and worker: the same for all, nothing personal.
            body = client.get(_url(rule)).get_data(as_text=True)
            assert "Hello" not in body and "My plan" not in body and "csrf" not in body
            continue
        url = _url(rule).replace("/x/x", "/2026-01-01/morning")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, headers={"Accept-Language": "en"})
            assert response.status_code in (403, 404, 400), (rule.endpoint, method)
            body = response.get_data(as_text=True)
            assert "Hello" not in body and "My plan" not in body
