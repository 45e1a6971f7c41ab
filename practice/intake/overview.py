"""What the client page shows from the intake: summary, notices, hints and scores."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from practice.clients.consent import consent_text
from practice.clients.models import Client
from practice.clients.record_state import closed_reason
from practice.i18n import local_today
from practice.intake import scoring
from practice.intake.questions import QUESTIONS, SECTIONS, display
from practice.safety import notices

CRITERIA_LABELS = {
    "onset_before_40": _l("began before 40"),
    "insidious_onset": _l("began gradually"),
    "better_with_exercise": _l("better with exercise"),
    "not_better_with_rest": _l("not better with rest"),
    "night_pain_eases_on_rising": _l("night pain that eases on getting up"),
    "morning_stiffness_over_30": _l("morning stiffness over 30 minutes"),
    "better_with_exercise_not_rest": _l("better with exercise, not with rest"),
    "wakes_second_half": _l("waking in the second half of the night"),
    "alternating_buttock_pain": _l("alternating buttock pain"),
}

RISK_LABELS = {"low": _l("low risk"), "medium": _l("medium risk"), "high": _l("high risk")}


def answered_sections(answers: dict) -> list[tuple]:
    """(section, [(question, shown answer)]) for every section with at least one answer."""
    result = []
    for section in SECTIONS:
        rows = [(q, display(q, answers.get(q.key))) for q in section.questions]
        rows = [(q, shown) for q, shown in rows if shown]
        if rows:
            result.append((section, rows))
    return result


def overview(client: Client) -> dict:
    """Everything the client page needs from the intake, computed once."""
    intake = client.intake
    answers = intake.answers if intake else {}
    hint = scoring.inflammatory_hint(answers)
    return {
        "today": local_today(),
        "intake": intake,
        "answers": answers,
        "summary": {key: display(QUESTIONS[key], answers.get(key)) for key in (
            "location", "radiation", "since", "duration", "onset", "trigger", "character",
            "worst_time", "better_with", "worse_with", "helps")},
        "stiffness": answers.get("morning_stiffness"),
        "start_back": scoring.start_back(answers),
        "hint": hint,
        "criteria_labels": CRITERIA_LABELS,
        "notices": notices.open_notices(client),
        "closed": closed_reason(client),
        "closed_alerts": [a for a in client.alerts if a.acknowledged_at is not None],
        "flag_label": notices.reason_label,
        "risk_labels": RISK_LABELS,
        "sections": answered_sections(answers),
        "consent_text": consent_text,
    }
