"""contact-log quotas per role and period (week, month), for the checker's view of shortfalls

Revision ID: 0009_lists
Revises: 0009_credit
Create Date: 2026-12-07 19:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_lists'
down_revision = '0009_credit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_quotas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_quotas')),
    sa.UniqueConstraint('role', 'period', name=op.f('uq_contact_quotas_role_period'))
    )


def downgrade() -> None:
    op.drop_table('contact_quotas')
