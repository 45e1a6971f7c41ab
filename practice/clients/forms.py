"""The client's personal details."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from practice.forms import (Form, birth_date_check, email_field, id_or_zero, name_field,
                            phone_field)
from practice.i18n import LANGUAGE_NAMES

SEX_CHOICES = (("female", _l("female")), ("male", _l("male")), ("diverse", _l("diverse")),
               ("not_stated", _l("not stated")))


class ClientForm(Form):
    """Name, birth date, sex, contact, language and the practitioner in charge."""

    first_name = name_field(_l("First name"), max_length=100)
    last_name = name_field(_l("Last name"), max_length=100)
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional(), birth_date_check()])
    sex = RadioField(_l("Sex"), choices=[SelectChoice(k, v) for k, v in SEX_CHOICES],
                     default="not_stated")
    email = email_field(_l("E-mail"), required=False)
    phone = phone_field(_l("Phone"))
    language = RadioField(_l("Language for diary and handouts"),
                          choices=[SelectChoice(k, v) for k, v in LANGUAGE_NAMES.items()])
    practitioner_id = SelectField(_l("Practitioner in charge"), coerce=id_or_zero)

    def set_practitioners(self, practitioners, default_id: int) -> None:
        """Offer the enabled accounts, the current one preselected."""
        self.practitioner_id.choices = [SelectChoice(p.id, p.name) for p in practitioners]
        if self.practitioner_id.data is None:
            self.practitioner_id.data = default_id

    def client_values(self) -> dict:
        """The validated values, ready for the service."""
        return {"first_name": self.first_name.data, "last_name": self.last_name.data,
                "date_of_birth": self.date_of_birth.data, "sex": self.sex.data,
                "email": self.email.data or "", "phone": self.phone.data or "",
                "language": self.language.data, "practitioner_id": self.practitioner_id.data}
