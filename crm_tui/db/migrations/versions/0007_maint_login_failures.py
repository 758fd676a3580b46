"""login failures: the growing delay after repeated failed logins

Revision ID: 0007_maint
Revises: (chained at merge)
Create Date: 2026-12-07 15:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_maint'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_failures',
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_login_failures'))
    )


def downgrade() -> None:
    op.drop_table('login_failures')
