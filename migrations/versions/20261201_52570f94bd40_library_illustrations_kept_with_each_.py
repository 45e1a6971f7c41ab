"""Library illustrations, kept with each version: a picture per item version (a shipped drawing
or the practice's own PNG, JPEG or SVG), stored once in content_illustrations, and a copy of
the newest version's picture on the item for the list.

Revision ID: 52570f94bd40
Revises: a16b0c1d2e3f
Create Date: 2026-12-01 18:02:11.482305

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '52570f94bd40'
down_revision = 'a16b0c1d2e3f'  # after the import's column (both landed the same day)
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_illustrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_illustrations')),
    sa.UniqueConstraint('sha256', name=op.f('uq_content_illustrations_sha256'))
    )
    with op.batch_alter_table('content_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('illustration_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_content_versions_illustration_id'), ['illustration_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_content_versions_illustration_id_content_illustrations'), 'content_illustrations', ['illustration_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('illustration_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_content_items_illustration_id_content_illustrations'), 'content_illustrations', ['illustration_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_content_items_illustration_id_content_illustrations'), type_='foreignkey')
        batch_op.drop_column('illustration_id')

    with op.batch_alter_table('content_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_content_versions_illustration_id_content_illustrations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_content_versions_illustration_id'))
        batch_op.drop_column('illustration_id')

    op.drop_table('content_illustrations')
