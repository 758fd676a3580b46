"""purchase returns (采购退货) and their lines

Revision ID: 0010_pret
Revises: 0010_sret
Create Date: 2026-12-07 22:00:00
"""

from alembic import op
import sqlalchemy as sa
import crm_tui.db.types


revision = '0010_pret'
down_revision = '0010_sret'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('purchase_returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('amount_net', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('cost', crm_tui.db.types.Money(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['purchase_receipts.id'], name=op.f('fk_purchase_returns_receipt_id_purchase_receipts')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_returns_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_purchase_returns_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_returns')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_returns_number'))
    )
    with op.batch_alter_table('purchase_returns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_returns_receipt_id'), ['receipt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_returns_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_returns_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_return_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('receipt_line_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('unit_factor', crm_tui.db.types.Quantity(), nullable=False),
    sa.Column('unit_price', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_net', crm_tui.db.types.Money(), nullable=False),
    sa.Column('tax', crm_tui.db.types.Money(), nullable=False),
    sa.Column('amount_gross', crm_tui.db.types.Money(), nullable=False),
    sa.Column('cost', crm_tui.db.types.Money(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchase_return_lines_product_id_products')),
    sa.ForeignKeyConstraint(['receipt_line_id'], ['purchase_receipt_lines.id'], name=op.f('fk_purchase_return_lines_receipt_line_id_purchase_receipt_lines')),
    sa.ForeignKeyConstraint(['return_id'], ['purchase_returns.id'], name=op.f('fk_purchase_return_lines_return_id_purchase_returns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_return_lines'))
    )
    with op.batch_alter_table('purchase_return_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_return_lines_receipt_line_id'), ['receipt_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_return_lines_return_id'), ['return_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('purchase_return_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_return_lines_return_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_return_lines_receipt_line_id'))

    op.drop_table('purchase_return_lines')
    with op.batch_alter_table('purchase_returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_returns_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_returns_status'))
        batch_op.drop_index(batch_op.f('ix_purchase_returns_receipt_id'))

    op.drop_table('purchase_returns')
