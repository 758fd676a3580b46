"""visits: the visit log, events, absences, publications; weekly plans and outings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 06:31:31.234853
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('out_at', sa.DateTime(), nullable=False),
    sa.Column('back_at', sa.DateTime(), nullable=True),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('destination', sa.String(length=300), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outings'))
    )
    with op.batch_alter_table('outings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outings_out_at'), ['out_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outings_user_id'), ['user_id'], unique=False)

    op.create_table('visit_absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_absences_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_absences'))
    )
    with op.batch_alter_table('visit_absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_absences_user_id'), ['user_id'], unique=False)

    op.create_table('visit_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('uploads_added', sa.Integer(), nullable=False),
    sa.Column('events_added', sa.Integer(), nullable=False),
    sa.Column('repeated', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.BigInteger(), nullable=True),
    sa.Column('last_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_imports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_imports'))
    )
    op.create_table('visit_publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_kind', sa.String(length=8), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.Column('reopened_at', sa.DateTime(), nullable=True),
    sa.Column('reopened_by', sa.Integer(), nullable=True),
    sa.Column('reopen_reason', sa.String(length=300), nullable=True),
    sa.Column('times_published', sa.Integer(), nullable=False),
    sa.Column('policy_name', sa.String(length=200), nullable=True),
    sa.Column('policy_digest', sa.String(length=32), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['published_by'], ['users.id'], name=op.f('fk_visit_publications_published_by_users')),
    sa.ForeignKeyConstraint(['reopened_by'], ['users.id'], name=op.f('fk_visit_publications_reopened_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_publications')),
    sa.UniqueConstraint('period_kind', 'period', name=op.f('uq_visit_publications_period_kind_period'))
    )
    op.create_table('weekly_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('monday', sa.Date(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('suggestions', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_weekly_plans_reviewed_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_weekly_plans_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weekly_plans')),
    sa.UniqueConstraint('user_id', 'week', name=op.f('uq_weekly_plans_user_id_week'))
    )
    with op.batch_alter_table('weekly_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weekly_plans_monday'), ['monday'], unique=False)
        batch_op.create_index(batch_op.f('ix_weekly_plans_user_id'), ['user_id'], unique=False)

    op.create_table('outing_customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outing_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_log_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contact_log_id'], ['contact_logs.id'], name=op.f('fk_outing_customers_contact_log_id_contact_logs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_outing_customers_customer_id_customers')),
    sa.ForeignKeyConstraint(['outing_id'], ['outings.id'], name=op.f('fk_outing_customers_outing_id_outings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outing_customers')),
    sa.UniqueConstraint('outing_id', 'customer_id', name=op.f('uq_outing_customers_outing_id_customer_id'))
    )
    with op.batch_alter_table('outing_customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outing_customers_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outing_customers_outing_id'), ['outing_id'], unique=False)

    op.create_table('visit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('customer_key', sa.String(length=200), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_visit_events_customer_id_customers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['visit_imports.id'], name=op.f('fk_visit_events_import_id_visit_imports')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_events')),
    sa.UniqueConstraint('user_id', 'at', 'kind', 'customer_key', name='uq_visit_events_row')
    )
    with op.batch_alter_table('visit_events', schema=None) as batch_op:
        batch_op.create_index('ix_visit_events_at', ['at'], unique=False)

    op.create_table('visit_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.SmallInteger(), nullable=False),
    sa.Column('customer_key', sa.String(length=200), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('has_address', sa.Boolean(), nullable=False),
    sa.Column('photos', sa.SmallInteger(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('remarks_ok', sa.Boolean(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_visit_uploads_customer_id_customers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['visit_imports.id'], name=op.f('fk_visit_uploads_import_id_visit_imports')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_uploads_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_uploads')),
    sa.UniqueConstraint('user_id', 'at', 'kind', 'customer_key', name='uq_visit_uploads_row')
    )
    with op.batch_alter_table('visit_uploads', schema=None) as batch_op:
        batch_op.create_index('ix_visit_uploads_customer_at', ['customer_id', 'at'], unique=False)
        batch_op.create_index('ix_visit_uploads_tally', ['user_id', 'at', 'kind', 'customer_id', 'has_address', 'photos', 'remarks_ok'], unique=False)

    op.create_table('weekly_plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_weekly_plan_items_customer_id_customers')),
    sa.ForeignKeyConstraint(['plan_id'], ['weekly_plans.id'], name=op.f('fk_weekly_plan_items_plan_id_weekly_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weekly_plan_items')),
    sa.UniqueConstraint('plan_id', 'day', 'customer_id', name=op.f('uq_weekly_plan_items_plan_id_day_customer_id'))
    )
    with op.batch_alter_table('weekly_plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weekly_plan_items_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_weekly_plan_items_plan_id'), ['plan_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('weekly_plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weekly_plan_items_plan_id'))
        batch_op.drop_index(batch_op.f('ix_weekly_plan_items_customer_id'))

    op.drop_table('weekly_plan_items')
    with op.batch_alter_table('visit_uploads', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_uploads_tally')
        batch_op.drop_index('ix_visit_uploads_customer_at')

    op.drop_table('visit_uploads')
    with op.batch_alter_table('visit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_events_at')

    op.drop_table('visit_events')
    with op.batch_alter_table('outing_customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outing_customers_outing_id'))
        batch_op.drop_index(batch_op.f('ix_outing_customers_customer_id'))

    op.drop_table('outing_customers')
    with op.batch_alter_table('weekly_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weekly_plans_user_id'))
        batch_op.drop_index(batch_op.f('ix_weekly_plans_monday'))

    op.drop_table('weekly_plans')
    op.drop_table('visit_publications')
    op.drop_table('visit_imports')
    with op.batch_alter_table('visit_absences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_absences_user_id'))

    op.drop_table('visit_absences')
    with op.batch_alter_table('outings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outings_user_id'))
        batch_op.drop_index(batch_op.f('ix_outings_out_at'))

    op.drop_table('outings')
