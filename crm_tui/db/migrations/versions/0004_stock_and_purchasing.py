"""stock and purchasing

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 06:11:23.465896
"""

from alembic import op
import sqlalchemy as sa
import crm_tui.db.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('inquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=False),
    sa.Column('reply_by', sa.Date(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiries')),
    sa.UniqueConstraint('number', name=op.f('uq_inquiries_number'))
    )
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiries_status'), ['status'], unique=False)

    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('spec', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=True),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('sale_price', crm_tui.db.types.Money(), nullable=True),
    sa.Column('sale_price_gross', crm_tui.db.types.Money(), nullable=True),
    sa.Column('purchase_price', crm_tui.db.types.Money(), nullable=True),
    sa.Column('safety_stock', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('name_pinyin', sa.String(length=1000), nullable=True),
    sa.Column('name_initials', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('code', name=op.f('uq_products_code'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_barcode'), ['barcode'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_name_initials'), ['name_initials'], unique=False)

    op.create_table('suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=100), nullable=True),
    sa.Column('name_pinyin', sa.String(length=1000), nullable=True),
    sa.Column('name_initials', sa.String(length=500), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('bank', sa.String(length=100), nullable=True),
    sa.Column('account', sa.String(length=64), nullable=True),
    sa.Column('opening_balance', crm_tui.db.types.Money(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('code', name=op.f('uq_suppliers_code')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_suppliers_credit_code'))
    )
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppliers_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_suppliers_name_initials'), ['name_initials'], unique=False)

    op.create_table('warehouses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('keeper', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warehouses')),
    sa.UniqueConstraint('code', name=op.f('uq_warehouses_code'))
    )
    op.create_table('inquiry_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiries.id'], name=op.f('fk_inquiry_lines_inquiry_id_inquiries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_inquiry_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_lines')),
    sa.UniqueConstraint('inquiry_id', 'product_id', name=op.f('uq_inquiry_lines_inquiry_id_product_id'))
    )
    op.create_table('inquiry_quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('price', crm_tui.db.types.Money(), nullable=False),
    sa.Column('price_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiries.id'], name=op.f('fk_inquiry_quotes_inquiry_id_inquiries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_inquiry_quotes_product_id_products')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_inquiry_quotes_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_quotes')),
    sa.UniqueConstraint('inquiry_id', 'supplier_id', 'product_id', name=op.f('uq_inquiry_quotes_inquiry_id_supplier_id_product_id'))
    )
    op.create_table('inquiry_suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiries.id'], name=op.f('fk_inquiry_suppliers_inquiry_id_inquiries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_inquiry_suppliers_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_suppliers')),
    sa.UniqueConstraint('inquiry_id', 'supplier_id', name=op.f('uq_inquiry_suppliers_inquiry_id_supplier_id'))
    )
    with op.batch_alter_table('inquiry_suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_suppliers_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('product_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('stored_path', sa.String(length=500), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_images_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_images'))
    )
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_images_product_id'), ['product_id'], unique=False)

    op.create_table('product_safety_stock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_safety_stock_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_product_safety_stock_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_safety_stock')),
    sa.UniqueConstraint('product_id', 'warehouse_id', name=op.f('uq_product_safety_stock_product_id_warehouse_id'))
    )
    with op.batch_alter_table('product_safety_stock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_safety_stock_warehouse_id'), ['warehouse_id'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=True),
    sa.Column('inquiry_id', sa.Integer(), nullable=True),
    sa.Column('doc_date', sa.Date(), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=True),
    sa.Column('amount_net', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiries.id'], name=op.f('fk_purchase_orders_inquiry_id_inquiries')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_purchase_orders_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_orders_number'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_orders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('stock_balances',
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('value', crm_tui.db.types.Money(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('last_in_at', sa.DateTime(), nullable=True),
    sa.Column('last_out_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_balances_product_id_products')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_stock_balances_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('warehouse_id', 'product_id', name=op.f('pk_stock_balances'))
    )
    with op.batch_alter_table('stock_balances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_balances_product_id'), ['product_id'], unique=False)

    op.create_table('stock_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('doc_type', sa.String(length=32), nullable=False),
    sa.Column('doc_id', sa.Integer(), nullable=False),
    sa.Column('doc_number', sa.String(length=40), nullable=True),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('is_reversal', sa.Boolean(), nullable=False),
    sa.Column('moved_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_moves_product_id_products')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_stock_moves_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_moves'))
    )
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.create_index('ix_stock_moves_doc', ['doc_type', 'doc_id'], unique=False)
        batch_op.create_index('ix_stock_moves_product_time', ['product_id', 'moved_at'], unique=False)
        batch_op.create_index('ix_stock_moves_wh_product', ['warehouse_id', 'product_id'], unique=False)

    op.create_table('supplier_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=64), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('landline', sa.String(length=32), nullable=True),
    sa.Column('email', sa.String(length=128), nullable=True),
    sa.Column('wechat', sa.String(length=64), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_contacts_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_contacts'))
    )
    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_contacts_mobile'), ['mobile'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_contacts_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('supplier_prices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('price', crm_tui.db.types.Money(), nullable=False),
    sa.Column('price_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_number', sa.String(length=40), nullable=True),
    sa.Column('priced_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_supplier_prices_product_id_products')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_prices_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_prices')),
    sa.UniqueConstraint('supplier_id', 'product_id', name=op.f('uq_supplier_prices_supplier_id_product_id'))
    )
    with op.batch_alter_table('supplier_prices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_prices_product_id'), ['product_id'], unique=False)

    op.create_table('input_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('invoice_number', sa.String(length=40), nullable=False),
    sa.Column('invoice_type', sa.String(length=16), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('amount_net', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_input_invoices_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_input_invoices_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_input_invoices')),
    sa.UniqueConstraint('supplier_id', 'invoice_number', name=op.f('uq_input_invoices_supplier_id_invoice_number'))
    )
    with op.batch_alter_table('input_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_input_invoices_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_input_invoices_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('price', crm_tui.db.types.Money(), nullable=False),
    sa.Column('price_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('gross_entered', sa.Boolean(), nullable=False),
    sa.Column('tax_rate', crm_tui.db.types.Rate(), nullable=False),
    sa.Column('amount_net', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('received_quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_order_id_purchase_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchase_order_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines')),
    sa.UniqueConstraint('order_id', 'line_no', name=op.f('uq_purchase_order_lines_order_id_line_no'))
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_product_id'), ['product_id'], unique=False)

    op.create_table('purchase_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=False),
    sa.Column('amount_net', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_receipts_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_receipts_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_purchase_receipts_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_receipts')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_receipts_number'))
    )
    with op.batch_alter_table('purchase_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_receipts_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_receipts_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_receipts_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('supplier_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount', crm_tui.db.types.Money(), nullable=False),
    sa.Column('method', sa.String(length=32), nullable=True),
    sa.Column('account', sa.String(length=64), nullable=True),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_supplier_payments_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_payments_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_payments'))
    )
    with op.batch_alter_table('supplier_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_payments_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_payments_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_receipt_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('amount_net', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_gross', crm_tui.db.types.Money(), nullable=False),
    sa.ForeignKeyConstraint(['order_line_id'], ['purchase_order_lines.id'], name=op.f('fk_purchase_receipt_lines_order_line_id_purchase_order_lines')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchase_receipt_lines_product_id_products')),
    sa.ForeignKeyConstraint(['receipt_id'], ['purchase_receipts.id'], name=op.f('fk_purchase_receipt_lines_receipt_id_purchase_receipts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_receipt_lines'))
    )
    with op.batch_alter_table('purchase_receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_receipt_lines_order_line_id'), ['order_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_receipt_lines_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('stock_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('to_warehouse_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('recipient', sa.String(length=100), nullable=True),
    sa.Column('doc_date', sa.Date(), nullable=False),
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
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_stock_documents_customer_id_customers')),
    sa.ForeignKeyConstraint(['to_warehouse_id'], ['warehouses.id'], name=op.f('fk_stock_documents_to_warehouse_id_warehouses')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_stock_documents_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_documents')),
    sa.UniqueConstraint('number', name=op.f('uq_stock_documents_number'))
    )
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_documents_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_documents_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_documents_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_documents_warehouse_id'), ['warehouse_id'], unique=False)

    op.create_table('stock_document_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=True),
    sa.Column('book_quantity', crm_tui.db.types.Quantity(), nullable=True),
    sa.Column('counted_quantity', crm_tui.db.types.Quantity(), nullable=True),
    sa.Column('remarks', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['stock_documents.id'], name=op.f('fk_stock_document_lines_document_id_stock_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_document_lines_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_document_lines')),
    sa.UniqueConstraint('document_id', 'line_no', name=op.f('uq_stock_document_lines_document_id_line_no'))
    )
    with op.batch_alter_table('stock_document_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_document_lines_product_id'), ['product_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('stock_document_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_document_lines_product_id'))

    op.drop_table('stock_document_lines')
    with op.batch_alter_table('stock_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_documents_warehouse_id'))
        batch_op.drop_index(batch_op.f('ix_stock_documents_status'))
        batch_op.drop_index(batch_op.f('ix_stock_documents_kind'))
        batch_op.drop_index(batch_op.f('ix_stock_documents_customer_id'))

    op.drop_table('stock_documents')
    with op.batch_alter_table('purchase_receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_receipt_lines_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_receipt_lines_order_line_id'))

    op.drop_table('purchase_receipt_lines')
    with op.batch_alter_table('supplier_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_payments_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_payments_order_id'))

    op.drop_table('supplier_payments')
    with op.batch_alter_table('purchase_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_receipts_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_receipts_status'))
        batch_op.drop_index(batch_op.f('ix_purchase_receipts_order_id'))

    op.drop_table('purchase_receipts')
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_product_id'))

    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('input_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_input_invoices_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_input_invoices_order_id'))

    op.drop_table('input_invoices')
    with op.batch_alter_table('supplier_prices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_prices_product_id'))

    op.drop_table('supplier_prices')
    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_mobile'))

    op.drop_table('supplier_contacts')
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.drop_index('ix_stock_moves_wh_product')
        batch_op.drop_index('ix_stock_moves_product_time')
        batch_op.drop_index('ix_stock_moves_doc')

    op.drop_table('stock_moves')
    with op.batch_alter_table('stock_balances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_balances_product_id'))

    op.drop_table('stock_balances')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_orders_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_status'))

    op.drop_table('purchase_orders')
    with op.batch_alter_table('product_safety_stock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_safety_stock_warehouse_id'))

    op.drop_table('product_safety_stock')
    with op.batch_alter_table('product_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_images_product_id'))

    op.drop_table('product_images')
    with op.batch_alter_table('inquiry_suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_suppliers_supplier_id'))

    op.drop_table('inquiry_suppliers')
    op.drop_table('inquiry_quotes')
    op.drop_table('inquiry_lines')
    op.drop_table('warehouses')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suppliers_name_initials'))
        batch_op.drop_index(batch_op.f('ix_suppliers_name'))

    op.drop_table('suppliers')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_name_initials'))
        batch_op.drop_index(batch_op.f('ix_products_name'))
        batch_op.drop_index(batch_op.f('ix_products_category'))
        batch_op.drop_index(batch_op.f('ix_products_barcode'))
        batch_op.drop_index(batch_op.f('ix_products_active'))

    op.drop_table('products')
    with op.batch_alter_table('inquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiries_status'))

    op.drop_table('inquiries')

