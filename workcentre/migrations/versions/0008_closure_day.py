"""closure_day, actual_count: a centre's closure days; last week's confirmed units

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('closure_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_closure_day_centre_id_centre'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure_day')),
    sa.UniqueConstraint('centre_id', 'day', name=op.f('uq_closure_day_centre_id'))
    )
    with op.batch_alter_table('closure_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closure_day_centre_id'), ['centre_id'], unique=False)
    op.create_table('actual_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_actual_count_centre_id_centre'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_actual_count_confirmed_by_id_user_account')),
    sa.ForeignKeyConstraint(['step_id'], ['order_step.id'], name=op.f('fk_actual_count_step_id_order_step'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actual_count')),
    sa.UniqueConstraint('step_id', 'week', name=op.f('uq_actual_count_step_id'))
    )
    with op.batch_alter_table('actual_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actual_count_centre_id'), ['centre_id'], unique=False)


def downgrade():
    with op.batch_alter_table('actual_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actual_count_centre_id'))
    op.drop_table('actual_count')
    with op.batch_alter_table('closure_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closure_day_centre_id'))
    op.drop_table('closure_day')
