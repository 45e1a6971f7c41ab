"""In Chromium: a new client with a red flag, the notice on the record and in the list,
acknowledged, and the change of state seen; plus live search."""

from __future__ import annotations

import pytest

from browser import live_server
from browser import sign_in as browser_sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, submit

pytestmark = pytest.mark.browser



def sign_in(page, base, app):
    browser_sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_intake_with_red_flag_then_acknowledged(app, client, browser, width, height):
    from playwright.sync_api import expect

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="en-GB")
        sign_in(page, base, app)
        page.get_by_role("link", name="New client").first.click()
        assert page.locator("h1").inner_text() == "New client and intake"

        page.get_by_label("First name").fill("Jana")
        page.get_by_label("Last name").fill("Schäfer")
        page.get_by_label("Date of birth").fill("1984-04-02")
        page.locator("fieldset", has_text="Where is the pain?").get_by_text("centre").click()
        page.get_by_label("Pain now (0 = none, 10 = worst imaginable)").fill("7")
        page.get_by_label("Morning stiffness").fill("40")
        page.get_by_label("New trouble passing or holding urine or stool").check()
        page.get_by_label("I have asked the client every warning-sign question above.").check()
        # Completing without consent is refused, and what was typed stays.
        page.get_by_role("button", name="Complete intake").click()
        expect(page.locator("body")).to_contain_text("Without the client's consent the intake cannot be completed.")
        assert page.get_by_label("Last name").input_value() == "Schäfer"
        assert page.get_by_label("New trouble passing or holding urine or stool").is_checked()
        page.get_by_label("The client has read this text and consents.").check()
        page.get_by_role("button", name="Complete intake").click()

        assert page.locator("h1").inner_text() == "Jana Schäfer"
        notice = page.get_by_role("alert").filter(has_text="Refer to a doctor")
        assert notice.is_visible()
        assert "New trouble passing or holding urine or stool" in notice.inner_text()

        page.get_by_role("link", name="Clients", exact=True).first.click()
        row = page.locator("tr", has_text="Schäfer, Jana")
        assert "Refer to a doctor" in row.inner_text()

        row.get_by_role("link").click()
        page.get_by_label("What was done (optional)").fill("Sent to the GP today")
        page.get_by_role("button", name="Acknowledge").click()
        # A confirmation names what follows, and what will be kept.
        expect(page.locator("body")).to_contain_text("The notice closes for everyone")
        expect(page.locator("body")).to_contain_text("Sent to the GP today")
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.locator("body")).to_contain_text("Notice acknowledged.")
        assert page.get_by_role("alert").filter(has_text="Refer to a doctor").count() == 0
        expect(page.locator("body")).to_contain_text("Notice acknowledged by Anna Admin")

        page.get_by_role("link", name="Clients", exact=True).first.click()
        assert "Refer to a doctor" not in page.locator("tr", has_text="Schäfer, Jana").inner_text()
        page.close()


def test_search_as_you_type(app, client, browser):
    from playwright.sync_api import expect

    from practice.accounts.models import Practitioner
    from practice.clients import service
    from practice.extensions import db

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    with app.app_context():
        anna = db.session.get(Practitioner, 1)
        for first, last in (("Jana", "Schäfer"), ("Peter", "Meier"), ("Ute", "Schulz")):
            service.create({"first_name": first, "last_name": last, "practitioner_id": 1},
                           actor=anna)
        db.session.commit()
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        sign_in(page, base, app)
        page.goto(base + "/clients/")
        rows = page.locator("table.clients tbody tr")
        assert rows.count() == 3
        page.get_by_label("Search by name").press_sequentially("scha", delay=30)
        expect(rows).to_have_count(1)
        assert "Schäfer, Jana" in rows.first.inner_text()
        assert page.url.endswith("/clients/?q=scha&status=active")
        page.get_by_label("Search by name").fill("nobody")
        expect(page.get_by_text("No client matches.")).to_be_visible()
        page.close()
