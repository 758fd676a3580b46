"""company details: our company's name, address, tax number, bank and phone, shared by every user

Revision ID: 0007_shell
Revises: (chained at merge)
Create Date: 2026-12-07 15:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_shell'
down_revision = '0007_salesB'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('company_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('tax_number', sa.String(length=20), nullable=False),
    sa.Column('bank', sa.String(length=100), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_details'))
    )


def downgrade() -> None:
    op.drop_table('company_details')
