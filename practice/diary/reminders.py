"""Diary reminders through the client's own calendar: an iCalendar file (RFC 5545) with two
daily events and alarms, instead of an app store or a push service.

The events hold no health details (a lock screen shows their titles) and no personal token:
their link opens ``/diary/``, which works on the phone that keeps the diary cookie. Times are
floating (no time zone): 7:30 stays 7:30 wherever the phone is.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale, gettext as _
from icalendar import Alarm, Calendar, Event, vRecur

from practice.database import utcnow

DEFAULTS = {"morning": time(7, 30), "evening": time(20, 30)}
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(value: str | None) -> time | None:
    """A time of day typed as H:MM or HH:MM (the time input sends HH:MM), else None."""
    found = _CLOCK.match((value or "").strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


def calendar_file(times: dict[str, time], *, language: str, diary_url: str,
                  first_day: date) -> bytes:
    """The calendar with a daily morning and evening reminder from ``first_day`` on."""
    with force_locale(language):
        titles = {"morning": _("Diary: morning entry"), "evening": _("Diary: evening entry")}
        note = _("A minute for your diary: %(url)s", url=diary_url)
        calendar = Calendar()
        calendar.add("prodid", "-//practice//diary reminders//" + language.upper())
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Diary reminders"))
        stamp = utcnow().replace(microsecond=0)
        for slot in ("morning", "evening"):
            start = datetime.combine(first_day, times[slot])
            event = Event()
            event.add("uid", f"{uuid.uuid4()}@practice-diary")
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=5))
            event.add("summary", titles[slot])
            event.add("description", note)
            event.add("url", diary_url)
            event.add("rrule", vRecur(freq="daily"))
            event.add("transp", "TRANSPARENT")  # a reminder, not a busy hour
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", titles[slot])
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()
