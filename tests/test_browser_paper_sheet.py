"""In Chromium at the desk: a 14-day paper sheet typed in one grid form by keyboard; a mistyped
number comes back with everything typed still there; saved, it is 28 paper entries."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from figures import report_figure
from intake_helpers import client_id, new_client

pytestmark = pytest.mark.browser


def test_a_two_week_paper_sheet_in_one_form(app, client, browser):
    from playwright.sync_api import expect

    from practice.diary.models import DiaryEntry
    from practice.extensions import db

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, first_name="Paula", last_name="Papier", language="en"))
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        page.goto(f"{base}/clients/{cid}/diary/")
        page.get_by_role("link", name="Type in two weeks of a paper diary").click()
        expect(page.get_by_role("heading", name="Type in two weeks of a paper diary")).to_be_visible()
        started = time.monotonic()
        page.locator("input.sheet-number").first.focus()
        for day in range(14):
            # Morning pain, stiffness, evening pain: Enter and Tab both move on.
            morning = "12" if day == 3 else str(day % 8)
            page.keyboard.type(morning)
            page.keyboard.press("Enter")
            page.keyboard.type("30")
            page.keyboard.press("Tab")
            page.keyboard.type(str((day + 2) % 9))
            page.keyboard.press("Tab")  # the warning box
            page.keyboard.press("Tab")  # the note
            if day == 5:
                page.keyboard.type("Fahrt zur Arbeit")
            page.keyboard.press("Tab")
        typing = time.monotonic() - started
        page.get_by_role("button", name="Save the two weeks").click()
        # The mistyped 12: refused at its box, everything else still typed.
        expect(page.get_by_text("Please enter a number from 0 to 10.").first).to_be_visible()
        # The summary at the top names the day of the refused box.
        summary = page.locator("#error-summary li").first.inner_text()
        assert summary.endswith(": Morning pain: Please enter a number from 0 to 10."), summary
        numbers = page.locator("input.sheet-number")
        assert numbers.nth(3 * 3).input_value() == "12"
        assert numbers.nth(3 * 13 + 2).input_value() == str((13 + 2) % 9)
        assert page.locator("input.sheet-note").nth(5).input_value() == "Fahrt zur Arbeit"
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(DiaryEntry)) == 0
        numbers.nth(3 * 3).fill("3")
        numbers.nth(3 * 3).press("Enter")  # moves on, does not save
        assert "Save the two weeks" in page.content()
        page.get_by_role("button", name="Save the two weeks").click()
        expect(page.get_by_text("Paper diary typed in: 28 entries.")).to_be_visible()
        with app.app_context():
            entries = db.session.scalars(sa.select(DiaryEntry).order_by(
                DiaryEntry.day, DiaryEntry.slot.desc())).all()
        assert len(entries) == 28
        assert {e.source for e in entries} == {"paper"} and {e.entered_by_id for e in entries} == {1}
        assert [e.pain for e in entries if e.slot == "morning"][3] == 3
        assert entries[0].stiffness_minutes == 30
        assert [e.note for e in entries if e.note] == ["Fahrt zur Arbeit"]
        report_figure("paper sheet", f"14 days x 2 entries typed by keyboard in {typing:.1f} s, "
                                     "saved in one form (2 clicks, one after a mistyped number)")
