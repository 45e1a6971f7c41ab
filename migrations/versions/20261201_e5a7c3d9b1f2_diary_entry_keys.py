"""Diary entries carry the key the phone gave them: an entry kept offline and sent again when
the connection returns is stored once.

Revision ID: e5a7c3d9b1f2
Revises: 52570f94bd40
Create Date: 2026-12-01 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a7c3d9b1f2'
down_revision = '52570f94bd40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_key', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_diary_entries_entry_key', ['entry_key'], unique=True)


def downgrade():
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_diary_entries_entry_key')
        batch_op.drop_column('entry_key')
