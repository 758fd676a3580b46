"""sales returns and red-letter invoices

Revision ID: 0010_sret
Revises: 0010_uom
Create Date: 2026-12-07 21:50:00
"""

from alembic import op
import sqlalchemy as sa
import crm_tui.db.types


revision = '0010_sret'
down_revision = '0010_uom'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_returns',
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('net_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('stock_out_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('return_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('cost_total', crm_tui.db.types.Money(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_returns_customer_id_customers')),
    sa.ForeignKeyConstraint(['stock_out_id'], ['sales_stock_outs.id'], name=op.f('fk_sales_returns_stock_out_id_sales_stock_outs')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_sales_returns_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_returns')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_returns_number'))
    )
    with op.batch_alter_table('sales_returns', schema=None) as batch_op:
        batch_op.create_index('ix_sales_returns_customer_date', ['customer_id', 'return_date', 'status', 'gross_total'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_returns_return_date'), ['return_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_returns_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_returns_stock_out_id'), ['stock_out_id'], unique=False)

    op.create_table('sales_red_invoices',
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('return_id', sa.Integer(), nullable=True),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('net_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_red_invoices_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['sales_invoices.id'], name=op.f('fk_sales_red_invoices_invoice_id_sales_invoices')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_sales_red_invoices_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['return_id'], ['sales_returns.id'], name=op.f('fk_sales_red_invoices_return_id_sales_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_red_invoices')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_red_invoices_number'))
    )
    with op.batch_alter_table('sales_red_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_red_invoices_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_red_invoices_invoice_date'), ['invoice_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_red_invoices_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_red_invoices_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_red_invoices_return_id'), ['return_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_red_invoices_status'), ['status'], unique=False)

    op.create_table('sales_return_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('stock_out_line_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('unit_factor', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('net_price', sa.BigInteger(), nullable=False),
    sa.Column('gross_price', sa.BigInteger(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('net_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('cost_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_sales_return_lines_product_id_products')),
    sa.ForeignKeyConstraint(['return_id'], ['sales_returns.id'], name=op.f('fk_sales_return_lines_return_id_sales_returns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stock_out_line_id'], ['sales_stock_out_lines.id'], name=op.f('fk_sales_return_lines_stock_out_line_id_sales_stock_out_lines')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_sales_return_lines_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_return_lines')),
    sa.UniqueConstraint('return_id', 'line_no', name=op.f('uq_sales_return_lines_return_id_line_no'))
    )
    with op.batch_alter_table('sales_return_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_return_lines_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_return_lines_stock_out_line_id'), ['stock_out_line_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sales_return_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_return_lines_stock_out_line_id'))
        batch_op.drop_index(batch_op.f('ix_sales_return_lines_product_id'))

    op.drop_table('sales_return_lines')
    with op.batch_alter_table('sales_red_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_red_invoices_status'))
        batch_op.drop_index(batch_op.f('ix_sales_red_invoices_return_id'))
        batch_op.drop_index(batch_op.f('ix_sales_red_invoices_order_id'))
        batch_op.drop_index(batch_op.f('ix_sales_red_invoices_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_sales_red_invoices_invoice_date'))
        batch_op.drop_index(batch_op.f('ix_sales_red_invoices_customer_id'))

    op.drop_table('sales_red_invoices')
    with op.batch_alter_table('sales_returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_returns_stock_out_id'))
        batch_op.drop_index(batch_op.f('ix_sales_returns_status'))
        batch_op.drop_index(batch_op.f('ix_sales_returns_return_date'))
        batch_op.drop_index('ix_sales_returns_customer_date')

    op.drop_table('sales_returns')
