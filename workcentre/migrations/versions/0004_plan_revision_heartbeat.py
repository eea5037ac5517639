"""week_plan.revision (optimistic concurrency), week_plan.instance (the instance a version was
solved from), plan_run.heartbeat_at (a dead solving process is noticed at once)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 16:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('week_plan') as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('instance', sa.JSON(), nullable=True))
    with op.batch_alter_table('plan_run') as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('plan_run') as batch_op:
        batch_op.drop_column('heartbeat_at')
    with op.batch_alter_table('week_plan') as batch_op:
        batch_op.drop_column('instance')
        batch_op.drop_column('revision')
