"""participant.tablet_language: the language a person chose on the tablet

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tablet_language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('tablet_language')
