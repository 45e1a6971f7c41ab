"""The practice's public address: the base of every link a client receives.

Revision ID: f2aabbca7c23
Revises: 96ae0d289755
Create Date: 2026-12-01 10:15:03.133672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2aabbca7c23'
down_revision = '96ae0d289755'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_url', sa.String(length=300), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('practice_settings', schema=None) as batch_op:
        batch_op.drop_column('public_url')

