"""approvals: routed to the customer's salesperson's chain; the request's sentence as a code and parameters

Revision ID: 0007_salesB
Revises: (chained at merge)
Create Date: 2026-12-07 15:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_salesB'
down_revision = '0008_tally_promotion_store'
branch_labels = None
depends_on = None

# Existing requests go to the chain of their customer's salesperson (orders) or of their writer; their stored
# free text stays as it is and is shown as before (message_code NULL).
BACKFILL = """UPDATE approvals SET route_owner_id = COALESCE(
    (SELECT customers.owner_id FROM customers
     WHERE customers.id = approvals.customer_id AND approvals.kind = 'order_discount'),
    requested_by)"""


def upgrade() -> None:
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('message_args', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('route_owner_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_approvals_route_owner_id'), ['route_owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_approvals_route_owner_id_users'), 'users', ['route_owner_id'],
                                    ['id'])
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_approvals_route_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_approvals_route_owner_id'))
        batch_op.drop_column('route_owner_id')
        batch_op.drop_column('message_args')
        batch_op.drop_column('message_code')
