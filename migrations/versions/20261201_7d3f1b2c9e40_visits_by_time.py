"""Visits by time: the day's handouts and the start page's "seen recently" read an index.

Revision ID: 7d3f1b2c9e40
Revises: 69ea5a83bcbf
Create Date: 2026-12-01 15:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7d3f1b2c9e40'
down_revision = '69ea5a83bcbf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_time', ['visited_at'], unique=False)


def downgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_time')
