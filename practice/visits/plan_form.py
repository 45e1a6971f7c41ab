"""Reading the plan part of the visit page: what happens to each active recommendation and
which items are added, with their instructions. Invalid input comes back with messages and
everything typed, so nothing is lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _

from practice.forms import too_long
from practice.inputs import parse_id
from practice.visits.service import NewRecommendation, PlanChange

LIMITS = {"how_often": 200, "how_long": 200, "notes": 2000}
PLAN_MAX_DAYS = 2 * 366  # an "until" further ahead is a typo in the year


@dataclass
class PlanInput:
    """The plan part of the form as typed, and any problems with it."""

    rows: dict = field(default_factory=dict)     # recommendation id -> {"action", fields...}
    added: dict = field(default_factory=dict)    # item id -> {fields..., "ends_on"}
    errors: dict = field(default_factory=dict)   # field name -> message
    changes: list = field(default_factory=list)
    additions: list = field(default_factory=list)


def _text(form, name: str, limit: int, errors: dict) -> str:
    value = (form.get(name) or "").strip()
    if len(value) > limit:
        errors[name] = too_long(limit, len(value))
    return value


def read(form, plan: list, items_by_id: dict, day: date | None) -> PlanInput:
    """Parse the submitted plan fields against the active plan and the offered items."""
    result = PlanInput()
    for recommendation in plan:
        prefix = f"plan-{recommendation.id}-"
        action = form.get(prefix + "action", "continue")
        if action not in ("continue", "stop"):
            action = "continue"
        row = {"action": action}
        for name, limit in LIMITS.items():
            row[name] = _text(form, prefix + name, limit, result.errors)
        result.rows[recommendation.id] = row
        result.changes.append(PlanChange(recommendation=recommendation, action=action,
                                         how_often=row["how_often"], how_long=row["how_long"],
                                         notes=row["notes"]))
    for raw in form.getlist("add"):
        item = items_by_id.get(parse_id(raw))
        if item is None:
            # Retired meanwhile (or a tampered value): say so rather than drop the tick.
            result.errors["add"] = _("A ticked item is no longer offered in the library; "
                                     "please check the ticks and save again.")
            continue
        prefix = f"add-{item.id}-"
        row = {name: _text(form, prefix + name, limit, result.errors)
               for name, limit in LIMITS.items()}
        row["ends_on"] = (form.get(prefix + "ends_on") or "").strip()
        ends_on = None
        if row["ends_on"]:
            try:
                ends_on = date.fromisoformat(row["ends_on"])
            except ValueError:
                result.errors[prefix + "ends_on"] = _("Please give a date (day, month, year).")
            else:
                if day and ends_on < day:
                    result.errors[prefix + "ends_on"] = _("The end cannot be before the visit.")
                elif day and ends_on > day + timedelta(days=PLAN_MAX_DAYS):
                    result.errors[prefix + "ends_on"] = _(
                        "Please check the year: a plan step ends within two years.")
        result.added[item.id] = row
        result.additions.append(NewRecommendation(item=item, how_often=row["how_often"],
                                                  how_long=row["how_long"], notes=row["notes"],
                                                  ends_on=ends_on))
    return result
