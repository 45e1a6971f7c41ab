"""The practitioner's answer to open notices when saving a visit or printing a handout:
acknowledge them (with what was done) or proceed with them open. Read from the form once."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from practice.forms import too_long
from practice.safety import notices

ACKNOWLEDGE, PROCEED = "acknowledge", "proceed"


@dataclass(frozen=True)
class NoticeDecision:
    """What was chosen, the note typed, and a message when the choice is missing or wrong."""

    needed: bool
    decision: str | None = None
    note: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.needed or self.error is None


def read(form, client) -> NoticeDecision:
    """The decision posted with ``form`` for the client's open notices (none needed if none)."""
    if not client.open_alerts:
        return NoticeDecision(needed=False)
    decision = form.get("notice_decision")
    note = (form.get("notice_note") or "").strip()
    error = None
    if decision not in (ACKNOWLEDGE, PROCEED):
        decision = None
        error = _("A notice is open: please acknowledge it, with what was done, or confirm that "
                  "you proceed.")
    elif len(note) > notices.NOTE_LIMIT:
        error = too_long(notices.NOTE_LIMIT, len(note))
    return NoticeDecision(needed=True, decision=decision, note=note, error=error)


def apply(decision: NoticeDecision, client, *, actor) -> int:
    """Acknowledge the open notices if that was chosen; returns how many were closed."""
    if decision.needed and decision.decision == ACKNOWLEDGE and decision.error is None:
        return notices.acknowledge_all(client, actor=actor, note=decision.note)
    return 0
