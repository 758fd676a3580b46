"""units of measure: product_units, and the unit and factor of every document line that prices or moves goods

Revision ID: 0010_uom
Revises: 0009_lists
Create Date: 2026-12-07 22:00:00
"""

from alembic import op
import sqlalchemy as sa

import crm_tui.db.models.units


revision = '0010_uom'
down_revision = '0009_lists'
branch_labels = None
depends_on = None

LINE_TABLES = ('quote_lines', 'sales_order_lines', 'delivery_notice_lines', 'sales_stock_out_lines',
               'purchase_order_lines', 'purchase_receipt_lines', 'stock_document_lines')


def upgrade() -> None:
    op.create_table('product_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('factor', crm_tui.db.models.units.UnitFactor(), nullable=False),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_units_product_id_products'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_units')),
    sa.UniqueConstraint('product_id', 'unit', name=op.f('uq_product_units_product_id_unit'))
    )
    with op.batch_alter_table('product_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_units_barcode'), ['barcode'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_units_product_id'), ['product_id'], unique=False)
    for table in LINE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('unit', sa.String(length=20), nullable=True))
            batch_op.add_column(sa.Column('unit_factor', crm_tui.db.models.units.UnitFactor(), nullable=False,
                                          server_default=crm_tui.db.models.units.FACTOR_ONE))
        # Existing lines were written in the product's unit.
        op.execute(f"UPDATE {table} SET unit = (SELECT p.unit FROM products p WHERE p.id = {table}.product_id)"
                   if table not in ('delivery_notice_lines',) else
                   "UPDATE delivery_notice_lines SET unit = (SELECT p.unit FROM products p JOIN sales_order_lines l "
                   "ON l.product_id = p.id WHERE l.id = delivery_notice_lines.order_line_id)")


def downgrade() -> None:
    for table in reversed(LINE_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('unit_factor')
            batch_op.drop_column('unit')
    with op.batch_alter_table('product_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_units_product_id'))
        batch_op.drop_index(batch_op.f('ix_product_units_barcode'))
    op.drop_table('product_units')
