"""In Chromium at phone size: the client opens the personal link, logs a morning and an evening
entry and sees them on the chart; another client's diary session sees none of it."""

from __future__ import annotations

import pytest

from browser import live_server
from conftest import SETUP_FORM, login, submit
from diary_helpers import create_link
from intake_helpers import client_id, new_client

pytestmark = pytest.mark.browser


def test_phone_diary_morning_and_evening(app, client, browser):
    from playwright.sync_api import expect

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    jana = client_id(new_client(client, language="en"))
    other = client_id(new_client(client, first_name="Otto", last_name="Anders", language="de"))
    jana_link, other_link = create_link(client, jana), create_link(client, other)
    with live_server(app) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE",
                                      is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(base + jana_link)
        assert page.url == base + "/diary/"  # the token is gone from the address
        expect(page.get_by_role("heading", name="Hello Jana")).to_be_visible()  # her language

        page.get_by_role("link", name="Morning enter now").click()
        page.locator("label", has_text="6").filter(has=page.locator("input[name=pain]")).first.click()
        page.get_by_label("Minutes of stiffness until it eased").fill("40")
        page.get_by_text("fair", exact=True).click()
        page.get_by_text("No, none of these", exact=True).click()  # never preselected
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved. Thank you!")).to_be_visible()

        page.get_by_role("link", name="Evening enter now").click()
        page.locator("fieldset", has_text="Pain right now").get_by_text("3", exact=True).click()
        page.locator("fieldset", has_text="Stress today").get_by_text("5", exact=True).click()
        page.get_by_text("No, none of these", exact=True).click()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("✓ pain 6")).to_be_visible()
        expect(page.get_by_text("✓ pain 3")).to_be_visible()
        chart = page.locator(".chart svg")
        expect(chart.locator("circle title", has_text="morning 6")).to_have_count(1)
        expect(chart.locator("rect title", has_text="evening 3")).to_have_count(1)

        other_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        other_page.goto(base + other_link)
        expect(other_page.get_by_role("heading", name="Hallo Otto")).to_be_visible()
        assert "pain 6" not in other_page.content() and "Schmerz 6" not in other_page.content()
        expect(other_page.locator(".chart svg circle title")).to_have_count(0)
        context.close()
