"""order_number: order numbers allocated by one atomic UPDATE per order

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 16:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'order_number',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('year'),
    )


def downgrade():
    op.drop_table('order_number')
