"""Changes of a client's details kept like intake versions: before, after, who, when.

Revision ID: c7d8e9f0a1b2
Revises: 15386081e2ee
Create Date: 2026-12-01 18:50:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7d8e9f0a1b2'
down_revision = '15386081e2ee'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'client_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['changed_by_id'], ['practitioners.id'],
                                name=op.f('fk_client_changes_changed_by_id_practitioners'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'],
                                name=op.f('fk_client_changes_client_id_clients'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_client_changes')),
    )
    with op.batch_alter_table('client_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_changes_client_id'), ['client_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('client_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_changes_client_id'))
    op.drop_table('client_changes')
