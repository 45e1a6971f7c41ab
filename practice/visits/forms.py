"""The visit form: the record itself. The plan part of the page is read by visits/plan_form.py."""

from __future__ import annotations

from datetime import UTC

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from practice.forms import Form, MaxLength, id_or_zero, strip, visit_time_check
from practice.intake.forms import MultiCheckboxField, _field_for
from practice.intake.questions import START_BACK

METHODS = (("acupuncture", _l("acupuncture")), ("acupressure", _l("acupressure")),
           ("massage", _l("massage")), ("cupping", _l("cupping")), ("moxa", _l("moxa")),
           ("other", _l("other")))


def record_labels() -> dict[str, str]:
    """The visit record's fields as people read them, in the current language: the visit
    page's corrections and the record copy name them the same way."""
    labels = {"pain_now": str(_l("Pain now")), "findings": str(_l("Findings")),
              "treatment": str(_l("Treatment given")), "points": str(_l("Points")),
              "methods": str(_l("Methods")), "notes": str(_l("Notes"))}
    labels.update({q.key: f"STarT Back {index}" for index, q in
                   enumerate(START_BACK.questions, start=1)})
    return labels


class VisitForm(Form):
    """Date, practitioner, pain, findings, treatment, notes, and optionally STarT Back again."""

    visited_at = DateTimeLocalField(_l("Date and time"), format="%Y-%m-%dT%H:%M",
                                    validators=[InputRequired(_l("Please give date and time.")),
                                                visit_time_check()])
    practitioner_id = SelectField(_l("Practitioner"), coerce=id_or_zero)
    pain_now = IntegerField(_l("Pain now (0-10)"), validators=[
        Optional(), NumberRange(0, 10, _l("Please enter a whole number from %(min)d to %(max)d.",
                                          min=0, max=10))],
        render_kw={"min": 0, "max": 10, "inputmode": "numeric"})
    findings = TextAreaField(_l("Findings"), filters=[strip],
                             validators=[Optional(), MaxLength(5000)], render_kw={"rows": 3})
    treatment = TextAreaField(_l("Treatment given"), filters=[strip],
                              validators=[Optional(), MaxLength(5000)], render_kw={"rows": 3})
    points = StringField(_l("Points needled or pressed"), filters=[strip],
                         validators=[Optional(), MaxLength(300)])
    methods = MultiCheckboxField(_l("Methods"), choices=[SelectChoice(k, v) for k, v in METHODS])
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Optional(), MaxLength(5000)],
                          render_kw={"rows": 2})

    def local_to_utc(self, zone):
        """The visit time, entered in the practice's time zone, as aware UTC."""
        return self.visited_at.data.replace(tzinfo=zone).astimezone(UTC)

    def values(self) -> dict:
        """The record's values as stored in a visit version."""
        data = {key: getattr(self, key).data
                for key in ("pain_now", "findings", "treatment", "notes", "methods")}
        data["points"] = [p.strip() for p in (self.points.data or "").split(",") if p.strip()]
        for question in START_BACK.questions:
            data[question.key] = getattr(self, question.key).data
        return data


for _question in START_BACK.questions:
    setattr(VisitForm, _question.key, _field_for(_question))

