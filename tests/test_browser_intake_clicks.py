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
MAX_CLICKS = 37  # measured before the intake had "None of these apply"; issue 19 wants 30


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


def test_a_new_clients_intake_without_warning_signs_in_few_clicks(app, client, browser):
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
        for question in ("Worse in the evening", "Pain at night",
                         "Changing position at night helps", "Night pain eases on getting up",
                         "Wakes in the second half of the night because of the pain",
                         "Pain in the buttocks, alternating between sides"):
            do.pill(question, "No")
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
        for question in ("Sensitive to cold, cold lower back", "Weak knees", "Fatigue"):
            do.pill(question, "No")
        page.get_by_label("Digestion").fill("regular")
        page.get_by_label("Tongue").fill("pale, thin white coat")
        page.get_by_label("Pulse").fill("deep")
        # Medical history.
        page.get_by_label("Medication").fill("ibuprofen when needed")
        for question in ("Takes steroids (cortisone) long-term", "Osteoporosis"):
            do.pill(question, "No")
        # Warning signs: every question asked, none applies.
        do.click(page.get_by_label("I have asked the client every warning-sign question above."))
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
        assert "Intake completed." in page.content()
        page.close()

    with app.app_context():
        person = db.session.scalar(sa.select(Client).where(Client.last_name == "Neumann"))
        intake = person.intake
        assert intake.status == "complete" and intake.baseline_pain == 5
        answers = intake.current.answers
        assert answers["red_flag_screen_done"] is True
        assert answers["night_pain"] == "no" and answers["osteoporosis"] == "no"
        assert intake.start_back_total == 0 and intake.start_back_risk == "low"
        assert person.alerts == []
    report_figure("intake clicks", f"{do.clicks} clicks for a new client's intake without "
                  f"warning signs, start page to saved record (at most {MAX_CLICKS}), "
                  f"{seconds:.1f} s in Chromium")
    print(f"\nintake: {do.clicks} clicks, {seconds:.1f} s")
    assert do.clicks <= MAX_CLICKS
