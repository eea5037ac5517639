"""learning_decision: standard times and paces suggested from the reports, accepted or not

Revision ID: 0018_learning
Revises: 0017_reports
Create Date: 2026-12-12 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_learning'
down_revision = '0017_reports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'learning_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=True),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('old_value', sa.Integer(), nullable=False),
        sa.Column('new_value', sa.Integer(), nullable=False),
        sa.Column('half_days', sa.Integer(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('accepted', sa.Boolean(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('(product_id IS NULL) <> (participant_id IS NULL)',
                           name=op.f('ck_learning_decision_one_subject')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                                name=op.f('fk_learning_decision_decided_by_id_user_account')),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE',
                                name=op.f('fk_learning_decision_participant_id_participant')),
        sa.ForeignKeyConstraint(['product_id'], ['product.id'], ondelete='CASCADE',
                                name=op.f('fk_learning_decision_product_id_product')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_decision')),
    )
    with op.batch_alter_table('learning_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_decision_participant_id'),
                              ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learning_decision_product_id'), ['product_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('learning_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_decision_product_id'))
        batch_op.drop_index(batch_op.f('ix_learning_decision_participant_id'))
    op.drop_table('learning_decision')
