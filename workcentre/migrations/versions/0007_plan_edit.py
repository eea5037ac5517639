"""plan_edit: a hand edit's proposal, and what undo restores

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.String(length=10), nullable=False),
    sa.Column('step', sa.String(length=60), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('base', sa.String(length=64), nullable=False),
    sa.Column('after', sa.String(length=64), nullable=True),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('proposal', sa.JSON(), nullable=False),
    sa.Column('moves', sa.JSON(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_plan_edit_centre_id_centre')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_plan_edit_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_plan_edit_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['week_plan.id'], name=op.f('fk_plan_edit_plan_id_week_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_edit'))
    )
    with op.batch_alter_table('plan_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_edit_centre_id'), ['centre_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_edit_centre_id'))
    op.drop_table('plan_edit')
