"""Diary warning signs (which were ticked) and where a library item's dose comes from.

Revision ID: 96ae0d289755
Revises: 20a9f6fc2c8e
Create Date: 2026-12-01 09:37:54.280681

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '96ae0d289755'
down_revision = '20a9f6fc2c8e'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows: items have no known dose origin yet, older diary warnings no ticked signs.
    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dose', sa.String(length=10), nullable=False,
                                      server_default='none'))
        batch_op.create_check_constraint('dose_known', "dose IN ('article', 'practice', 'none')")

    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warning_signs', sa.JSON(), nullable=False,
                                      server_default='[]'))


def downgrade():
    with op.batch_alter_table('diary_entries', schema=None) as batch_op:
        batch_op.drop_column('warning_signs')

    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.drop_constraint('dose_known', type_='check')
        batch_op.drop_column('dose')
