"""credit: customer payment terms and price class, class and customer prices, couriers, due dates

Revision ID: 0009_credit
Revises: 0009_analysis
Create Date: 2026-12-07 19:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_credit'
down_revision = '0009_analysis'
branch_labels = None
depends_on = None


def _stamps() -> list:
    return [sa.Column('version', sa.Integer(), nullable=False),
            sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table('customer_terms',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('terms', sa.String(length=8), nullable=True),
    sa.Column('price_class', sa.String(length=16), nullable=True),
    *_stamps(),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_terms_customer_id_customers'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_customer_terms'))
    )
    op.create_table('class_prices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('price_class', sa.String(length=16), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.String(length=8), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    *_stamps(),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_class_prices_product_id_products'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_prices')),
    sa.UniqueConstraint('price_class', 'product_id', name=op.f('uq_class_prices_price_class_product_id'))
    )
    op.create_index(op.f('ix_class_prices_product_id'), 'class_prices', ['product_id'], unique=False)
    op.create_table('customer_prices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.String(length=8), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    *_stamps(),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_prices_customer_id_customers'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_customer_prices_product_id_products'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_prices')),
    sa.UniqueConstraint('customer_id', 'product_id', name=op.f('uq_customer_prices_customer_id_product_id'))
    )
    op.create_index(op.f('ix_customer_prices_customer_id'), 'customer_prices', ['customer_id'], unique=False)
    op.create_index(op.f('ix_customer_prices_product_id'), 'customer_prices', ['product_id'], unique=False)
    op.create_table('couriers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    *_stamps(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_couriers')),
    sa.UniqueConstraint('name', name=op.f('uq_couriers_name'))
    )
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('due_date', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_sales_orders_due_date'), ['due_date'], unique=False)
    with op.batch_alter_table('sales_invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_date', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_sales_invoices_due_date'), ['due_date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sales_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_invoices_due_date'))
        batch_op.drop_column('due_date')
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_orders_due_date'))
        batch_op.drop_column('due_date')
        batch_op.drop_column('terms')
    op.drop_table('couriers')
    op.drop_index(op.f('ix_customer_prices_product_id'), table_name='customer_prices')
    op.drop_index(op.f('ix_customer_prices_customer_id'), table_name='customer_prices')
    op.drop_table('customer_prices')
    op.drop_index(op.f('ix_class_prices_product_id'), table_name='class_prices')
    op.drop_table('class_prices')
    op.drop_table('customer_terms')
