"""Form pieces shared by several features."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

PHONE_PATTERN = re.compile(r"^[0-9+()/.\- ]{3,60}$")


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
                                   Length(max=max_length)])


def email_field(label, required: bool = True) -> EmailField:
    """An e-mail address, checked for form but not for deliverability (no network here)."""
    first = DataRequired(_l("Please enter an e-mail address.")) if required else Optional()
    return EmailField(label, filters=[strip],
                      validators=[first, Length(max=254),
                                  Email(_l("This does not look like an e-mail address."))])


def phone_field(label) -> StringField:
    """An optional phone number."""
    return StringField(label, filters=[strip], validators=[Optional(), Length(max=60), phone_check])


def new_password_fields():
    """The pair 'new password' and 'repeat password'."""
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please choose a password.")),
                                                          PasswordLength()])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(_l("Please repeat the password.")),
                                        EqualTo("password", _l("The two passwords differ."))])
    return password, confirm
