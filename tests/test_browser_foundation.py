"""In Chromium, through the real pages: set up a practice, sign in, switch language, sign out."""

from __future__ import annotations

import re

import pyotp
import pytest

from browser import live_server
from conftest import PASSWORD

pytestmark = pytest.mark.browser



@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_set_up_sign_in_switch_language_sign_out(app, browser, width, height):
    from playwright.sync_api import expect

    with live_server(app) as base:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="en-GB")
        page.goto(base + "/")
        assert page.url == base + "/setup"
        assert page.locator("h1").inner_text() == "Set up your practice"

        # A mistake first: the form comes back with a message and keeps what was typed.
        page.get_by_label("Name of the practice").fill("Praxis am Park")
        page.get_by_label("Address").fill("Parkweg 2\n80331 München")
        page.get_by_label("Your name").fill("Mara Müller")
        page.get_by_label("Your e-mail").fill("mara@example.com")
        page.get_by_label(re.compile(r"^Password\*?$")).fill(PASSWORD)
        page.get_by_label("Repeat password").fill("not the same")
        page.get_by_role("button", name="Set up practice").click()
        # The click returns once the answer's navigation is committed, before its document is
        # parsed (CI once read an empty page here); expect() waits for the text to be there.
        expect(page.locator("body")).to_contain_text("The two passwords differ.")
        assert page.get_by_label("Name of the practice").input_value() == "Praxis am Park"
        assert page.get_by_label("Address").input_value() == "Parkweg 2\n80331 München"

        page.get_by_label(re.compile(r"^Password\*?$")).fill(PASSWORD)
        page.get_by_label("Repeat password").fill(PASSWORD)
        page.get_by_role("button", name="Set up practice").click()
        assert page.url == base + "/login"
        expect(page.locator("body")).to_contain_text("Your practice is set up.")

        page.get_by_label("E-mail").fill("mara@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # An administrator sets up the second factor at the first sign-in.
        assert page.url == base + "/login/enrol"
        assert page.locator(".enrol-qr svg").is_visible()
        secret = page.locator("[data-secret]").get_attribute("data-secret")
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Switch on").click()
        assert page.locator(".recovery-codes li").count() == 10
        page.get_by_role("button", name="I have noted them").click()
        assert page.url == base + "/"
        assert page.locator("h1").inner_text() == "Welcome, Mara Müller"
        assert "Praxis am Park" in page.locator("header").inner_text()

        page.get_by_role("button", name="DE").click()
        assert page.locator("h1").inner_text() == "Willkommen, Mara Müller"
        page.goto(base + "/account")
        assert page.locator("h1").inner_text() == "Mein Konto"  # the choice is remembered

        page.get_by_role("button", name="Abmelden").click()
        assert page.url == base + "/login"
        assert page.locator("h1").inner_text() == "Anmelden"
        page.goto(base + "/account")
        assert page.url.startswith(base + "/login")
        page.close()
