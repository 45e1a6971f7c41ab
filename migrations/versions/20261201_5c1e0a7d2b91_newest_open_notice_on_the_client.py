"""The newest open notice's time, kept on the client (start page and list read an index).

Revision ID: 5c1e0a7d2b91
Revises: aa9897534a55
Create Date: 2026-12-01 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a7d2b91'
down_revision = 'aa9897534a55'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_alert_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_clients_archived_alert', ['is_archived', 'open_alert_at'],
                              unique=False)
    op.execute("UPDATE clients SET open_alert_at = (SELECT max(raised_at) FROM client_alerts "
               "WHERE client_alerts.client_id = clients.id AND acknowledged_at IS NULL)")


def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index('ix_clients_archived_alert')
        batch_op.drop_column('open_alert_at')
