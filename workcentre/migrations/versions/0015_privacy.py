"""privacy: the day a participant left, erasure, photo consent, the centre's retention periods

Revision ID: 0015_privacy
Revises: 0013
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_privacy'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('symbol', sa.String(length=40), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('photo_consent_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('photo_consent_use', sa.String(length=60), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('photo_consent_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_participant_photo_consent_by_id_user_account'), 'user_account',
            ['photo_consent_by_id'], ['id'])
    # People who left before this: their retention period starts from the upgrade.
    op.execute("UPDATE participant SET left_on = CURRENT_DATE WHERE NOT active")
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), nullable=False,
                                      server_default='12'))
        batch_op.add_column(sa.Column('audit_retention_months', sa.Integer(), nullable=False,
                                      server_default='24'))


def downgrade():
    with op.batch_alter_table('centre', schema=None) as batch_op:
        batch_op.drop_column('audit_retention_months')
        batch_op.drop_column('retention_months')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participant_photo_consent_by_id_user_account'),
                                 type_='foreignkey')
        batch_op.drop_column('photo_consent_by_id')
        batch_op.drop_column('photo_consent_use')
        batch_op.drop_column('photo_consent_on')
        batch_op.drop_column('symbol')
        batch_op.drop_column('erased_at')
        batch_op.drop_column('left_on')
