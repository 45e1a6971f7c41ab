"""A content source keeps the article's date (filled from an imported page's metadata).

Revision ID: a16b0c1d2e3f
Revises: c7d8e9f0a1b2
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a16b0c1d2e3f'
down_revision = 'c7d8e9f0a1b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('content_sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published', sa.String(length=40), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('content_sources', schema=None) as batch_op:
        batch_op.drop_column('published')
