"""A run may re-plan up to a slot (the rest of one day) and keep the slots after it; centres,
companies and products get a name key (case and spacing folded), unique for centres and
companies.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

NAMED = ('centre', 'company', 'product')


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def upgrade():
    with op.batch_alter_table('plan_run') as batch:
        batch.add_column(sa.Column('until_slot', sa.String(length=10), nullable=True))
    bind = op.get_bind()
    for table in NAMED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
        rows = bind.execute(sa.text(f'SELECT id, name FROM {table}')).fetchall()
        for row_id, name in rows:
            bind.execute(sa.text(f'UPDATE {table} SET name_key = :key WHERE id = :id'),
                         {'key': _key(name), 'id': row_id})
    for table in ('centre', 'company'):
        with op.batch_alter_table(table) as batch:
            batch.alter_column('name_key', existing_type=sa.String(length=200), nullable=False)
            batch.create_unique_constraint(f'uq_{table}_name_key', ['name_key'])
    with op.batch_alter_table('product') as batch:
        batch.alter_column('name_key', existing_type=sa.String(length=200), nullable=False)
        batch.create_index('ix_product_name_key', ['centre_id', 'name_key'])


def downgrade():
    with op.batch_alter_table('product') as batch:
        batch.drop_index('ix_product_name_key')
        batch.drop_column('name_key')
    for table in ('centre', 'company'):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f'uq_{table}_name_key', type_='unique')
            batch.drop_column('name_key')
    with op.batch_alter_table('plan_run') as batch:
        batch.drop_column('until_slot')
