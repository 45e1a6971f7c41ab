"""Imports every model, so that Alembic's autogenerate and the schema tests see all tables."""

from practice.accounts.models import FailedLogin, Login, Practitioner, RecoveryCode  # noqa: F401
from practice.audit.models import AuditEvent  # noqa: F401
from practice.settings.models import PracticeSettings  # noqa: F401
from practice.clients.models import Client, ClientAlert, ClientChange, Consent  # noqa: F401
from practice.intake.models import Intake, IntakeVersion  # noqa: F401
from practice.library.models import ContentItem, ContentSource, ContentVersion  # noqa: F401
from practice.visits.models import Recommendation, Visit, VisitVersion  # noqa: F401
from practice.diary.models import DiaryEntry, DiaryLink  # noqa: F401
from practice.handouts.models import Handout  # noqa: F401
from practice.jobs.models import Job  # noqa: F401
from practice.records.models import ErasureRequest, RecordPurge, RestrictedOpening  # noqa: F401
from practice.measures.models import MeasureRequest, MeasureScore, MeasureScoreVersion  # noqa: F401
