"""customer_search_pending: search rows of bulk-imported customers waiting for the index (db/search.py)

Revision ID: 0011_defer
Revises: 0010_srch
Create Date: 2026-12-08 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_defer'
down_revision = '0010_srch'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No FTS table, trigger or GIN index: a plain table is cheap to fill; queries scan it while it holds rows.
    op.create_table('customer_search_pending',
    sa.Column('customer_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('doc', sa.Text(), nullable=False),
    sa.Column('grams', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                            name=op.f('fk_customer_search_pending_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_customer_search_pending'))
    )


def downgrade() -> None:
    # pending rows would be lost with the table: put them into the index first
    op.execute("INSERT INTO customer_search (customer_id, doc, grams) "
               "SELECT customer_id, doc, grams FROM customer_search_pending")
    op.drop_table('customer_search_pending')
