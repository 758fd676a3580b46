"""customers: the promotion store flag (超市促销店 / 促销餐饮店) the visit tally's 促销主管 rules read

Revision ID: 0008_tally_promotion_store
Revises: 0007_tally_upload_flags
Create Date: 2026-12-07 15:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_tally_promotion_store'
down_revision = '0007_tally_upload_flags'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('promotion_store', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_customers_promotion_store'), ['promotion_store'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_promotion_store'))
        batch_op.drop_column('promotion_store')
