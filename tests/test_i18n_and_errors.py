"""German and English, the remembered language switch, and friendly error pages."""

from __future__ import annotations

import sqlalchemy as sa

from conftest import h1, login, submit


def test_language_follows_the_browser_before_anything_is_chosen(client, practice_set_up):
    assert h1(client.get("/login", headers={"Accept-Language": "de"})) == "Anmelden"
    assert h1(client.get("/login", headers={"Accept-Language": "en-GB"})) == "Sign in"
    assert h1(client.get("/login", headers={"Accept-Language": "fr"})) == "Anmelden"  # default


def test_language_switch_is_remembered_in_a_cookie_and_in_the_account(app, client, practice_set_up):
    from practice.accounts.models import Practitioner
    from practice.extensions import db

    response = submit(client, "/language", {"language": "en", "next": "/login"}, page="/login")
    assert response.status_code == 302 and response.location == "/login"
    assert h1(client.get("/login", headers={"Accept-Language": "de"})) == "Sign in"

    login(client, practice_set_up)
    submit(client, "/language", {"language": "de", "next": "/account"}, page="/")
    page = client.get("/account", headers={"Accept-Language": "en"})
    assert h1(page) == "Mein Konto"
    assert "Passwort ändern" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Practitioner.language)) == "de"
    # A new browser without the cookie: the account's choice applies after signing in.
    other = app.test_client()
    login(other, practice_set_up)
    assert h1(other.get("/account", headers={"Accept-Language": "en"})) == "Mein Konto"


def test_unknown_language_is_ignored(client, practice_set_up):
    response = submit(client, "/language", {"language": "xx", "next": "https://evil.example/"},
                      page="/login")
    assert response.location == "/"
    assert client.get_cookie("practice_lang") is None


def test_friendly_404_in_both_languages(admin_client):
    response = admin_client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and h1(response) == "Page not found"
    submit(admin_client, "/language", {"language": "de"}, page="/")
    response = admin_client.get("/no/such/page")
    assert response.status_code == 404 and h1(response) == "Seite nicht gefunden"


def test_friendly_500_without_stack_trace(database_url, practice_set_up):
    from conftest import base_config
    from practice import create_app

    app = create_app({**base_config(database_url), "TESTING": False,
                      "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    login(client, practice_set_up)
    response = client.get("/boom", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert h1(response) == "Something went wrong"
    assert "secret internals" not in html and "Traceback" not in html


def test_every_input_has_a_label(client, admin_client):
    import re

    pages = ["/", "/account", "/practitioners/new", "/settings"]
    for path in pages:
        html = admin_client.get(path).get_data(as_text=True)
        labels = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if 'type="hidden"' in tag or 'type="submit"' in tag:
                continue
            field_id = re.search(r'id="([^"]+)"', tag)
            assert field_id and field_id.group(1) in labels, (path, tag)


def test_template_texts_are_translated_escaped_and_kept_apart_per_language(app):
    """``_()`` in templates: the catalogue's text, values escaped, %% as a percent sign, and a
    text kept once made is never served in the other language."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = ("{{ _('Save') }}|{{ _('Opened by %(name)s on %(date)s: “%(reason)s”', "
            "name='<b>', date='1.1.', reason='x') }}|{{ _('100%% sure') }}")
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        for _ in range(2):  # made, then kept
            assert render_template_string(page) == (
                "Speichern|Geöffnet von &lt;b&gt; am 1.1.: „x“|100% sure")
        with force_locale("en"):  # a handout in the client's language, inside a German page
            assert render_template_string(page).startswith("Save|Opened by &lt;b&gt;")
        assert render_template_string(page).startswith("Speichern|")
    # A macro imported without context lives in a module Jinja keeps between requests: its
    # texts must still follow each request's language.
    summary = ('{% from "_macros.html" import form_errors %}'
               '{{ form_errors(None, [(None, "", "x")]) }}')
    for language, title in (("de", "Bitte prüfen Sie"), ("en", "Please check"),
                            ("de", "Bitte prüfen Sie")):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            assert title in render_template_string(summary), language
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(page).startswith("Save|")
        # Outside HTML (autoescape off, as for plain text) values stay as given.
        plain = app.jinja_env.overlay(autoescape=False).from_string(page)
        assert plain.render() == "Save|Opened by <b> on 1.1.: “x”|100% sure"
