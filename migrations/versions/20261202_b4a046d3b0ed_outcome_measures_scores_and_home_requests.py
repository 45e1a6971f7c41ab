"""Outcome measures: scores kept as versions (corrections keep the original), and the
questionnaires a practitioner asks the client to fill in before the next visit.

Revision ID: b4a046d3b0ed
Revises: e5a7c3d9b1f2
Create Date: 2026-12-02 00:04:26.188497

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4a046d3b0ed'
down_revision = 'e5a7c3d9b1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('measure_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=20), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filled_by', sa.String(length=20), nullable=False),
    sa.Column('place', sa.String(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('version_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("filled_by IN ('practitioner', 'client')", name=op.f('ck_measure_scores_filled_by_known')),
    sa.CheckConstraint("instrument IN ('start_back', 'rmdq', 'odi', 'psfs')", name=op.f('ck_measure_scores_instrument_known')),
    sa.CheckConstraint("place IN ('desk', 'home', 'paper')", name=op.f('ck_measure_scores_place_known')),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_measure_scores_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['practitioners.id'], name=op.f('fk_measure_scores_recorded_by_id_practitioners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_measure_scores_visit_id_visits'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_scores'))
    )
    with op.batch_alter_table('measure_scores', schema=None) as batch_op:
        batch_op.create_index('ix_measure_scores_client_time', ['client_id', 'taken_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_scores_visit_id'), ['visit_id'], unique=False)

    op.create_table('measure_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('instrument', sa.String(length=20), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('measure_score_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("instrument IN ('start_back', 'rmdq', 'odi', 'psfs')", name=op.f('ck_measure_requests_instrument_known')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['practitioners.id'], name=op.f('fk_measure_requests_asked_by_id_practitioners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_measure_requests_client_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_score_id'], ['measure_scores.id'], name=op.f('fk_measure_requests_measure_score_id_measure_scores'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_requests'))
    )
    with op.batch_alter_table('measure_requests', schema=None) as batch_op:
        batch_op.create_index('ix_measure_requests_client_open', ['client_id', 'answered_at', 'withdrawn_at'], unique=False)

    op.create_table('measure_score_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_score_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('changed_keys', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['practitioners.id'], name=op.f('fk_measure_score_versions_created_by_id_practitioners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_score_id'], ['measure_scores.id'], name=op.f('fk_measure_score_versions_measure_score_id_measure_scores'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_score_versions')),
    sa.UniqueConstraint('measure_score_id', 'number', name='uq_measure_score_versions_number')
    )


def downgrade():
    op.drop_table('measure_score_versions')
    with op.batch_alter_table('measure_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_requests_client_open')

    op.drop_table('measure_requests')
    with op.batch_alter_table('measure_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_scores_visit_id'))
        batch_op.drop_index('ix_measure_scores_client_time')

    op.drop_table('measure_scores')
