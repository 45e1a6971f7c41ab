"""In Chromium: a client on the phone (German, 390 px) answers the diary's warning check with a
cauda equina sign and is sent to the emergency department; at the desk the notice stands on
the start page, the client page and the visit form; saving the visit asks for it to be
acknowledged; the handout printed afterwards leads with the warning box."""

from __future__ import annotations

import io

import pytest

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, login, submit
from diary_helpers import create_link
from intake_helpers import client_id, new_client

pytestmark = pytest.mark.browser


def test_cauda_equina_sign_from_the_phone_to_the_printed_handout(app, client, browser):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    pytest.importorskip("weasyprint")
    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    login(client, SETUP_FORM["admin_email"])
    cid = client_id(new_client(client, language="de"))
    link = create_link(client, cid)
    with live_server(app) as base:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE",
                                    is_mobile=True, has_touch=True).new_page()
        phone.goto(base + link)
        phone.get_by_role("link", name="Morgens").first.click()
        phone.locator("fieldset", has_text="Schmerz gerade jetzt").get_by_text(
            "7", exact=True).click()
        warning = phone.locator("[data-warning-check]")
        expect(warning.locator("[data-warning-which]")).to_be_hidden()  # until Yes
        assert warning.locator("input[name=warning]:checked").count() == 0  # never preselected
        warning.get_by_text("Ja, mindestens eines davon").click()
        expect(warning.locator("[data-warning-which]")).to_be_visible()
        expect(warning.locator("[data-warning-list]")).to_be_hidden()  # the ticks name them now
        warning.locator("[data-warning-which]").get_by_text("Taubes Gefühl an den Genitalien").click()
        phone.get_by_role("button", name="Speichern").click()
        expect(phone.get_by_role("heading", name="Rufen Sie die 112 oder gehen Sie jetzt in "
                                                  "die Notaufnahme")).to_be_visible()
        assert "bisher weiß niemand davon" in phone.content()

        desk = browser.new_context(viewport={"width": 1280, "height": 900},
                                   locale="en-GB").new_page()
        sign_in(desk, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        expect(desk.get_by_text("Jana Schäfer").first).to_be_visible()
        assert "Numbness around the genitals" in desk.content()  # on the start page

        desk.goto(base + f"/clients/{cid}")
        notice = desk.get_by_role("alert").filter(has_text="Refer to a doctor")
        expect(notice).to_contain_text("Emergency: emergency department or 112 now")

        desk.get_by_role("link", name="New visit").click()
        expect(desk.get_by_role("alert").filter(has_text="Refer to a doctor")).to_be_visible()
        desk.get_by_label("Pain now (0-10)").fill("7")
        desk.get_by_role("button", name="Save visit").click()
        # At the decision and again in the error summary at the top (a link to it).
        expect(desk.get_by_role("link", name="A notice is open: please acknowledge it")
               ).to_be_visible()
        expect(desk.locator("#notice-decision").get_by_text(
            "A notice is open: please acknowledge it")).to_be_visible()
        assert desk.get_by_label("Pain now (0-10)").input_value() == "7"  # nothing lost
        desk.get_by_label("I have advised the client to see a doctor").check()
        desk.get_by_label("What was done", exact=True).fill("Sent to the emergency department")
        desk.get_by_role("button", name="Save visit").click()
        expect(desk.get_by_text("Visit saved")).to_be_visible()

        with desk.expect_response(lambda r: r.url.endswith(".pdf")) as answer:
            desk.get_by_role("button", name="Print handout").click()
        # The viewer keeps the bytes to itself; fetch the same address with the same sign-in.
        pdf = desk.request.get(answer.value.url).body()
        first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        lead = "Bitte gehen Sie jetzt in die Notaufnahme oder rufen Sie die 112"
        assert lead in first and first.index(lead) < first.index("Wann zur Ärztin")
