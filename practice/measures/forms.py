"""The entry forms of the instruments: at the desk (with time and place) and on the phone.

ODI sections are labelled by number only: the practice reads them off its licensed form, and
no ODI text is ever shown. The RMDQ is its total. The PSFS names the activities in the client's
words; STarT Back reuses the intake's questions.
"""

from __future__ import annotations

import re
from datetime import UTC

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from practice.forms import Form, MaxLength, strip, visit_time_check
from practice.intake.forms import OptionalRadioField, _field_for
from practice.intake.questions import START_BACK as START_BACK_ITEMS
from practice.measures import scoring
from practice.measures.instruments import (ODI, ODI_MIN_ANSWERED, ODI_SECTIONS, PLACE_LABELS,
                                           PSFS, PSFS_ACTIVITY_LENGTH, PSFS_MAX_ACTIVITIES,
                                           PSFS_MIN_ACTIVITIES, RMDQ, START_BACK)

RATINGS = [SelectChoice(str(n), str(n)) for n in range(11)]

# Problem codes of practice.measures.scoring, in words at the field.
MESSAGES = {
    "range": _l("Please enter a whole number in the range shown."),
    "required": _l("Please answer this question."),
    "too_long": _l("Please use at most %(max)d characters.", max=PSFS_ACTIVITY_LENGTH),
    "too_few": _l("Please enter at least %(min)d of the %(all)d sections: with fewer the score "
                  "cannot be compared over time.", min=ODI_MIN_ANSWERED, all=ODI_SECTIONS),
    "count": _l("Please name at least %(min)d and at most %(max)d activities.",
                min=PSFS_MIN_ACTIVITIES, max=PSFS_MAX_ACTIVITIES),
}


class DeskFields(Form):
    """When and from where the practitioner types it in."""

    taken_at = DateTimeLocalField(_l("Filled in on"), format="%Y-%m-%dT%H:%M",
                                  validators=[InputRequired(_l("Please give date and time.")),
                                              visit_time_check()])
    place = SelectField(_l("Where it was filled in"), choices=[])

    def local_to_utc(self, zone):
        """The time, entered in the practice's time zone, as aware UTC."""
        return self.taken_at.data.replace(tzinfo=zone).astimezone(UTC)


class OdiFields:
    """The ten ODI section scores, 0-5 each, any of them may be left empty."""

    def odi_sections(self) -> dict[int, int | None]:
        return {n: getattr(self, f"odi{n}").data for n in range(1, ODI_SECTIONS + 1)}

    def scored(self):
        return scoring.odi(self.odi_sections())


class RmdqFields:
    rmdq_total = IntegerField(_l("Statements ticked (0-24)"), validators=[
        InputRequired(_l("Please enter the number of statements ticked, from 0 to 24.")),
        NumberRange(0, 24, _l("Please enter a whole number from %(min)d to %(max)d.",
                              min=0, max=24))],
        render_kw={"min": 0, "max": 24, "inputmode": "numeric"})

    def scored(self):
        return scoring.rmdq(self.rmdq_total.data)


class PsfsFields:
    """Up to five activities with their ratings; empty rows are left out."""

    def rows(self) -> list[tuple[int, str, int | None]]:
        found = []
        for n in range(1, PSFS_MAX_ACTIVITIES + 1):
            name = getattr(self, f"activity{n}").data or ""
            rating = _rating(getattr(self, f"rating{n}").data)
            if name or rating is not None:
                found.append((n, name, rating))
        return found

    def scored(self):
        rows = self.rows()
        try:
            return scoring.psfs([(name, rating) for _n, name, rating in rows])
        except scoring.ScoreError as error:
            # The scoring counts the rows given; the fields are numbered as on the page.
            renamed = {}
            for key, code in error.errors.items():
                match = re.fullmatch(r"(activity|rating)(\d+)", key)
                renamed[f"{match[1]}{rows[int(match[2]) - 1][0]}" if match else key] = code
            raise scoring.ScoreError(renamed) from None


def _rating(value) -> int | None:
    """A rating as sent: None when empty or blank (WTForms' Optional lets blanks through,
    a no-break space too), -1 for anything but digits (refused as out of range)."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 4 else -1


class StartBackFields:
    def scored(self):
        return scoring.start_back({q.key: getattr(self, q.key).data
                                   for q in START_BACK_ITEMS.questions})


def _odi_field(number: int):
    return IntegerField(_l("Section %(n)d", n=number), validators=[
        Optional(), NumberRange(0, 5, _l("Please enter a whole number from %(min)d to %(max)d.",
                                         min=0, max=5))],
        render_kw={"min": 0, "max": 5, "inputmode": "numeric", "class": "odi-section"})


for _n in range(1, ODI_SECTIONS + 1):
    setattr(OdiFields, f"odi{_n}", _odi_field(_n))
for _n in range(1, PSFS_MAX_ACTIVITIES + 1):
    setattr(PsfsFields, f"activity{_n}", StringField(
        _l("Activity %(n)d", n=_n), filters=[strip],
        validators=[Optional(), MaxLength(PSFS_ACTIVITY_LENGTH)]))
    setattr(PsfsFields, f"rating{_n}", OptionalRadioField(
        _l("How well can you do it today?"), choices=RATINGS, validators=[Optional()]))
for _question in START_BACK_ITEMS.questions:
    setattr(StartBackFields, _question.key, _field_for(_question))

FIELDS = {ODI: OdiFields, RMDQ: RmdqFields, PSFS: PsfsFields, START_BACK: StartBackFields}
_DESK: dict = {}
_HOME: dict = {}


def desk_form(instrument: str, places: tuple[str, ...], **kwargs) -> Form:
    """The practitioner's form for ``instrument``, the places it may come from as choices."""
    if instrument not in _DESK:
        _DESK[instrument] = type(f"{instrument.title()}DeskForm",
                                 (FIELDS[instrument], DeskFields), {})
    form = _DESK[instrument](**kwargs)
    form.place.choices = [SelectChoice(p, PLACE_LABELS[p]) for p in places]
    return form


def home_form(instrument: str, **kwargs) -> Form:
    """The client's form on the phone (no time, no place: now, at home)."""
    if instrument not in _HOME:
        _HOME[instrument] = type(f"{instrument.title()}HomeForm",
                                 (FIELDS[instrument], Form), {})
    return _HOME[instrument](**kwargs)


def check(form) -> scoring.Scored | None:
    """Score a validated form; a rule the fields alone cannot check (too few ODI sections, a
    rating without its activity) becomes a message at the field. None when it failed."""
    try:
        return form.scored()
    except scoring.ScoreError as error:
        for name, code in error.errors.items():
            target = _target(form, name)
            message = MESSAGES.get(code, MESSAGES["required"])
            if name.startswith("rating") and code == "range":
                message = _l("Please rate this activity from 0 to 10.")
            if name.startswith("activity") and code == "required":
                message = _l("Please name the activity you rated.")
            target.errors = list(target.errors) + [message]
        return None


def _target(form, name: str):
    """The field a scoring problem belongs to (a form-wide one goes to the first field)."""
    if name in form._fields:
        return form._fields[name]
    if name == "odi":
        return form.odi1
    if name == "psfs":
        return form.activity1
    return next(iter(f for f in form if f.type not in ("CSRFTokenField", "HiddenField")))


# Typed in with a visit: the paper-only instruments, filled in on paper at the visit.
VISIT_ENTRY = (ODI, RMDQ)


def visit_forms(formdata=None) -> dict:
    """The paper instruments' fields inside the visit form (prefixed, under the visit form's
    own CSRF token). ``formdata``: the posted form, or None on a GET."""
    found = {}
    for key in VISIT_ENTRY:
        cls = _DESK.get(f"visit-{key}")
        if cls is None:
            cls = _DESK[f"visit-{key}"] = type(f"{key.title()}VisitForm",
                                               (FIELDS[key], Form), {})
        found[key] = cls(formdata=formdata, prefix=f"m-{key}", meta={"csrf": False})
    return found


def _filled(form) -> bool:
    return any(field.raw_data and any(str(v).strip() for v in field.raw_data) for field in form)


def read_visit_forms(found: dict) -> tuple[list, list]:
    """Check the instruments typed in on the visit form: those with anything typed must
    score. Returns ([(instrument, scored)], [(field id, label, message)] for the summary)."""
    scored, errors = [], []
    for key, form in found.items():
        if not _filled(form):
            continue
        result = check(form) if form.validate() else None
        if result is None:
            for field in form:
                for message in field.errors:
                    errors.append((field.id, f"{key.upper()} {field.label.text}", str(message)))
        else:
            scored.append((key, result))
    return scored, errors
