"""Diary reminders as a calendar file: parsed back with the icalendar library (RFC 5545)."""

from __future__ import annotations

from datetime import time, timedelta

from icalendar import Calendar

from diary_helpers import create_link
from intake_helpers import client_id, new_client


def phone_of(app, admin_client, **client):
    cid = client_id(new_client(admin_client, **client))
    path = create_link(admin_client, cid)
    phone = app.test_client()
    assert phone.get(path).status_code == 302
    return phone, path.rsplit("/", 1)[-1]


def test_the_calendar_file_has_two_daily_reminders_in_the_clients_language(app, admin_client):
    phone, token = phone_of(app, admin_client, language="de")
    page = phone.get("/diary/").get_data(as_text=True)
    assert 'href="/diary/remind"' in page
    form = phone.get("/diary/remind").get_data(as_text=True)
    assert 'value="07:30"' in form and 'value="20:30"' in form  # the defaults
    response = phone.get("/diary/remind?morning=06:45&evening=21:15&download=1")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert token.encode() not in body  # the personal token never leaves in a file
    calendar = Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    starts = {str(e["summary"]): e.decoded("dtstart") for e in events}
    assert set(starts) == {"Tagebuch: Morgeneintrag", "Tagebuch: Abendeintrag"}
    assert starts["Tagebuch: Morgeneintrag"].time() == time(6, 45)
    assert starts["Tagebuch: Abendeintrag"].time() == time(21, 15)
    for event in events:
        assert event.decoded("dtstart").tzinfo is None  # floating: the phone's local time
        assert event["rrule"]["FREQ"] == ["DAILY"]
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == 1 and str(alarms[0]["action"]) == "DISPLAY"
        assert alarms[0].decoded("trigger") == timedelta(0)
        assert str(event["url"]).endswith("/diary/")
        # No health details in what a lock screen shows.
        for word in ("Schmerz", "pain", "Rücken"):
            assert word not in str(event["summary"]) and word not in str(event["description"])


def test_english_and_a_mistyped_time_keeps_what_was_typed(app, admin_client):
    phone, _token = phone_of(app, admin_client, language="en")
    wrong = phone.get("/diary/remind?morning=7.30h&evening=20:30&download=1")
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 400 and "Please give a time such as 07:30." in page
    assert 'value="7.30h"' in page and 'value="20:30"' in page
    body = phone.get("/diary/remind?morning=7:05&evening=20:30&download=1").get_data()
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT"))
    assert summaries == ["Diary: evening entry", "Diary: morning entry"]


def test_without_the_diary_cookie_there_is_no_calendar(app, admin_client):
    response = app.test_client().get("/diary/remind?download=1")
    assert response.status_code == 403 and b"BEGIN:VCALENDAR" not in response.get_data()


def test_the_diary_home_compares_this_week_with_last_week_in_plain_numbers(app, admin_client):
    import re
    from datetime import date

    from diary_helpers import enter, today_of

    phone, _token = phone_of(app, admin_client, language="en")
    today = date.fromisoformat(today_of(phone))
    assert "This week and last week" not in phone.get("/diary/").get_data(as_text=True)
    for offset, morning, evening in ((0, 3, 2), (1, 5, 2), (7, 6, 4)):  # two days, then one
        day = (today - timedelta(days=offset)).isoformat()
        enter(phone, day, "morning", pain=morning)
        enter(phone, day, "evening", pain=evening)
    page = phone.get("/diary/").get_data(as_text=True)
    table = page[page.index("This week and last week"):page.index("</table>")]
    rows = {m[0]: (m[1], m[2]) for m in re.findall(
        r'<th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td>', table)}
    assert rows["Pain in the morning, on average"] == ("4.0", "6.0")
    assert rows["Pain in the evening, on average"] == ("2.0", "4.0")
    assert rows["Days with an entry"] == ("2", "1")
    for shaming in ("streak", "score", "bad week", "failed"):
        assert shaming not in page.lower()
