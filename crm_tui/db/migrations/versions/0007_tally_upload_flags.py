"""visit uploads: back-dated and late flags (不能补签; rows imported after their week was published)

Revision ID: 0007_tally_upload_flags
Revises: (chained at merge)
Create Date: 2026-12-07 15:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_tally_upload_flags'
down_revision = '0007_maint'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('visit_uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('backdated', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('late', sa.Boolean(), nullable=False, server_default=sa.false()))
        # the tally reads every row through this covering index: it holds the new flags too
        batch_op.drop_index('ix_visit_uploads_tally')
        batch_op.create_index('ix_visit_uploads_tally', ['user_id', 'at', 'kind', 'customer_id', 'has_address',
                                                         'photos', 'remarks_ok', 'backdated', 'late'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visit_uploads', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_uploads_tally')
        batch_op.create_index('ix_visit_uploads_tally', ['user_id', 'at', 'kind', 'customer_id', 'has_address',
                                                         'photos', 'remarks_ok'], unique=False)
        batch_op.drop_column('late')
        batch_op.drop_column('backdated')
