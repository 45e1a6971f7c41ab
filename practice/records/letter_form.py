"""The form before the doctor's letter: to whom, a line of one's own, the language, and the
client's agreement to the disclosure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from practice.forms import Form, MaxLength, strip
from practice.i18n import LANGUAGE_NAMES
from practice.records.letter import NOTE_LIMIT, RECIPIENT_LIMIT


class LetterForm(Form):
    """What the practitioner adds to the progress letter."""

    recipient = TextAreaField(_l("To"), filters=[strip], validators=[MaxLength(RECIPIENT_LIMIT)],
                              description=_l("The doctor's name and address, as on an envelope."))
    note = TextAreaField(_l("Your message"), filters=[strip], validators=[MaxLength(NOTE_LIMIT)],
                         description=_l("Optional: a question or what you would like the doctor "
                                        "to know."))
    language = SelectField(_l("Language of the letter"),
                           choices=[SelectChoice(code, name)
                                    for code, name in LANGUAGE_NAMES.items()])
    agreed = BooleanField(_l("The client has agreed that this report goes to the doctor named "
                             "above"),
                          validators=[InputRequired(_l("A report about the client can only be "
                                                       "sent with the client's agreement."))])
