"""Consent to processing health data (GDPR Art. 9): the text shown, its version, giving and
withdrawing."""

from __future__ import annotations

from practice.accounts.models import Practitioner
from practice.audit import service as audit
from practice.clients.models import Client, Consent
from practice.clients.record_state import require_unrestricted
from practice.database import utcnow
from practice.extensions import db

CURRENT_VERSION = "2026-11"

# The texts are part of the record: a new wording gets a new version, old ones stay here.
TEXTS = {
    "2026-11": {
        "de": (
            "Ich willige ein, dass die Praxis meine Gesundheitsdaten (Beschwerden, Anamnese, "
            "Befunde, Behandlungen, Empfehlungen und mein Schmerztagebuch) zur Behandlung und "
            "Dokumentation verarbeitet (Art. 9 Abs. 2 lit. a DSGVO). Die Daten werden nicht an "
            "Dritte weitergegeben und nach Ende der Behandlung 10 Jahre aufbewahrt (§ 630f BGB). "
            "Ich kann diese Einwilligung jederzeit für die Zukunft widerrufen."
        ),
        "en": (
            "I consent to the practice processing my health data (complaints, history, "
            "findings, treatments, recommendations and my pain diary) for my treatment and its "
            "documentation (Art. 9(2)(a) GDPR). The data is not passed on to third parties and "
            "is kept for 10 years after treatment ends (§ 630f German Civil Code). I can "
            "withdraw this consent at any time with effect for the future."
        ),
    },
}


def consent_text(language: str, version: str = CURRENT_VERSION) -> str:
    """The consent wording of ``version`` in ``language`` (German when unknown)."""
    texts = TEXTS[version]
    return texts.get(language, texts["de"])


def give(client: Client, *, language: str, actor: Practitioner) -> Consent:
    """Record that the client consented to the current text in ``language`` just now."""
    require_unrestricted(client)
    consent = Consent(client=client, text_version=CURRENT_VERSION, language=language,
                      given_at=utcnow(), recorded_by_id=actor.id)
    db.session.add(consent)
    db.session.flush()
    audit.record("consent.give", "consent", consent.id, actor=actor,
                 client=consent.client_id)
    return consent


def withdraw(client: Client, *, actor: Practitioner) -> Consent | None:
    """Record the withdrawal of the consent in force; it stays on the record as withdrawn."""
    require_unrestricted(client)
    consent = client.active_consent
    if consent is None:
        return None
    consent.withdrawn_at = utcnow()
    consent.withdrawal_recorded_by_id = actor.id
    audit.record("consent.withdraw", "consent", consent.id, actor=actor,
                 client=consent.client_id)
    return consent
