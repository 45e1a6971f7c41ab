"""Saving intakes as versions, computing their figures, and raising red-flag notices.

Services flush; views commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from practice.clients.record_state import require_open
from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients import service as clients
from practice.clients.models import Client
from practice.database import utcnow
from practice.extensions import db
from practice.safety import notices
from practice.intake import scoring
from practice.intake.models import Intake, IntakeVersion
from practice.intake.questions import QUESTIONS, display
from practice.safety.flags import intake_flags

SCREEN_DONE = "red_flag_screen_done"


class IncompleteIntake(ValueError):
    """Completing was asked for, but something required is missing: field key -> reason code."""

    def __init__(self, missing: dict[str, str]):
        super().__init__(", ".join(missing))
        self.missing = missing


def missing_for_completion(client: Client, answers: dict, consent_now: bool) -> dict[str, str]:
    """What still stops an intake from being completed (empty when nothing does)."""
    missing = {}
    if answers.get("pain_now") is None:
        missing["pain_now"] = "required"
    if not answers.get(SCREEN_DONE):
        missing[SCREEN_DONE] = "required"
    if client.active_consent is None and not consent_now:
        missing["consent"] = "required"
    return missing


def clean(answers: dict) -> dict:
    """Keep only known answers and drop empty ones, so versions compare cleanly."""
    kept = {}
    for key, value in answers.items():
        if key not in QUESTIONS and key != SCREEN_DONE:
            continue
        if value in (None, "", [], False):
            continue
        kept[key] = value
    return kept


def save(client: Client, answers: dict, *, complete: bool, actor: Practitioner,
         consent_now: bool = False) -> Intake:
    """Save the intake as a new version (if anything changed) and update its figures.

    With ``complete`` the intake must have a pain score, a confirmed red-flag screen and
    consent; :class:`IncompleteIntake` says what is missing. Red flags are raised on every
    save, drafts included: safety does not wait for paperwork.
    """
    require_open(client, allow_without_consent=True)
    answers = clean(answers)
    if complete:
        missing = missing_for_completion(client, answers, consent_now)
        if missing:
            raise IncompleteIntake(missing)
    intake = client.intake
    if intake is None:
        intake = Intake(client=client, status="draft", version_count=0)
        db.session.add(intake)
    previous = intake.current
    status = "complete" if complete or intake.status == "complete" else "draft"
    changed = sorted(k for k in set(answers) | set(previous.answers if previous else {})
                     if (previous.answers.get(k) if previous else None) != answers.get(k))
    if previous is None or changed or status != previous.status:
        intake.version_count += 1
        version = IntakeVersion(intake=intake, number=intake.version_count, status=status,
                                answers=answers, changed_keys=changed, created_by_id=actor.id,
                                created_at=utcnow())
        db.session.add(version)
    if status == "complete" and intake.completed_at is None:
        intake.completed_at = utcnow()
    intake.status = status
    _update_figures(intake, answers)
    db.session.flush()
    flags = intake_flags(answers)
    if flags:
        # A sign answered "no" in the version before and "yes" now is news: raise it again.
        before = set(intake_flags(previous.answers)) if previous else set()
        notices.raise_flags(client, flags, kind="red_flag", source="intake",
                            again=set(flags) - before)
    clients.touch(client)
    audit.record("intake.save", "intake", intake.id, actor=actor, client=intake.client_id)
    return intake


def _update_figures(intake: Intake, answers: dict) -> None:
    intake.baseline_pain = answers.get("pain_now")
    result = scoring.start_back(answers)
    intake.start_back_total = result.total if result else None
    intake.start_back_risk = result.risk if result else None


@dataclass(frozen=True)
class Change:
    """One answer that changed between two versions, ready to show."""

    label: str
    before: str
    after: str


def changes(version: IntakeVersion, previous: IntakeVersion | None) -> list[Change]:
    """What ``version`` changed compared to ``previous``, in questionnaire order."""
    if previous is None:
        return []
    changed = set(version.changed_keys)
    return [Change(label=str(question.label),
                   before=display(question, previous.answers.get(key)),
                   after=display(question, version.answers.get(key)))
            for key, question in QUESTIONS.items() if key in changed]


def history(intake: Intake) -> list[tuple[IntakeVersion, list[Change]]]:
    """Every version, newest first, with what it changed."""
    versions = intake.versions
    pairs = [(v, changes(v, versions[i - 1] if i else None)) for i, v in enumerate(versions)]
    return list(reversed(pairs))
