"""The one catalogue of warning signs (red flags).

Every page, PDF, export and test reads the signs from here: their key, the words the
practitioner ticks at intake, the words the client reads in the diary and on the handout, the
guideline category behind them and the urgency of seeing a doctor. Hints for the practitioner,
never a diagnosis: every sign leads to "see a doctor", with the urgency it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Guideline categories (NVL Kreuzschmerz / NICE): what a doctor has to rule out.
CAUDA_EQUINA, NERVE, INFECTION, FRACTURE, TUMOUR = (
    "cauda_equina", "nerve", "infection", "fracture", "tumour")
CATEGORIES = (CAUDA_EQUINA, NERVE, INFECTION, FRACTURE, TUMOUR)

# How soon a doctor is needed, most urgent first.
EMERGENCY, TODAY, SOON = "emergency", "today", "soon"
URGENCIES = (EMERGENCY, TODAY, SOON)


@dataclass(frozen=True)
class WarningSign:
    """One warning sign. ``intake`` is the label the practitioner ticks (None: not asked at
    intake); ``lay`` the words a client reads (diary check, handout); ``in_diary`` whether
    the diary's daily check asks it."""

    key: str
    category: str
    urgency: str
    intake: object | None
    lay: object
    in_diary: bool = False


S = WarningSign
SIGNS: tuple[WarningSign, ...] = (
    S("rf_bladder_bowel", CAUDA_EQUINA, EMERGENCY,
      _l("New trouble passing or holding urine or stool"),
      _l("New trouble with urine or stool: it is hard to pass, or you cannot hold it in"),
      in_diary=True),
    S("rf_saddle_numbness", CAUDA_EQUINA, EMERGENCY,
      _l("Numbness in the saddle area (genitals, anus, inner thighs)"),
      _l("Numbness around the genitals, the anus or the inner thighs"), in_diary=True),
    S("rf_leg_weakness", CAUDA_EQUINA, EMERGENCY,
      _l("Leg weakness getting worse, or weakness in both legs"),
      _l("A leg getting weaker, or both legs weak"), in_diary=True),
    S("rf_both_legs", CAUDA_EQUINA, TODAY,
      _l("Pain radiating into both legs"),
      _l("Pain that runs down into both legs")),
    S("rf_leg_numbness", NERVE, TODAY,
      _l("New numbness or tingling in a leg"),
      _l("New numbness or tingling in a leg"), in_diary=True),
    S("rf_fever", INFECTION, TODAY,
      _l("Fever or chills"),
      _l("Fever or chills"), in_diary=True),
    S("rf_immunosuppression", INFECTION, SOON,
      _l("Weakened immune system (e.g. long-term cortisone, chemotherapy, after a transplant, "
         "HIV)"),
      _l("A weakened immune system, for example from cortisone tablets, chemotherapy, "
         "medicines after a transplant, or HIV")),
    S("rf_iv_drugs", INFECTION, SOON,
      _l("Injects drugs, now or in the past"),
      _l("You inject drugs, or did in the past")),
    S("rf_recent_infection", INFECTION, SOON,
      _l("Infection in the last weeks (e.g. bladder, skin, teeth)"),
      _l("An infection in the last few weeks, for example of the bladder or the skin")),
    S("rf_spinal_injection", INFECTION, SOON,
      _l("Injection or infiltration at the spine in the last weeks"),
      _l("An injection at the spine in the last few weeks")),
    S("rf_major_trauma", FRACTURE, TODAY,
      _l("Pain began with a major accident or fall"),
      _l("A bad fall or an accident"), in_diary=True),
    S("rf_minor_trauma_bone", FRACTURE, SOON,
      _l("Minor fall or strain with osteoporosis or long-term cortisone"),
      _l("A minor fall or strain, if you have osteoporosis or take cortisone long-term")),
    S("rf_cancer_history", TUMOUR, SOON,
      _l("Cancer now or in the past"),
      _l("Cancer, now or in the past")),
    S("rf_weight_loss", TUMOUR, SOON,
      _l("Weight loss without explanation (e.g. more than 5 kg in 3 months without trying)"),
      _l("Losing weight without trying (for example more than 5 kg in 3 months)"),
      in_diary=True),
    S("rf_night_pain", TUMOUR, SOON,
      _l("Night pain that does not ease when changing position"),
      _l("Pain at night that does not ease when you change position"), in_diary=True),
    S("rf_age_onset", TUMOUR, SOON,
      _l("Back pain began for the first time before 20 or after 50"),
      _l("Back pain for the first time before the age of 20 or after 50")),
    S("rf_no_improvement", TUMOUR, SOON,
      _l("No improvement after a month"),
      _l("No improvement after a month")),
)
BY_KEY: dict[str, WarningSign] = {sign.key: sign for sign in SIGNS}
INTAKE_SIGNS = tuple(sign for sign in SIGNS if sign.intake is not None)
DIARY_SIGNS = tuple(sign for sign in SIGNS if sign.in_diary)

# Neutral names, since the client often sits beside the desk: "serious cause to rule out: …".
CATEGORY_LABELS = {
    CAUDA_EQUINA: _l("compression of the nerve roots (cauda equina)"),
    NERVE: _l("nerve root irritation"),
    INFECTION: _l("infection"),
    FRACTURE: _l("fracture"),
    TUMOUR: _l("neoplasm"),
}
URGENCY_LABELS = {
    EMERGENCY: _l("Emergency: emergency department or 112 now"),
    TODAY: _l("See a doctor today"),
    SOON: _l("See a doctor within the next few days"),
}


def most_urgent(keys) -> str | None:
    """The highest urgency among the signs ``keys`` (unknown keys count as "today")."""
    found = {BY_KEY[key].urgency if key in BY_KEY else TODAY for key in keys}
    return next((urgency for urgency in URGENCIES if urgency in found), None)


def categories(keys) -> list[str]:
    """The guideline categories behind the signs ``keys``, in catalogue order."""
    present = {BY_KEY[key].category for key in keys if key in BY_KEY}
    return [category for category in CATEGORIES if category in present]


def diary_urgency(keys) -> str:
    """A sign that is new since the last diary entry needs a doctor today at the latest;
    cauda equina signs are an emergency."""
    return EMERGENCY if most_urgent(keys) == EMERGENCY else TODAY
