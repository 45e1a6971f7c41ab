"""Names of kinds and tags as people read them."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "warmth": _l("Warmth"),
    "self_massage": _l("Self-massage"),
    "rest": _l("Rest and relaxation"),
    "nutrition": _l("Nutrition"),
    "movement": _l("Movement and exercise"),
    "acupressure": _l("Acupressure point"),
    "liver_support": _l("Liver support"),
    "lifestyle": _l("Lifestyle"),
    "warning_signs": _l("Warning signs"),
    "background": _l("Background"),
}

TAG_LABELS = {
    "morning_stiffness": _l("morning stiffness"),
    "eases_with_movement": _l("eases with movement"),
    "evening_pain": _l("evening pain"),
    "sitting": _l("long sitting"),
    "stress": _l("stress"),
    "cold": _l("cold"),
    "sleep": _l("sleep"),
    "radiating": _l("radiating pain"),
    "liver": _l("liver"),
    "acute": _l("acute"),
    "chronic": _l("chronic"),
}

FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "body": _l("Text (Markdown)"),
    "how": _l("How"),
    "how_long": _l("How long"),
    "how_often": _l("How often"),
    "cautions": _l("Cautions"),
    "steps": _l("Steps (one per line)"),
    "location": _l("Location"),
    "effect": _l("Effect"),
    "application": _l("How to apply"),
}
