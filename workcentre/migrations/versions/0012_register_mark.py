"""register_mark: the daily register of who came

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('register_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('half', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('reason_code', sa.String(length=12), nullable=False),
    sa.Column('reason_text', sa.String(length=200), nullable=False),
    sa.Column('arrived_at', sa.String(length=5), nullable=True),
    sa.Column('absence_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('present', 'absent', 'late')", name=op.f('ck_register_mark_status_known')),
    sa.CheckConstraint("half IN ('am', 'pm')", name=op.f('ck_register_mark_half_known')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_register_mark_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['absence_id'], ['absence.id'], name=op.f('fk_register_mark_absence_id_absence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_register_mark_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_mark')),
    sa.UniqueConstraint('participant_id', 'day', 'half', name=op.f('uq_register_mark_participant_id'))
    )
    with op.batch_alter_table('register_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_mark_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('register_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_register_mark_participant_id'))
    op.drop_table('register_mark')
