"""pin_guard and units_check: picture-code tries on the server, units an instructor checks

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pin_guard',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosk.id'], name=op.f('fk_pin_guard_kiosk_id_kiosk'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_pin_guard_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('participant_id', 'kiosk_id', name=op.f('pk_pin_guard'))
    )
    op.create_table('units_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_units_check_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_units_check_participant_id_participant')),
    sa.ForeignKeyConstraint(['report_id'], ['progress_report.id'], name=op.f('fk_units_check_report_id_progress_report')),
    sa.ForeignKeyConstraint(['step_id'], ['order_step.id'], name=op.f('fk_units_check_step_id_order_step')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units_check'))
    )
    with op.batch_alter_table('units_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_check_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_check_step_id'), ['step_id'], unique=False)


def downgrade():
    with op.batch_alter_table('units_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_check_step_id'))
        batch_op.drop_index(batch_op.f('ix_units_check_report_id'))
    op.drop_table('units_check')
    op.drop_table('pin_guard')
