"""analysis: monthly sales targets per salesperson

Revision ID: 0009_analysis
Revises: 0009_messaging
Create Date: 2026-12-07 18:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_analysis'
down_revision = '0009_messaging'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sales_targets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_targets')),
    sa.UniqueConstraint('user_id', 'month', name=op.f('uq_sales_targets_user_id_month'))
    )
    with op.batch_alter_table('sales_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_targets_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_targets_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sales_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_targets_user_id'))
        batch_op.drop_index(batch_op.f('ix_sales_targets_month'))
    op.drop_table('sales_targets')
