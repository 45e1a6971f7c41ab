"""In Chromium, as at the desk: a new client's full intake without warning signs, from the start
page to the saved client record, counting the clicks (and keys) that submit, navigate or tick;
typing text into a field is not counted."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from browser import live_server, sign_in
from conftest import PASSWORD, SECOND_FACTORS, SETUP_FORM, submit
from figures import report_figure

pytestmark = pytest.mark.browser
MAX_CLICKS = 30  # issue 19; 37 before the intake had "None of these apply"


class Counter:
    """Clicks through Playwright, each one counted."""

    def __init__(self, page):
        self.page, self.clicks = page, 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def pill(self, question: str, answer: str) -> None:
        """Choose ``answer`` in the question group labelled ``question``."""
        group = self.page.get_by_role("group", name=question, exact=True)
        self.click(group.get_by_text(answer, exact=True))

    def none_apply(self, section: str) -> None:
        """Click "None of these apply" in the section with the id ``section``."""
        self.click(self.page.locator(f"#{section}").get_by_role(
            "button", name="None of these apply"))


def test_a_new_clients_intake_without_warning_signs_in_few_clicks(app, client, browser):
    from playwright.sync_api import expect
    from practice.clients.models import Client
    from practice.extensions import db

    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
        page.goto(f"{base}/")
        do = Counter(page)
        started = time.monotonic()

        do.click(page.get_by_role("link", name="New client").first)
        # Details (language and practitioner keep their defaults).
        page.get_by_label("First name").fill("Mira")
        page.get_by_label("Last name").fill("Neumann")
        page.get_by_label("Date of birth").fill("1979-06-14")
        do.pill("Sex", "female")
        page.get_by_label("E-mail").fill("mira@example.com")
        page.get_by_label("Phone").fill("+49 30 5550123")
        # Complaint.
        do.pill("Where is the pain?", "centre")
        page.get_by_label("Since when?").fill("five weeks ago")
        do.pill("How long so far?", "under 6 weeks")
        do.pill("How did it start?", "gradually")
        do.pill("After", "lifting")
        page.get_by_label("Age when back pain first began").fill("38")
        do.pill("What is the pain like?", "dull")
        page.get_by_label("Pain now (0 = none, 10 = worst imaginable)").fill("5")
        # Time of day.
        do.pill("Worst time of day", "morning")
        page.get_by_label("Morning stiffness").fill("20")
        do.pill("Better with", "movement")
        position = page.get_by_role("group", name="Changing position at night helps")
        assert position.is_hidden()  # it matters only after a yes to pain at night
        do.none_apply("timing")
        assert page.get_by_role("group", name="Pain at night").get_by_label("No").is_checked()
        assert position.is_hidden()
        # What makes it worse or better.
        do.pill("Worse with", "sitting")
        do.pill("Worse with", "cold")
        do.pill("What helps", "warmth")
        # Lifestyle.
        page.get_by_label("Hours sitting per day").fill("7")
        page.get_by_label("Movement and sport").fill("walks at the weekend")
        page.get_by_label("Stress (0 = none, 10 = extreme)").fill("6")
        do.pill("Sleep quality", "fair")
        page.get_by_label("Diet", exact=True).fill("mixed")
        do.pill("Alcohol", "occasionally")
        # TCM observations.
        do.none_apply("tcm")
        page.get_by_label("Digestion").fill("regular")
        page.get_by_label("Tongue").fill("pale, thin white coat")
        page.get_by_label("Pulse").fill("deep")
        # Medical history.
        page.get_by_label("Medication").fill("ibuprofen when needed")
        do.none_apply("history")
        # Warning signs: every question asked, none applies (this ticks the confirmation).
        do.none_apply("red_flags")
        assert page.get_by_label("I have asked the client every warning-sign question "
                                 "above.").is_checked()
        # STarT Back, answered by the client.
        for number in range(1, 9):
            group = page.locator("#start_back fieldset").nth(number - 1)
            do.click(group.get_by_text("Disagree", exact=True))
        do.click(page.locator("#start_back fieldset").nth(8).get_by_text("Slightly", exact=True))
        # Consent, then complete.
        do.click(page.get_by_label("The client has read this text and consents."))
        do.click(page.get_by_role("button", name="Complete intake"))

        assert page.locator("h1").inner_text() == "Mira Neumann"
        seconds = time.monotonic() - started
        expect(page.locator("body")).to_contain_text("Intake completed.")
        page.close()

    with app.app_context():
        person = db.session.scalar(sa.select(Client).where(Client.last_name == "Neumann"))
        intake = person.intake
        assert intake.status == "complete" and intake.baseline_pain == 5
        answers = intake.current.answers
        assert answers["red_flag_screen_done"] is True
        assert answers["night_pain"] == "no" and answers["osteoporosis"] == "no"
        assert answers["fatigue"] == answers["alternating_buttock"] == "no"
        assert "position_helps" not in answers  # no default where "no" is a warning sign
        assert intake.start_back_total == 0 and intake.start_back_risk == "low"
        assert person.alerts == []
    report_figure("intake clicks", f"{do.clicks} clicks for a new client's intake without "
                  f"warning signs, start page to saved record (at most {MAX_CLICKS}), "
                  f"{seconds:.1f} s in Chromium")
    print(f"\nintake: {do.clicks} clicks, {seconds:.1f} s")
    assert do.clicks <= MAX_CLICKS


def open_new_client(browser, app, base, **context):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                               **context).new_page()
    sign_in(page, base, SETUP_FORM["admin_email"], PASSWORD, SECOND_FACTORS.setdefault(app, {}))
    page.goto(f"{base}/clients/new")
    return page


def clients_stored(app) -> int:
    from practice.clients.models import Client
    from practice.extensions import db

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Client))


FOCUSED = """() => {
  const el = document.activeElement;
  const box = (el.closest("fieldset, .field, .flag-item, .none-apply") || el)
    .getBoundingClientRect();
  return {id: el.tagName === "BUTTON" ? el.textContent.trim() : el.id, tag: el.tagName,
          top: Math.round(box.top + window.scrollY), left: Math.round(box.left),
          bar: !!el.closest(".actionbar")};
}"""


def test_keyboard_first_tab_in_visual_order_and_enter_moves_on(app, client, browser):
    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    with live_server(app) as base:
        page = open_new_client(browser, app, base)
        first = page.get_by_label("First name")
        assert page.evaluate("document.activeElement.id") == "first_name"
        first.press_sequentially("Mira")
        first.press("Enter")  # moves on, sends nothing
        assert page.evaluate("document.activeElement.id") == "last_name"
        page.keyboard.type("Neumann")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # past the date of birth, onto the first choice of "Sex"
        assert page.evaluate("document.activeElement.name") == "sex"
        page.get_by_label("Pain now (0 = none, 10 = worst imaginable)").fill("5")
        page.get_by_label("Pain now (0 = none, 10 = worst imaginable)").press("Enter")
        assert page.url.endswith("/clients/new") and clients_stored(app) == 0

        # Tab visits every control once, top to bottom and left to right within a row.
        first.focus()
        seen, previous = [], page.evaluate(FOCUSED)
        for _press in range(400):
            page.keyboard.press("Tab")
            now = page.evaluate(FOCUSED)
            if now["bar"]:
                seen.append(now["id"])
                if now["id"] == "Complete intake":
                    break
                continue
            assert now["top"] > previous["top"] - 2 or (
                abs(now["top"] - previous["top"]) <= 2 and now["left"] >= previous["left"]), (
                previous, now)
            if not seen or seen[-1] != now["id"]:  # a date field has a stop per part
                seen.append(now["id"])
            previous = now
        assert seen[-2:] == ["Save draft", "Complete intake"] and len(set(seen)) == len(seen)
        assert len(seen) > 80 and seen[0] == "last_name"
        assert "position_helps-0" not in seen  # hidden until pain at night is "yes"

        # Fields that matter after a yes appear after it.
        position = page.get_by_role("group", name="Changing position at night helps")
        page.get_by_role("group", name="Pain at night").get_by_text("Yes", exact=True).click()
        assert position.is_visible()
        page.get_by_role("group", name="Pain at night").get_by_text("No", exact=True).click()
        assert position.is_hidden()

        # "None of these apply" by keyboard; it never unticks a warning sign.
        fever = page.get_by_label("Fever or chills")
        fever.check()
        button = page.locator("#red_flags").get_by_role("button", name="None of these apply")
        button.focus()
        page.keyboard.press("Enter")
        assert "A warning sign is ticked." in page.locator("#red_flags [role=status]").inner_text()
        assert fever.is_checked()
        confirm = page.get_by_label("I have asked the client every warning-sign question above.")
        assert not confirm.is_checked()
        fever.uncheck()
        button.click()
        assert confirm.is_checked()
        status = page.locator("#red_flags [role=status]").inner_text()
        assert "Confirmed: every question asked" in status
        assert page.url.endswith("/clients/new") and clients_stored(app) == 0
        page.close()


def test_without_javascript_the_same_through_the_server(app, client, browser):
    submit(client, "/setup", SETUP_FORM, headers={"Accept-Language": "en"})
    with live_server(app) as base:
        page = open_new_client(browser, app, base, java_script_enabled=False)
        page.get_by_label("First name").fill("Mira")
        page.get_by_label("Last name").fill("Neumann")  # enough for a draft to be saved
        page.get_by_label("Last name").press("Enter")  # the default button is disabled
        page.wait_for_timeout(500)
        assert clients_stored(app) == 0 and "Please check" not in page.content()
        position = page.get_by_role("group", name="Changing position at night helps")
        assert position.is_visible()  # always shown without the script
        page.get_by_role("group", name="Worse in the evening").get_by_text("Yes").click()
        page.locator("#timing").get_by_role("button", name="None of these apply").click()
        page.wait_for_load_state()
        assert page.url.endswith("/clients/new#timing")
        assert page.get_by_label("First name").input_value() == "Mira"
        evening = page.get_by_role("group", name="Worse in the evening")
        assert evening.get_by_label("Yes").is_checked()
        assert page.get_by_role("group", name="Pain at night").get_by_label("No").is_checked()
        assert not position.get_by_label("No").is_checked()
        assert "now No" in page.locator("#timing [role=status]").inner_text()
        assert clients_stored(app) == 0
        page.close()
