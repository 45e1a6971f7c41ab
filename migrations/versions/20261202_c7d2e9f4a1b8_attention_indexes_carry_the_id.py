"""The start page's quiet-diary and rising-pain lists are ordered by their day and then the id:
the indexes carry the id too, so a backward scan stops after the page's 30 rows.

On one day thousands of diaries turn quiet together (a practice of 100,000): with the day alone
in the index, PostgreSQL read and sorted every one of them to find the 30 highest ids.

Revision ID: c7d2e9f4a1b8
Revises: b4a046d3b0ed
Create Date: 2026-12-02 01:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7d2e9f4a1b8'
down_revision = 'b4a046d3b0ed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_archived_quiet')
        batch_op.drop_index('ix_clients_archived_rising')
        batch_op.create_index('ix_clients_archived_quiet',
                              ['is_archived', 'diary_quiet_since', 'id'], unique=False)
        batch_op.create_index('ix_clients_archived_rising',
                              ['is_archived', 'pain_rising_until', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_archived_rising')
        batch_op.drop_index('ix_clients_archived_quiet')
        batch_op.create_index('ix_clients_archived_rising', ['is_archived', 'pain_rising_until'],
                              unique=False)
        batch_op.create_index('ix_clients_archived_quiet', ['is_archived', 'diary_quiet_since'],
                              unique=False)
