"""The folded name is no longer searched by itself (the name tokens and pairs are): its index
only cost every write of a client row. On PostgreSQL each diary entry updates its client's row
without HOT (the list's activity order is indexed), so every index of `clients` is written again
with each entry.

Revision ID: e7f8a9b0c1d2
Revises: d1e2f3a4b5c6
Create Date: 2026-12-07 19:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7f8a9b0c1d2'
down_revision = 'd1e2f3a4b5c6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_search_name')


def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index('ix_clients_search_name', ['search_name'], unique=False)
