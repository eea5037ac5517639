"""A run may re-plan up to a slot (the rest of one day) and keep the slots after it.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_run') as batch:
        batch.add_column(sa.Column('until_slot', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('plan_run') as batch:
        batch.drop_column('until_slot')
