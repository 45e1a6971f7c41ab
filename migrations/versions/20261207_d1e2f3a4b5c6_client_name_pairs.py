"""Pairs of client name words, so that a search of two words reads its few matches from an
index instead of intersecting every client with either word (thousands at 100,000 clients).

Revision ID: d1e2f3a4b5c6
Revises: c7d2e9f4a1b8
Create Date: 2026-12-07 13:00:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa

# As practice.clients.service.name_tokens and name_pairs at the time of writing (search_name
# is folded already).
WORD_BREAK = re.compile(r"[\s\-'’.,/()]+")
PAIR_LEAD = 3


def pairs(name: str) -> list[str]:
    words = sorted({word[:100] for word in WORD_BREAK.split(name or "") if word})
    return sorted({f"{a[:PAIR_LEAD]} {b}"[:100] for a in words for b in words
                   if a != b and len(a) >= PAIR_LEAD})


# revision identifiers, used by Alembic.
revision = 'd1e2f3a4b5c6'
down_revision = 'c7d2e9f4a1b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('client_name_pairs',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('pair', sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_client_name_pairs_client_id_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', 'pair', name=op.f('pk_client_name_pairs'))
    )
    with op.batch_alter_table('client_name_pairs', schema=None) as batch_op:
        batch_op.create_index('ix_client_name_pairs_pair', ['pair', 'client_id'], unique=False)

    bind = op.get_bind()
    table = sa.table("client_name_pairs", sa.column("client_id"), sa.column("pair"))
    rows = []
    for client_id, name in bind.execute(sa.text("SELECT id, search_name FROM clients")):
        rows += [{"client_id": client_id, "pair": pair} for pair in pairs(name)]
        if len(rows) > 5000:
            bind.execute(table.insert(), rows)
            rows = []
    if rows:
        bind.execute(table.insert(), rows)


def downgrade():
    with op.batch_alter_table('client_name_pairs', schema=None) as batch_op:
        batch_op.drop_index('ix_client_name_pairs_pair')

    op.drop_table('client_name_pairs')
