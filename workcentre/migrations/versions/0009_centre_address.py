"""centre.address: the street address shown on the centre's set-up page

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=200), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.drop_column('address')
