"""sales flow: quotes, orders, delivery notices, stock-outs, tracking numbers, receipts, invoices, expenses, approvals

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 06:45:36.368722
"""

from alembic import op
import sqlalchemy as sa
import crm_tui.db.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('receipt_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('bank', sa.String(length=100), nullable=True),
    sa.Column('account_no', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_accounts')),
    sa.UniqueConstraint('name', name=op.f('uq_receipt_accounts_name'))
    )
    op.create_table('approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('amount', crm_tui.db.types.Money(), nullable=True),
    sa.Column('discount', crm_tui.db.types.Rate(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('comment', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_approvals_customer_id_customers')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_approvals_requested_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index('ix_approvals_doc', ['kind', 'doc_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approvals_requested_by'), ['requested_by'], unique=False)
        batch_op.create_index('ix_approvals_status_kind', ['status', 'kind'], unique=False)

    op.create_table('delivery_notices',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=True),
    sa.Column('notice_date', sa.Date(), nullable=False),
    sa.Column('ship_by', sa.Date(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
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
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_delivery_notices_customer_id_customers')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_delivery_notices_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_notices')),
    sa.UniqueConstraint('number', name=op.f('uq_delivery_notices_number'))
    )
    with op.batch_alter_table('delivery_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_notices_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_notices_notice_date'), ['notice_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_notices_status'), ['status'], unique=False)

    op.create_table('quotes',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('quote_date', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
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
    sa.Column('net_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['copied_from_id'], ['quotes.id'], name=op.f('fk_quotes_copied_from_id_quotes')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_quotes_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_quotes_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('number', name=op.f('uq_quotes_number'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_quote_date'), ['quote_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_status'), ['status'], unique=False)

    op.create_table('receipts',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('amount_cny', crm_tui.db.types.Money(), nullable=False),
    sa.Column('fee', crm_tui.db.types.Money(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('import_key', sa.String(length=64), nullable=True),
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
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['receipt_accounts.id'], name=op.f('fk_receipts_account_id_receipt_accounts')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_receipts_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_receipts_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipts')),
    sa.UniqueConstraint('import_key', name=op.f('uq_receipts_import_key')),
    sa.UniqueConstraint('number', name=op.f('uq_receipts_number'))
    )
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.create_index('ix_receipts_customer_date', ['customer_id', 'received_on', 'status', 'amount_cny'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipts_status'), ['status'], unique=False)

    op.create_table('sales_stock_outs',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('out_date', sa.Date(), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('cost_total', crm_tui.db.types.Money(), nullable=False),
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
    sa.Column('net_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_stock_outs_customer_id_customers')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_sales_stock_outs_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_stock_outs')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_stock_outs_number'))
    )
    with op.batch_alter_table('sales_stock_outs', schema=None) as batch_op:
        batch_op.create_index('ix_sales_stock_outs_customer_date', ['customer_id', 'out_date', 'status', 'gross_total'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_stock_outs_out_date'), ['out_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_stock_outs_status'), ['status'], unique=False)

    op.create_table('quote_lines',
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('price_basis', sa.String(length=8), nullable=False),
    sa.Column('entered_price', sa.BigInteger(), nullable=False),
    sa.Column('discount', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('net_price', sa.BigInteger(), nullable=False),
    sa.Column('gross_price', sa.BigInteger(), nullable=False),
    sa.Column('list_price', sa.BigInteger(), nullable=True),
    sa.Column('net_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_quote_lines_product_id_products')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_lines_quote_id_quotes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_lines')),
    sa.UniqueConstraint('quote_id', 'line_no', name=op.f('uq_quote_lines_quote_id_line_no'))
    )
    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quote_lines_product_id'), ['product_id'], unique=False)

    op.create_table('sales_orders',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('external_ref', sa.String(length=64), nullable=True),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('delivery_address', sa.String(length=300), nullable=True),
    sa.Column('payment_terms', sa.String(length=200), nullable=True),
    sa.Column('approved_discount', crm_tui.db.types.Rate(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('done_reason', sa.String(length=16), nullable=True),
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
    sa.Column('net_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_total', crm_tui.db.types.Money(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_orders_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_sales_orders_owner_id_users')),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_sales_orders_quote_id_quotes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_orders')),
    sa.UniqueConstraint('customer_id', 'external_ref', name=op.f('uq_sales_orders_customer_id_external_ref')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_orders_number'))
    )
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.create_index('ix_sales_orders_customer_date', ['customer_id', 'order_date', 'status', 'gross_total'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_orders_external_ref'), ['external_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_orders_order_date'), ['order_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_orders_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_orders_quote_id'), ['quote_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_orders_status'), ['status'], unique=False)

    op.create_table('expense_claims',
    sa.Column('claimant_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_comment', sa.String(length=300), nullable=True),
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
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claimant_id'], ['users.id'], name=op.f('fk_expense_claims_claimant_id_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_expense_claims_customer_id_customers')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_expense_claims_order_id_sales_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_claims')),
    sa.UniqueConstraint('number', name=op.f('uq_expense_claims_number'))
    )
    with op.batch_alter_table('expense_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_claims_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_claimant_id'), ['claimant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_spent_on'), ['spent_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_claims_status'), ['status'], unique=False)

    op.create_table('receipt_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_receipt_applications_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], name=op.f('fk_receipt_applications_receipt_id_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_applications')),
    sa.UniqueConstraint('receipt_id', 'order_id', name=op.f('uq_receipt_applications_receipt_id_order_id'))
    )
    with op.batch_alter_table('receipt_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_applications_order_id'), ['order_id'], unique=False)

    op.create_table('sales_invoices',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('invoice_no', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('net_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_amount', crm_tui.db.types.Money(), nullable=False),
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
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_invoices_customer_id_customers')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_sales_invoices_order_id_sales_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_invoices')),
    sa.UniqueConstraint('invoice_no', name=op.f('uq_sales_invoices_invoice_no')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_invoices_number'))
    )
    with op.batch_alter_table('sales_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_invoices_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_invoices_invoice_date'), ['invoice_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_invoices_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_invoices_status'), ['status'], unique=False)

    op.create_table('sales_order_lines',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('shipped_quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('price_basis', sa.String(length=8), nullable=False),
    sa.Column('entered_price', sa.BigInteger(), nullable=False),
    sa.Column('discount', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('net_price', sa.BigInteger(), nullable=False),
    sa.Column('gross_price', sa.BigInteger(), nullable=False),
    sa.Column('list_price', sa.BigInteger(), nullable=True),
    sa.Column('net_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_sales_order_lines_order_id_sales_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_sales_order_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order_lines')),
    sa.UniqueConstraint('order_id', 'line_no', name=op.f('uq_sales_order_lines_order_id_line_no'))
    )
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.create_index('ix_sales_order_lines_order', ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_order_lines_product_id'), ['product_id'], unique=False)

    op.create_table('delivery_notice_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('shipped_quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['delivery_notices.id'], name=op.f('fk_delivery_notice_lines_notice_id_delivery_notices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['sales_order_lines.id'], name=op.f('fk_delivery_notice_lines_order_line_id_sales_order_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_notice_lines')),
    sa.UniqueConstraint('notice_id', 'line_no', name=op.f('uq_delivery_notice_lines_notice_id_line_no'))
    )
    with op.batch_alter_table('delivery_notice_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_notice_lines_order_line_id'), ['order_line_id'], unique=False)

    op.create_table('tracking_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('stock_out_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('courier', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('shipped_on', sa.Date(), nullable=False),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_tracking_numbers_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['sales_invoices.id'], name=op.f('fk_tracking_numbers_invoice_id_sales_invoices')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_orders.id'], name=op.f('fk_tracking_numbers_order_id_sales_orders')),
    sa.ForeignKeyConstraint(['stock_out_id'], ['sales_stock_outs.id'], name=op.f('fk_tracking_numbers_stock_out_id_sales_stock_outs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_numbers'))
    )
    with op.batch_alter_table('tracking_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracking_numbers_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_numbers_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_numbers_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_numbers_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_numbers_stock_out_id'), ['stock_out_id'], unique=False)

    op.create_table('sales_stock_out_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stock_out_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('notice_line_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('net_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('cost_amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['notice_line_id'], ['delivery_notice_lines.id'], name=op.f('fk_sales_stock_out_lines_notice_line_id_delivery_notice_lines')),
    sa.ForeignKeyConstraint(['order_line_id'], ['sales_order_lines.id'], name=op.f('fk_sales_stock_out_lines_order_line_id_sales_order_lines')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_sales_stock_out_lines_product_id_products')),
    sa.ForeignKeyConstraint(['stock_out_id'], ['sales_stock_outs.id'], name=op.f('fk_sales_stock_out_lines_stock_out_id_sales_stock_outs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_sales_stock_out_lines_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_stock_out_lines')),
    sa.UniqueConstraint('stock_out_id', 'line_no', name=op.f('uq_sales_stock_out_lines_stock_out_id_line_no'))
    )
    with op.batch_alter_table('sales_stock_out_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_stock_out_lines_notice_line_id'), ['notice_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_stock_out_lines_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_stock_out_lines_product_id'), ['product_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sales_stock_out_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_stock_out_lines_product_id'))
        batch_op.drop_index(batch_op.f('ix_sales_stock_out_lines_order_line_id'))
        batch_op.drop_index(batch_op.f('ix_sales_stock_out_lines_notice_line_id'))

    op.drop_table('sales_stock_out_lines')
    with op.batch_alter_table('tracking_numbers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracking_numbers_stock_out_id'))
        batch_op.drop_index(batch_op.f('ix_tracking_numbers_order_id'))
        batch_op.drop_index(batch_op.f('ix_tracking_numbers_number'))
        batch_op.drop_index(batch_op.f('ix_tracking_numbers_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_tracking_numbers_customer_id'))

    op.drop_table('tracking_numbers')
    with op.batch_alter_table('delivery_notice_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_notice_lines_order_line_id'))

    op.drop_table('delivery_notice_lines')
    with op.batch_alter_table('sales_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_order_lines_product_id'))
        batch_op.drop_index('ix_sales_order_lines_order')

    op.drop_table('sales_order_lines')
    with op.batch_alter_table('sales_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_invoices_status'))
        batch_op.drop_index(batch_op.f('ix_sales_invoices_order_id'))
        batch_op.drop_index(batch_op.f('ix_sales_invoices_invoice_date'))
        batch_op.drop_index(batch_op.f('ix_sales_invoices_customer_id'))

    op.drop_table('sales_invoices')
    with op.batch_alter_table('receipt_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_applications_order_id'))

    op.drop_table('receipt_applications')
    with op.batch_alter_table('expense_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_claims_status'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_spent_on'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_order_id'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_customer_id'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_claimant_id'))
        batch_op.drop_index(batch_op.f('ix_expense_claims_category'))

    op.drop_table('expense_claims')
    with op.batch_alter_table('sales_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_orders_status'))
        batch_op.drop_index(batch_op.f('ix_sales_orders_quote_id'))
        batch_op.drop_index(batch_op.f('ix_sales_orders_owner_id'))
        batch_op.drop_index(batch_op.f('ix_sales_orders_order_date'))
        batch_op.drop_index(batch_op.f('ix_sales_orders_external_ref'))
        batch_op.drop_index('ix_sales_orders_customer_date')

    op.drop_table('sales_orders')
    with op.batch_alter_table('quote_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quote_lines_product_id'))

    op.drop_table('quote_lines')
    with op.batch_alter_table('sales_stock_outs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_stock_outs_status'))
        batch_op.drop_index(batch_op.f('ix_sales_stock_outs_out_date'))
        batch_op.drop_index('ix_sales_stock_outs_customer_date')

    op.drop_table('sales_stock_outs')
    with op.batch_alter_table('receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipts_status'))
        batch_op.drop_index(batch_op.f('ix_receipts_received_on'))
        batch_op.drop_index(batch_op.f('ix_receipts_owner_id'))
        batch_op.drop_index('ix_receipts_customer_date')

    op.drop_table('receipts')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_status'))
        batch_op.drop_index(batch_op.f('ix_quotes_quote_date'))
        batch_op.drop_index(batch_op.f('ix_quotes_owner_id'))
        batch_op.drop_index(batch_op.f('ix_quotes_customer_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('delivery_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_notices_status'))
        batch_op.drop_index(batch_op.f('ix_delivery_notices_notice_date'))
        batch_op.drop_index(batch_op.f('ix_delivery_notices_customer_id'))

    op.drop_table('delivery_notices')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index('ix_approvals_status_kind')
        batch_op.drop_index(batch_op.f('ix_approvals_requested_by'))
        batch_op.drop_index('ix_approvals_doc')

    op.drop_table('approvals')
    op.drop_table('receipt_accounts')
