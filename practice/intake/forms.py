"""The intake form, generated from the questionnaire definitions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, IntegerField, RadioField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from practice.clients.forms import ClientForm
from practice.forms import Form, MaxLength, strip
from practice.intake.questions import NONE_APPLY, QUESTIONS, RED_FLAGS, Question


class OptionalRadioField(RadioField):
    """Radio buttons that may be left unanswered (a draft is allowed to be incomplete)."""

    def pre_validate(self, form):
        if self.data in (None, "", "None"):
            self.data = None
            return
        super().pre_validate(form)


class MultiCheckboxField(SelectMultipleField):
    """Several ticks from a list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _field_for(question: Question):
    choices = [SelectChoice(key, label) for key, label in question.choices]
    if question.kind == "text":
        return StringField(question.label, filters=[strip], validators=[Optional(), MaxLength(500)])
    if question.kind == "textarea":
        return TextAreaField(question.label, filters=[strip],
                             validators=[Optional(), MaxLength(5000)], render_kw={"rows": 2})
    if question.kind == "integer":
        message = _l("Please enter a whole number from %(min)d to %(max)d.",
                     min=question.minimum, max=question.maximum)
        return IntegerField(question.label, validators=[
            Optional(), NumberRange(question.minimum, question.maximum, message=message)],
            render_kw={"min": question.minimum, "max": question.maximum, "inputmode": "numeric"})
    if question.kind in ("choice", "yesno"):
        return OptionalRadioField(question.label, choices=choices, validators=[Optional()])
    if question.kind == "multi":
        return MultiCheckboxField(question.label, choices=choices)
    if question.kind == "flag":
        return BooleanField(question.label)
    raise ValueError(question.kind)


class IntakeAnswers(Form):
    """All intake questions, plus the red-flag confirmation and the consent tick."""

    red_flag_screen_done = BooleanField(
        _l("I have asked the client every warning-sign question above."))
    consent = BooleanField(_l("The client has read this text and consents."))

    def answers(self) -> dict:
        """The answers as stored in an intake version."""
        values = {key: getattr(self, key).data for key in QUESTIONS}
        values["red_flag_screen_done"] = self.red_flag_screen_done.data
        return values

    def none_apply(self, group: str) -> str | None:
        """"None of these apply" for the section ``group``, on the answers as sent (nothing is
        stored). Yes/no questions not yet answered become "no"; an answer given stays, so a
        slip of the mouse cannot undo a "yes". For the warning signs it ticks the confirmation
        that every question was asked, and refuses while a sign is ticked: only the
        practitioner unticks a sign. Returns "answered", "confirmed", "refused" or None for a
        group that is not one."""
        if group == RED_FLAGS.key:
            if any(getattr(self, q.key).data for q in RED_FLAGS.questions):
                return "refused"
            self.red_flag_screen_done.data = True
            return "confirmed"
        if group not in NONE_APPLY:
            return None
        for key in NONE_APPLY[group]:
            field = getattr(self, key)
            if field.data not in ("yes", "no"):
                field.data = "no"
        return "answered"


for _key, _question in QUESTIONS.items():
    setattr(IntakeAnswers, _key, _field_for(_question))


class NewClientIntakeForm(ClientForm, IntakeAnswers):
    """The first visit: the client's details and the intake on one page."""
