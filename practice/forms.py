"""Form pieces shared by several features."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import LazyString, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from practice.i18n import local_today, practice_zone
from practice.inputs import EARLIEST_BIRTH, EARLIEST_VISIT, PAPER_DIARY_DAYS, parse_id

PHONE_PATTERN = re.compile(r"^[0-9+()/.\- ]{3,60}$")


TOO_LONG = _l("Please use at most %(max)d characters (this has %(length)d).")


def too_long(limit: int, length: int) -> str:
    """The one message for text over its limit, for fields read without WTForms."""
    return str(TOO_LONG) % {"max": limit, "length": length}


class MaxLength(Length):
    """At most ``maximum`` characters, said in the user's language at the field."""

    def __init__(self, maximum: int):
        super().__init__(max=maximum, message=TOO_LONG)


def id_or_zero(value) -> int:
    """``coerce`` for fields whose choices are ids: an out-of-range or malformed value becomes
    0, which no row has, so the field says "not a valid choice" in its own words."""
    return parse_id(value) or 0


def strip(value):
    """Filter: trim surrounding blanks from text input."""
    return value.strip() if isinstance(value, str) else value


class PasswordLength:
    """At least the configured length, at most 256 characters."""

    def __call__(self, form, field):
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        value = field.data or ""
        if len(value) < minimum:
            raise ValidationError(
                _l("Use at least %(count)d characters.", count=minimum)
            )
        if len(value) > 256:
            raise ValidationError(_l("Use at most 256 characters."))


def phone_check(form, field):
    """Digits, spaces and + ( ) / - . only."""
    if field.data and not PHONE_PATTERN.match(field.data):
        raise ValidationError(_l("Please enter a phone number (digits, spaces, + and -)."))


def name_field(label, max_length: int = 200) -> StringField:
    """A required single-line name."""
    return StringField(label, filters=[strip],
                       validators=[DataRequired(_l("Please fill in this field.")),
                                   MaxLength(max_length)])


def email_field(label, required: bool = True) -> EmailField:
    """An e-mail address, checked for form but not for deliverability (no network here)."""
    first = DataRequired(_l("Please enter an e-mail address.")) if required else Optional()
    return EmailField(label, filters=[strip],
                      validators=[first, MaxLength(254),
                                  Email(_l("This does not look like an e-mail address."))])


def phone_field(label) -> StringField:
    """An optional phone number."""
    return StringField(label, filters=[strip], validators=[Optional(), MaxLength(60), phone_check])


def new_password_fields():
    """The pair 'new password' and 'repeat password'."""
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please choose a password.")),
                                                          PasswordLength()])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(_l("Please repeat the password.")),
                                        EqualTo("password", _l("The two passwords differ."))])
    return password, confirm


class PlausibleDate:
    """A date (or a date and time) within the plausible range of its kind, checked at the field.

    ``earliest`` and ``latest`` are dates or functions giving one (today moves); for
    date-and-time fields ``latest`` may give a local time, so that one rule serves every form
    of a kind and the message stands at the field.
    """

    def __init__(self, earliest, latest, *, too_early, too_late):
        self.earliest, self.latest = earliest, latest
        self.too_early, self.too_late = too_early, too_late

    def __call__(self, form, field):
        value = field.data
        if value is None:
            return
        day = value.date() if isinstance(value, datetime) else value
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        if day < earliest:
            raise ValidationError(self.too_early)
        if isinstance(latest, datetime) and isinstance(value, datetime):
            late = value > latest
        else:
            late = day > (latest.date() if isinstance(latest, datetime) else latest)
        if late:
            raise ValidationError(self.too_late)


def birth_date_check() -> PlausibleDate:
    """Dates of birth: from 1900, not in the future."""
    return PlausibleDate(EARLIEST_BIRTH, local_today,
                         too_early=_l("Please check the year: dates of birth from 1900 on."),
                         too_late=_l("A date of birth cannot be in the future."))


def visit_time_check() -> PlausibleDate:
    """Visit times, entered in the practice's time: from 1990, at most an hour ahead."""
    def latest() -> datetime:
        return datetime.now(practice_zone()).replace(tzinfo=None) + timedelta(hours=1)

    return PlausibleDate(EARLIEST_VISIT, latest,
                         too_early=_l("Please check the year: visits can be recorded from 1990 on."),
                         too_late=_l("A visit cannot lie in the future."))


def paper_diary_day_check() -> PlausibleDate:
    """Days of a paper diary: within the last year, not in the future."""
    return PlausibleDate(lambda: local_today() - timedelta(days=PAPER_DIARY_DAYS), local_today,
                         too_early=_l("A paper diary can be typed in for the last 12 months."),
                         too_late=_l("A diary day cannot be in the future."))


def error_summary(form, extra=()) -> list[tuple[str | None, str, str]]:
    """Every error of a submitted form, in the form's order, for the summary at its top:
    (the field's id to link to, or None for a hidden field; its label; the message). ``extra``
    adds errors of inputs outside the WTForms form, as the same triples."""
    lines: list[tuple[str | None, str, str]] = []

    def walk(fields) -> None:
        for field in fields:
            if not field.errors:
                continue
            if hasattr(field, "form"):  # a FormField: its own fields
                walk(field.form)
            elif hasattr(field, "entries"):  # a FieldList
                walk(field.entries)
            else:
                hidden = field.type in ("HiddenField", "CSRFTokenField")
                label = "" if hidden else str(field.label.text)
                for message in field.errors:
                    lines.append((None if hidden else field.id, label, str(message)))

    if form is not None:
        walk(form)
    lines.extend(extra)
    return lines


class _LazyCSRF(FlaskForm.Meta.csrf_class):
    """Flask-WTF's CSRF for forms, with the token for the page made when the page is drawn:
    a post that is checked and redirected never shows it (signing it was a tenth of a diary
    post)."""

    def generate_csrf_token(self, csrf_token_field):
        meta = self.meta
        return LazyString(generate_csrf, secret_key=meta.csrf_secret,
                          token_key=meta.csrf_field_name)


class Form(FlaskForm):
    """The app's form base: Flask-WTF's, with the page's CSRF token made only when drawn."""

    class Meta:
        csrf_class = _LazyCSRF
