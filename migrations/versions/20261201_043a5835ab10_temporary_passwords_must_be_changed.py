"""Temporary passwords from an admin's reset must be changed at the next sign-in.

Revision ID: 043a5835ab10
Revises: f2aabbca7c23
Create Date: 2026-12-01 10:26:59.188695

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '043a5835ab10'
down_revision = 'f2aabbca7c23'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practitioners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('practitioners', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

