"""Forms for the practice settings and the first-run set-up."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from practice.forms import (Form, MaxLength, email_field, name_field, new_password_fields,
                            phone_field, strip)
from practice.i18n import LANGUAGE_NAMES
from practice.public_address import check as check_public_url
from practice.settings.service import is_valid_timezone, timezone_choices


def _timezone_check(form, field):
    if not is_valid_timezone(field.data or ""):
        raise ValidationError(_l("Please choose a time zone from the list."))


class PracticeFields(Form):
    """Name and contact of the practice, as printed on handouts."""

    name = name_field(_l("Name of the practice"))
    address = TextAreaField(_l("Address"), filters=[strip], validators=[MaxLength(500)],
                            render_kw={"rows": 3})
    phone = phone_field(_l("Phone"))
    email = email_field(_l("E-mail"), required=False)


def _public_url_check(form, field):
    if field.data and check_public_url(field.data):
        raise ValidationError(_l("Please give the full address, e.g. https://praxis.example.de"))


class PracticeSettingsForm(PracticeFields):
    """Everything an admin can change about the practice."""

    public_url = StringField(
        _l("Public address (for clients' phones)"), filters=[strip],
        validators=[Optional(), MaxLength(300), _public_url_check],
        description=_l("The address under which clients reach this app from their phones, "
                       "e.g. https://praxis.example.de. Diary links and QR codes use it."),
        render_kw={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"})

    timezone = SelectField(_l("Time zone"), validators=[_timezone_check], validate_choice=False)
    # Not called "logo": filled from the settings row, the stored bytes would pose as an upload.
    logo_file = FileField(_l("Logo for handouts (PNG, JPEG or SVG, at most 512 kB)"),
                     render_kw={"accept": "image/png,image/jpeg,image/svg+xml",
                                "data-max-bytes": 512 * 1024,
                                "data-too-large": _l("The logo may be at most 512 kB.")})
    remove_logo = BooleanField(_l("Remove the logo"))
    second_factor_for = SelectField(
        _l("Second factor at sign-in"), choices=[
            SelectChoice("admins", _l("for administrators (always)")),
            SelectChoice("everyone", _l("for everyone in the practice"))])
    default_language = SelectField(_l("Default language"),
                                   choices=[SelectChoice(code, name)
                                            for code, name in LANGUAGE_NAMES.items()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(zone, zone.replace("_", " "))
                                 for zone in timezone_choices()]


class SetupForm(PracticeFields):
    """First run: the practice and the first (admin) account."""

    admin_name = name_field(_l("Your name"))
    admin_email = email_field(_l("Your e-mail"))
    password, confirm = new_password_fields()
