"""One way to read what a request brings: ids, redirect targets and dates.

Every id, ``next`` parameter or date taken from a URL, a query string or a form goes through
here, so that a hostile or careless value becomes "not found", the start page or a message at
the field, and never reaches the database or a response header as it came.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter

# Ids are PostgreSQL "integer" columns (SERIAL): signed 32-bit. A larger number can name no row;
# sent to PostgreSQL it would fail as out of range, so it is refused (404) before any query.
MAX_ID = 2**31 - 1

# The plausible range of each kind of date the app records (the upper end is "today").
EARLIEST_BIRTH = date(1900, 1, 1)
EARLIEST_VISIT = date(1990, 1, 1)
# Paper diaries typed in by the practitioner reach back at most a year.
PAPER_DIARY_DAYS = 366


class IdConverter(IntegerConverter):
    """``<id:name>`` in a route: a whole number from 1 to 2^63-1, anything else is 404."""

    def __init__(self, map, **kwargs):  # noqa: A002 (Werkzeug's signature)
        super().__init__(map, min=1, max=MAX_ID)


def parse_id(value) -> int | None:
    """An id from a form or query string, or None when it is missing, not a whole number or
    outside 1..2^63-1."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            return None
        number = int(text)
    return number if 1 <= number <= MAX_ID else None


def id_arg(value: str) -> int:
    """``type=`` for ``request.args.get``: a valid id or ValueError (so the default is used)."""
    number = parse_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site without control characters, else ``default``
    (no open redirects, nothing that could split a response header)."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return default
    if any(ord(char) < 32 or ord(char) == 127 for char in target) or "\\" in target:
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def parse_day(value: str | None, *, earliest: date, latest: date) -> date | None:
    """A day in ISO form (2026-12-01) within ``earliest``..``latest``, else None."""
    try:
        day = date.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return day if earliest <= day <= latest else None


def in_range(moment: date | datetime, earliest: date, latest: date) -> bool:
    """Whether a date (or the date of a time) lies within ``earliest``..``latest``."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return earliest <= day <= latest


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """Query and form values without NUL characters. No keyboard types one, PostgreSQL refuses
    them in text, and SQLite would store them: they are taken out once, here, for every page."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(_without_nul(key), _without_nul(value))
                       for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


class PracticeRequest(Request):
    """The app's request: its query and form values are :class:`CleanParameters`."""

    parameter_storage_class = CleanParameters
