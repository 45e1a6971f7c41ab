"""In Chromium: the practitioner asks for ODI and PSFS before the next visit, the client fills
in the PSFS on a 390 px phone through the personal link, and the visit form shows the new
score with its change since the previous one. PRACTICE_SHOTS=<folder> keeps screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from diary_helpers import create_link
from intake_helpers import client_id, new_client
from measure_helpers import ODI_ALL, psfs_data, record_at_desk
from visit_helpers import record_visit

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PRACTICE_SHOTS")
GERMAN_ACTIVITIES = ("Socken anziehen", "Gartenarbeit", "Einen Film lang sitzen",
                     "Einkäufe tragen", "Radfahren")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_asked_before_the_visit_filled_on_the_phone_shown_at_the_visit(app, client, browser):
    from playwright.sync_api import expect

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, language="en"))
    # The first PSFS and ODI at the desk: what the phone's answers are compared with.
    assert record_at_desk(client, cid, "psfs", psfs_data(3, 4, 4)).status_code == 302
    assert record_at_desk(client, cid, "odi", ODI_ALL).status_code == 302
    assert record_visit(client, cid, {"pain_now": "6"}).status_code == 302  # the first visit
    link = create_link(client, cid)
    with live_server(app) as base:
        desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        sign_in(desk, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        desk.goto(f"{base}/clients/{cid}")
        ask = desk.locator("form.measure-ask")
        ask.locator("label", has_text="ODI").click()
        ask.locator("label", has_text="PSFS").click()
        ask.get_by_role("button", name="Save questionnaires to ask").click()
        expect(desk.get_by_text("Asked before the next visit: ODI, PSFS.")).to_be_visible()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB",
                                    is_mobile=True, has_touch=True).new_page()
        phone.goto(base + link)
        heading = "Before your next visit: 1 short questionnaire"
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
        expect(phone.get_by_text("also fill in 1 short questionnaire on paper")).to_be_visible()
        phone.get_by_role("link", name="Activities that are hard at the moment").click()
        expect(phone.get_by_label("Activity 1")).to_have_value("Putting on socks")
        for number, rating in ((1, "6"), (2, "6"), (3, "5")):
            card = phone.locator(".psfs-activity").nth(number - 1)
            card.locator(".diary-pills label", has_text=rating).filter(
                has=phone.locator(f"input[value='{rating}']")).first.click()
        # Nothing on the page is wider than the phone.
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        shot(phone, "phone-psfs-en.png")
        phone.get_by_role("button", name="Send to my practice").click()
        expect(phone.get_by_text("Sent. Thank you!")).to_be_visible()
        assert "Before your next visit" not in phone.content()

        desk.get_by_role("link", name="New visit").click()
        row = desk.locator("table.score-table tr[data-instrument=psfs]")
        expect(row).to_contain_text("5.7/10")
        expect(row).to_contain_text("+2.0")
        expect(row).to_contain_text("reaches the minimal important change")
        expect(row).to_contain_text("new since the last visit")
        expect(desk.locator(".measure-open")).to_contain_text(
            "ODI: to type in at the visit from the paper form")
        shot(desk, "visit-form-en.png")
        desk.goto(f"{base}/clients/{cid}")
        shot(desk, "client-page-en.png")


def test_german_questionnaires_fit_the_phone_and_the_scores_chart_the_client_page(
        app, client, browser):
    from playwright.sync_api import expect

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, first_name="Otto", last_name="Anders", language="de"))
    for ratings, odi in (((2, 3, 3, 1), 24), ((4, 5, 4, 3), 16), ((6, 6, 7, 5), 10)):
        record_at_desk(client, cid, "psfs", psfs_data(*ratings, names=GERMAN_ACTIVITIES))
        record_at_desk(client, cid, "odi", {f"odi{n}": odi // 10 + (n <= odi % 10)
                                            for n in range(1, 11)})
    record_at_desk(client, cid, "rmdq", {"rmdq_total": "11"})
    link = create_link(client, cid)
    submit(client, f"/clients/{cid}/measures/ask", {"ask": ["psfs", "start_back", "rmdq"]},
           page=f"/clients/{cid}")
    with live_server(app) as base:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE",
                                    is_mobile=True, has_touch=True).new_page()
        phone.goto(base + link)
        heading = "Vor Ihrem nächsten Termin: 2 kurze Fragebögen"
        expect(phone.get_by_role("heading", name=heading)).to_be_visible()
        shot(phone, "phone-home-de.png")
        for name, file in (("Tätigkeiten, die zurzeit schwerfallen", "phone-psfs-de.png"),
                           ("Ihr Rücken in den letzten zwei Wochen", "phone-startback-de.png")):
            phone.get_by_role("link", name=name).click()
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name
            shot(phone, file)
            phone.go_back()
        desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        sign_in(desk, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        desk.goto(f"{base}/clients/{cid}")
        desk.locator("button[name=language][value=de]").click()
        section = desk.locator("section",
                               has=desk.get_by_role("heading", name="Verlaufsfragebögen"))
        expect(section.locator("figure[data-instrument=odi] .mic-line")).to_have_count(1)
        expect(section.locator("figure[data-instrument=psfs]")).to_contain_text(
            "bedeutsame Verbesserung seit dem ersten Wert")
        if SHOTS:
            section.screenshot(path=str(Path(SHOTS) / "client-scores-de.png"))
        desk.locator("button[name=language][value=en]").click()
        section = desk.locator("section", has=desk.get_by_role("heading", name="Outcome measures"))
        if SHOTS:
            section.screenshot(path=str(Path(SHOTS) / "client-scores-en.png"))
        desk.goto(f"{base}/clients/{cid}/measures/new/odi")
        shot(desk, "desk-odi-en.png")
