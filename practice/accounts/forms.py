"""Forms for signing in and managing accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from practice.accounts.models import ROLE_ADMIN, ROLE_PRACTITIONER
from practice.forms import Form, MaxLength, email_field, name_field, new_password_fields, strip


class LoginForm(Form):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), filters=[strip],
                       validators=[DataRequired(_l("Please enter your e-mail address.")),
                                   MaxLength(254)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Please enter your password.")),
                                         MaxLength(256)])
    next = HiddenField()


class PractitionerForm(Form):
    """An admin adds a colleague."""

    name = name_field(_l("Name"))
    email = email_field(_l("E-mail"))
    role = SelectField(_l("Role"), choices=[SelectChoice(ROLE_PRACTITIONER, _l("Practitioner")),
                                            SelectChoice(ROLE_ADMIN, _l("Administrator"))],
                       default=ROLE_PRACTITIONER)
    password, confirm = new_password_fields()


class ColleagueForm(Form):
    """An admin changes a colleague's details and role."""

    name = name_field(_l("Name"))
    email = email_field(_l("E-mail"))
    role = SelectField(_l("Role"), choices=[SelectChoice(ROLE_PRACTITIONER, _l("Practitioner")),
                                            SelectChoice(ROLE_ADMIN, _l("Administrator"))])


class PasswordChangeForm(Form):
    """A practitioner changes their own password."""

    current = PasswordField(_l("Current password"),
                            validators=[DataRequired(_l("Please enter your current password.")),
                                        MaxLength(256)])
    password, confirm = new_password_fields()
