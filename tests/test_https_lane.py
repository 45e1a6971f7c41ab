"""The production path, end to end (CI's HTTPS lane): gunicorn (`practice serve`) behind Caddy
with `tls internal`, PostgreSQL, the public address set. A client's diary link from the public
URL is opened in Chromium over https: link -> cookie -> morning entry stored; cookies are
Secure, the session cookie carries the __Host- prefix, HSTS is sent.

Runs when PRACTICE_HTTPS_URL names such a server (``.ci/run`` starts one); skipped otherwise.
"""

from __future__ import annotations

import os

import pytest

from browser import sign_in

pytestmark = [pytest.mark.https, pytest.mark.browser]
BASE = os.environ.get("PRACTICE_HTTPS_URL", "")
EMAIL = os.environ.get("PRACTICE_HTTPS_EMAIL", "lane@example.com")
PASSWORD = os.environ.get("PRACTICE_HTTPS_PASSWORD", "lane password 12345")


@pytest.mark.skipif(not BASE, reason="needs PRACTICE_HTTPS_URL (the HTTPS lane of .ci/run)")
def test_diary_through_caddy_over_https(browser):
    from playwright.sync_api import expect

    desk_context = browser.new_context(ignore_https_errors=True, locale="en-GB",
                                       viewport={"width": 1280, "height": 900})
    desk = desk_context.new_page()
    first = desk.goto(BASE + "/login")
    assert first.status == 200
    assert "max-age=" in first.headers.get("strict-transport-security", "")
    sign_in(desk, BASE, EMAIL, PASSWORD, {})  # an admin: sets up the second factor now
    session = [c for c in desk_context.cookies() if c["name"].startswith("__Host-")]
    assert session and session[0]["secure"] and session[0]["httpOnly"]
    assert session[0]["path"] == "/" and not session[0]["domain"].startswith(".")

    desk.goto(BASE + "/clients/new")
    desk.get_by_label("First name").fill("Hanna")
    desk.get_by_label("Last name").fill("Sicher")
    desk.get_by_label("Pain now (0 = none, 10 = worst imaginable)").fill("6")
    desk.locator("#language-1").check()  # English
    desk.get_by_label("I have asked the client every warning-sign question above.").check()
    desk.get_by_label("The client has read this text and consents.").check()
    desk.get_by_role("button", name="Complete intake").click()
    desk.get_by_role("button", name="Create diary link").click()
    link = desk.locator(".diary-link-url").inner_text().strip()
    assert link.startswith(BASE + "/d/"), link  # the public address, not the request's
    # (localhost is rightly called a local address here; production uses the practice domain)

    phone_context = browser.new_context(ignore_https_errors=True, locale="en-GB",
                                        viewport={"width": 390, "height": 844},
                                        is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(link)
    assert phone.url == BASE + "/diary/"
    diary = [c for c in phone_context.cookies() if c["name"] == "practice_diary"]
    assert diary and diary[0]["secure"] and diary[0]["httpOnly"]
    phone.get_by_role("link", name="Morning enter now").click()
    phone.locator("label", has_text="6").filter(has=phone.locator("input[name=pain]")).first.click()
    phone.get_by_text("No, none of these", exact=True).click()
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved. Thank you!")).to_be_visible()

    desk.reload()
    expect(desk.locator(".chart svg circle title", has_text="morning 6")).to_have_count(1)
