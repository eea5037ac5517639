"""task_feeling, task_wish, training_goal: the participant's own voice

Revision ID: 0016_voice
Revises: 0015_privacy
Create Date: 2026-12-07 23:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_voice'
down_revision = '0015_privacy'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('task_feeling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('task_type_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('feeling', sa.String(length=4), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("feeling IN ('good', 'ok', 'bad')", name=op.f('ck_task_feeling_feeling_known')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_task_feeling_kiosk_id_kiosk'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_task_feeling_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('fk_task_feeling_task_type_id_task_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_feeling')),
    sa.UniqueConstraint('participant_id', 'task_type_id', 'day', name=op.f('uq_task_feeling_participant_id'))
    )
    with op.batch_alter_table('task_feeling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_feeling_participant_id'), ['participant_id'], unique=False)

    op.create_table('task_wish',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('task_type_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('wished_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('outcome_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('preference', 'goal', 'noted')", name=op.f('ck_task_wish_outcome_known')),
    sa.ForeignKeyConstraint(['outcome_by_id'], ['user_account.id'], name=op.f('fk_task_wish_outcome_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_task_wish_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('fk_task_wish_task_type_id_task_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_wish')),
    sa.UniqueConstraint('participant_id', 'task_type_id', name=op.f('uq_task_wish_participant_id'))
    )
    with op.batch_alter_table('task_wish', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_wish_participant_id'), ['participant_id'], unique=False)

    op.create_table('training_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('task_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_training_goal_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_training_goal_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('fk_training_goal_task_type_id_task_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_goal')),
    sa.UniqueConstraint('participant_id', 'task_type_id', name=op.f('uq_training_goal_participant_id'))
    )
    with op.batch_alter_table('training_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_goal_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('training_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_goal_participant_id'))

    op.drop_table('training_goal')
    with op.batch_alter_table('task_wish', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_wish_participant_id'))

    op.drop_table('task_wish')
    with op.batch_alter_table('task_feeling', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_feeling_participant_id'))

    op.drop_table('task_feeling')
