"""A paper diary sheet typed in at once: the handout's two-week table (each day's morning and
evening pain, morning stiffness, the plan's steps done, a warning sign noted, a note) as one
grid form, saved in one transaction with the source recorded ("paper", who typed it)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import NumberRange, Optional, ValidationError

from practice.diary import service
from practice.forms import Form, MaxLength, id_or_zero, strip
from practice.intake.forms import MultiCheckboxField

SHEET_DAYS = 14


def _score(label):
    return IntegerField(label, validators=[Optional(), NumberRange(
        0, 10, _l("Please enter a number from %(min)d to %(max)d.", min=0, max=10))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})


class SheetRow(Form):
    """One day of the sheet, its fields named ``d<number>-...`` (no token of its own: the
    sheet's form carries it). A form per day rather than a FieldList, which renumbers rows
    when a post leaves some out and so would move entries to other days."""

    morning = _score(_l("Morning pain"))
    stiffness = IntegerField(_l("Stiffness (min)"), validators=[Optional(), NumberRange(
        0, 720, _l("Please enter a number from %(min)d to %(max)d.", min=0, max=720))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    evening = _score(_l("Evening pain"))
    plan_done = MultiCheckboxField(_l("Plan done"), coerce=id_or_zero)
    warning = BooleanField(_l("Warning sign noted"))
    note = StringField(_l("Notes"), filters=[strip], validators=[Optional(), MaxLength(500)],
                       render_kw={"autocomplete": "off"})

    def validate_stiffness(self, field):
        """Stiffness is part of the morning entry."""
        if field.data is not None and self.morning.data is None:
            raise ValidationError(_l("Stiffness belongs to the morning: please give the "
                                     "morning pain too."))

    def validate_plan_done(self, field):
        """The plan's steps are ticked in the evening entry."""
        if field.data and self.evening.data is None:
            raise ValidationError(_l("Plan steps belong to the evening: please give the "
                                     "evening pain too."))

    def validate_warning(self, field):
        """A warning sign is noted on an entry of that day."""
        if field.data and self.morning.data is None and self.evening.data is None:
            raise ValidationError(_l("A warning sign needs the day's pain (morning or "
                                     "evening)."))


class PaperSheetForm(Form):
    """The sheet's own form: its token; the days are :class:`SheetRow` forms beside it."""


def sheet_rows(days: list[date]) -> list[tuple[date, SheetRow]]:
    """A row form per day, reading the posted sheet when there is one."""
    return [(day, SheetRow(prefix=f"d{number}", meta={"csrf": False}))
            for number, day in enumerate(days)]


def row_errors(rows) -> list[tuple[str, str, str]]:
    """The rows' errors for the summary at the top of the sheet: (field id, label, message)."""
    return [(field.id, str(field.label.text), str(message))
            for _day, row in rows for field in row for message in field.errors]


def sheet_days(start: date, today: date) -> list[date]:
    """The sheet's days from ``start``: two weeks, none after today."""
    return [start + timedelta(days=n) for n in range(SHEET_DAYS)
            if start + timedelta(days=n) <= today]


def fill(rows, client, days: list[date]) -> None:
    """Put the entries already saved for the sheet's days into its rows (for a GET)."""
    found = {(e.day, e.slot): e for e in service.entries(client, since=days[0], until=days[-1])}
    for day, row in rows:
        morning, evening = found.get((day, "morning")), found.get((day, "evening"))
        row.morning.data = morning.pain if morning else None
        row.stiffness.data = morning.stiffness_minutes if morning else None
        row.evening.data = evening.pain if evening else None
        row.plan_done.data = list(evening.plan_done or []) if evening else []
        row.warning.data = bool((morning and morning.warning) or (evening and evening.warning))
        row.note.data = (evening.note if evening else morning.note if morning else "") or ""


def _changes(entry, values: dict) -> dict:
    """What ``values`` would change of a saved entry (all of them for a new one)."""
    if entry is None:
        return values
    return {key: value for key, value in values.items() if getattr(entry, key) != value}


def save(client, days: list[date], rows, *, today: date, zone, actor) -> int:
    """Store every filled slot of the sheet as a paper entry; unchanged saved entries are left
    as they are, and no saved entry is deleted or loses a warning. The day's note and a warning
    sign noted go to its last entry (the evening when there is one). Raises
    :class:`SheetError` for a slot the diary's rules refuse."""
    found = {(e.day, e.slot): e for e in service.entries(client, since=days[0], until=days[-1])}
    saved = 0
    for day, row in rows:
        slots = {}
        if row.morning.data is not None:
            slots["morning"] = {"pain": row.morning.data, "stiffness_minutes": row.stiffness.data}
        if row.evening.data is not None:
            slots["evening"] = {"pain": row.evening.data,
                                "plan_done": list(row.plan_done.data or [])}
        if not slots:
            continue
        last = "evening" if "evening" in slots else "morning"
        slots[last]["note"] = row.note.data or ""
        warned = any(e is not None and e.warning
                     for e in (found.get((day, "morning")), found.get((day, "evening"))))
        if row.warning.data and not warned:
            slots[last].update(warning=True, warning_signs=[])  # raises a notice, as the phone
        for slot, values in slots.items():
            entry = found.get((day, slot))
            if entry is None:
                values.setdefault("warning", False)
                values.setdefault("warning_signs", [])
            changes = _changes(entry, values)
            if not changes:
                continue
            try:
                service.save(client, day, slot, changes, today=today, zone=zone,
                             source="paper", actor=actor)
            except service.DiaryError as error:
                raise SheetError(day, slot, str(error)) from None
            saved += 1
    return saved


class SheetError(ValueError):
    """A slot of the sheet the diary's rules refused."""

    def __init__(self, day: date, slot: str, code: str) -> None:
        super().__init__(code)
        self.day, self.slot, self.code = day, slot, code
