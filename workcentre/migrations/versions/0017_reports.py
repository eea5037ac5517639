"""product prices: per unit or per hour of standard time, in cents, for the monthly invoicing

Revision ID: 0017_reports
Revises: 0016_voice
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_reports'
down_revision = '0016_voice'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_price_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hour_price_cents', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_column('hour_price_cents')
        batch_op.drop_column('unit_price_cents')
