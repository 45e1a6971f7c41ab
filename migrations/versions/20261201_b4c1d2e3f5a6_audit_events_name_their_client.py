"""Audit events name their client: the access log filters by record, and "who opened this
record" reads one index, whatever object of the record the event is about.

Revision ID: b4c1d2e3f5a6
Revises: 7d3f1b2c9e40
Create Date: 2026-12-01 18:30:00

No foreign key: the trail outlives a purged record (it keeps no health data, only ids).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b4c1d2e3f5a6'
down_revision = '7d3f1b2c9e40'
branch_labels = None
depends_on = None

# object_type -> the table whose client_id the event's object carries
OWNERS = {
    "intake": "intakes", "visit": "visits", "handout": "handouts", "diary_entry": "diary_entries",
    "diary_link": "diary_links", "client_alert": "client_alerts", "consent": "consents",
    "recommendation": "recommendations",
}


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_audit_events_client', ['client_id', 'at'], unique=False)
    # Digits only: a malformed id (none are known) stays without its client, never an error.
    digits = ("object_id <> '' AND object_id NOT GLOB '*[^0-9]*'"
              if op.get_bind().dialect.name == "sqlite" else "object_id ~ '^[0-9]+$'")
    op.execute("UPDATE audit_events SET client_id = CAST(object_id AS INTEGER) "
               f"WHERE object_type = 'client' AND {digits}")
    for object_type, table in OWNERS.items():
        op.execute(f"UPDATE audit_events SET client_id = (SELECT {table}.client_id FROM {table} "
                   f"WHERE {table}.id = CAST(audit_events.object_id AS INTEGER)) "
                   f"WHERE object_type = '{object_type}' AND {digits}")


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_client')
        batch_op.drop_column('client_id')
