"""The morning and evening diary forms: big choices, few words, usable without JavaScript."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (DateField, HiddenField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp, ValidationError

from practice.forms import Form, MaxLength, id_or_zero, paper_diary_day_check, strip
from practice.intake.forms import MultiCheckboxField, OptionalRadioField
from practice.safety.signs import DIARY_SIGNS

SCALE = [SelectChoice(str(n), str(n)) for n in range(11)]
YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
SLEEP = [SelectChoice("good", _l("good")), SelectChoice("fair", _l("fair")),
         SelectChoice("poor", _l("poor"))]
MOVEMENT = [SelectChoice("none", _l("none")), SelectChoice("little", _l("a little")),
            SelectChoice("some", _l("some")), SelectChoice("lots", _l("a lot"))]


def _number(label, maximum, unit_hint=None):
    return IntegerField(label, validators=[
        Optional(), NumberRange(0, maximum, _l("Please enter a number from %(min)d to %(max)d.",
                                               min=0, max=maximum))],
        render_kw={"min": 0, "max": maximum, "inputmode": "numeric"}, description=unit_hint)


class EntryForm(Form):
    """Fields both entries share."""

    pain = RadioField(_l("Pain right now"), choices=SCALE,
                      validators=[InputRequired(_l("Please choose how strong the pain is."))])
    # No answer is preselected: the client has to choose, every time.
    warning = RadioField(
        _l("Since your last entry, or still there: has any of these appeared?"),
        choices=[SelectChoice("yes", _l("Yes, at least one of these")),
                 SelectChoice("no", _l("No, none of these"))],
        validators=[InputRequired(_l("Please answer this question; it matters for your "
                                     "safety."))])
    warning_signs = MultiCheckboxField(
        _l("If yes: which?"), choices=[SelectChoice(s.key, s.lay) for s in DIARY_SIGNS])
    note = TextAreaField(_l("Anything else? (optional)"), filters=[strip],
                         validators=[Optional(), MaxLength(2000)], render_kw={"rows": 2})
    # Given by the phone's script (diary-offline.js) so that a resent entry is stored once.
    # (Hidden: no label, and none made up from its name through the catalogue on each post.)
    entry_key = HiddenField("", validators=[Optional(), Regexp(r"^[A-Za-z0-9-]{8,64}$")])

    def validate_warning_signs(self, field):
        """A yes says which; a no has none ticked."""
        if self.warning.data == "yes" and not field.data:
            raise ValidationError(_l("Please tick which, so that your practice knows."))
        if self.warning.data == "no" and field.data:
            raise ValidationError(_l("You ticked a sign but answered No: please answer Yes, "
                                     "or untick it."))

    def values(self) -> dict:
        """The answers as the service stores them."""
        warning = self.warning.data == "yes"
        return {"pain": int(self.pain.data), "warning": warning,
                "warning_signs": list(self.warning_signs.data or []) if warning else [],
                "note": self.note.data or ""}


class MorningForm(EntryForm):
    """Pain on waking, stiffness, sleep, night waking."""

    stiffness_minutes = _number(_l("Minutes of stiffness until it eased"), 720)
    sleep = OptionalRadioField(_l("How did you sleep?"), choices=SLEEP)
    woke_at_night = OptionalRadioField(_l("Woke at night because of the pain?"), choices=YES_NO)
    woke_at = StringField(_l("When? (e.g. 3 am)"), filters=[strip],
                          validators=[Optional(), MaxLength(20)])

    def values(self) -> dict:
        data = super().values()
        data.update({"stiffness_minutes": self.stiffness_minutes.data, "sleep": self.sleep.data,
                     "woke_at_night": None if self.woke_at_night.data is None
                     else self.woke_at_night.data == "yes", "woke_at": self.woke_at.data or ""})
        return data


class EveningForm(EntryForm):
    """Pain in the evening, stress, sitting, movement, the plan done today, warmth."""

    stress = OptionalRadioField(_l("Stress today (0 = none, 10 = extreme)"), choices=SCALE)
    sitting_hours = _number(_l("Hours spent sitting today"), 24)
    movement = OptionalRadioField(_l("Movement today"), choices=MOVEMENT)
    plan_done = MultiCheckboxField(
        _l("What did you do from your plan today?"), coerce=id_or_zero,
        invalid_choice_message=_l("Your plan changed since this page was opened; please tick "
                                  "again what you did."))
    warmth = OptionalRadioField(_l("Warmth on the lower back today?"), choices=YES_NO)

    def values(self) -> dict:
        data = super().values()
        data.update({"stress": None if self.stress.data is None else int(self.stress.data),
                     "sitting_hours": self.sitting_hours.data, "movement": self.movement.data,
                     "plan_done": list(self.plan_done.data or []),
                     "warmth": None if self.warmth.data is None else self.warmth.data == "yes"})
        return data


def form_for(slot: str, **kwargs):
    """The form class of a slot."""
    return (MorningForm if slot == "morning" else EveningForm)(**kwargs)


class PaperEntryForm(Form):
    """The practitioner types in a day of a paper diary."""

    day = DateField(_l("Day"), validators=[InputRequired(_l("Please give the day.")),
                                           paper_diary_day_check()])
    slot = SelectField(_l("Entry"), choices=[SelectChoice("morning", _l("morning")),
                                             SelectChoice("evening", _l("evening"))])
