"""In Chromium: two visits build and change a home-care plan; the client page shows the plan
and the history."""

from __future__ import annotations

import pytest

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from intake_helpers import client_id, new_client

pytestmark = pytest.mark.browser



def pick(page, title):
    row = page.locator("li.pick", has=page.get_by_text(title, exact=True))
    row.locator("input[type=checkbox]").check()
    return row


def test_two_visits_change_the_plan(app, client, browser):
    from playwright.sync_api import expect

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, morning_stiffness="40", better_with="movement"))
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        page.goto(f"{base}/clients/{cid}")
        page.get_by_role("link", name="New visit").click()

        page.get_by_label("Pain now (0-10)").fill("6")
        page.get_by_label("Findings", exact=True).fill("Lower back tense, cold to the touch")
        expect(page.locator("li.pick.suggested").first).to_be_visible()
        page.get_by_label("Search (German or English)").fill("warm")
        pick(page, "Keep the lower back warm")
        page.get_by_label("Search (German or English)").fill("")
        row = pick(page, "Kidney rubbing")
        row.get_by_label("How often").fill("morning and evening")
        row.get_by_label("Notes for the client").fill("Rub until the back feels warm.")
        pick(page, "Glute bridge")
        page.get_by_role("button", name="Save visit").click()
        expect(page.locator("body")).to_contain_text("Visit saved: 3 added")

        plan = page.locator("section", has=page.get_by_role("heading", name="Home-care plan"))
        for title in ("Keep the lower back warm", "Kidney rubbing", "Glute bridge"):
            expect(plan.get_by_text(title)).to_be_visible()
        expect(plan.get_by_text("Rub until the back feels warm.")).to_be_visible()

        page.get_by_role("link", name="New visit").click()
        page.get_by_label("Pain now (0-10)").fill("4")
        plan_row = page.locator("li.plan-row", has_text="Glute bridge")
        plan_row.locator("label.pill-stop").click()
        pick(page, "Constructive rest position")
        page.get_by_role("button", name="Save visit").click()
        expect(page.locator("body")).to_contain_text("1 added, 0 adjusted, 1 stopped, 2 continued")

        plan = page.locator("section", has=page.get_by_role("heading", name="Home-care plan"))
        expect(plan.get_by_text("Glute bridge")).to_have_count(0)
        for title in ("Keep the lower back warm", "Kidney rubbing", "Constructive rest position"):
            expect(plan.get_by_text(title)).to_be_visible()
        expect(page.get_by_text("-2 since intake · meaningful (2 or more points)")).to_be_visible()

        page.get_by_role("link", name="Plan history").click()
        bridge = page.locator("tr", has_text="Glute bridge")
        expect(bridge.get_by_text("stopped")).to_be_visible()
        expect(page.locator("tr", has_text="Constructive rest position")
               .get_by_text("current")).to_be_visible()
        page.close()
