"""customers area: contact logs, shares, search index, import batches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 06:09:47.415267
"""

from alembic import op
import sqlalchemy as sa
import crm_tui.db.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The search index (see crm_tui/db/search.py). SQLite: two FTS5 tables over customer_search, kept in step by
# triggers: trigram for terms of 3+ characters, unicode61 over the 1-/2-character grams for shorter ones.
SQLITE_SEARCH = [
    # detail=none: no positions (a term of 4+ characters is matched as all its trigrams, then checked with
    # LIKE), about 15% less work per insert; fewer, larger merges for bulk imports.
    "CREATE VIRTUAL TABLE customer_fts USING fts5(doc, content='customer_search', content_rowid='customer_id', "
    "tokenize='trigram', detail=none, columnsize=0)",
    "CREATE VIRTUAL TABLE customer_grams USING fts5(grams, content='customer_search', content_rowid='customer_id', "
    "tokenize='unicode61', detail=none, columnsize=0)",
    "INSERT INTO customer_fts(customer_fts, rank) VALUES ('automerge', 16)",
    "INSERT INTO customer_fts(customer_fts, rank) VALUES ('crisismerge', 64)",
    "INSERT INTO customer_grams(customer_grams, rank) VALUES ('automerge', 16)",
    "INSERT INTO customer_grams(customer_grams, rank) VALUES ('crisismerge', 64)",
    """CREATE TRIGGER customer_search_ai AFTER INSERT ON customer_search BEGIN
  INSERT INTO customer_fts(rowid, doc) VALUES (new.customer_id, new.doc);
  INSERT INTO customer_grams(rowid, grams) VALUES (new.customer_id, new.grams);
END""",
    """CREATE TRIGGER customer_search_ad AFTER DELETE ON customer_search BEGIN
  INSERT INTO customer_fts(customer_fts, rowid, doc) VALUES ('delete', old.customer_id, old.doc);
  INSERT INTO customer_grams(customer_grams, rowid, grams) VALUES ('delete', old.customer_id, old.grams);
END""",
    """CREATE TRIGGER customer_search_au AFTER UPDATE ON customer_search BEGIN
  INSERT INTO customer_fts(customer_fts, rowid, doc) VALUES ('delete', old.customer_id, old.doc);
  INSERT INTO customer_grams(customer_grams, rowid, grams) VALUES ('delete', old.customer_id, old.grams);
  INSERT INTO customer_fts(rowid, doc) VALUES (new.customer_id, new.doc);
  INSERT INTO customer_grams(rowid, grams) VALUES (new.customer_id, new.grams);
END""",
]


def _postgresql_search() -> None:
    """pg_trgm GIN index on the document (LIKE '%term%', 3+ characters) and a GIN index over the grams array.

    The extension is database-wide: it goes into ``public`` when that schema exists (so dropping an
    application schema never drops it), and the operator class is named with its schema, wherever it lives.
    """
    bind = op.get_bind()
    # Two first starts at once (or two test workers on a fresh server) would both try to create it: the
    # second waits here until the first commits, then finds it.
    bind.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('crm_tui:pg_trgm'))")
    find = "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    schema = bind.exec_driver_sql(find).scalar()
    if schema is None:
        has_public = bind.exec_driver_sql("SELECT 1 FROM pg_namespace WHERE nspname = 'public'").scalar()
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm" + (" WITH SCHEMA public" if has_public else ""))
        schema = bind.exec_driver_sql(find).scalar()
    op.execute(f'CREATE INDEX ix_customer_search_doc_trgm ON customer_search USING gin (doc "{schema}".gin_trgm_ops)')
    op.execute("CREATE INDEX ix_customer_search_grams ON customer_search USING gin (string_to_array(grams, ' '))")


def upgrade() -> None:
    op.create_table('customer_import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_import_batches'))
    )
    op.create_table('customer_import_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('version_after', sa.Integer(), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['customer_import_batches.id'], name=op.f('fk_customer_import_items_batch_id_customer_import_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_import_items'))
    )
    with op.batch_alter_table('customer_import_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_import_items_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_import_items_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_search',
    sa.Column('customer_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('doc', sa.Text(), nullable=False),
    sa.Column('grams', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_search_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', name=op.f('pk_customer_search'))
    )
    op.create_table('customer_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_shares_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_shares_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_shares')),
    sa.UniqueConstraint('customer_id', 'user_id', name=op.f('uq_customer_shares_customer_id_user_id'))
    )
    with op.batch_alter_table('customer_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_shares_user_id'), ['user_id'], unique=False)

    op.create_table('contact_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('next_step', sa.Text(), nullable=True),
    sa.Column('next_follow_up', sa.Date(), nullable=True),
    sa.Column('follow_up_owner_id', sa.Integer(), nullable=True),
    sa.Column('follow_up_done_at', sa.DateTime(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_contact_logs_author_id_users')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_contact_logs_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contact_logs_customer_id_customers')),
    sa.ForeignKeyConstraint(['follow_up_owner_id'], ['users.id'], name=op.f('fk_contact_logs_follow_up_owner_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_contact_logs_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_logs'))
    )
    with op.batch_alter_table('contact_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_logs_at'), ['at'], unique=False)
        batch_op.create_index('ix_contact_logs_author_reviewed', ['author_id', 'reviewed_at'], unique=False)
        batch_op.create_index('ix_contact_logs_customer_at', ['customer_id', 'at'], unique=False)
        batch_op.create_index('ix_contact_logs_follow_up', ['follow_up_owner_id', 'next_follow_up'], unique=False)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_contact_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_customers_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_last_contact_at'), ['last_contact_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_customers_name_pinyin'), ['name_pinyin'], unique=False)
        # initials are searched through the search index; this index only slowed every insert down
        batch_op.drop_index(batch_op.f('ix_customers_name_initials'))
        batch_op.create_index(batch_op.f('ix_customers_created_on'), ['created_on'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    else:
        _postgresql_search()
    # Customers that exist already (from 0002) get their pinyin and search rows from the app:
    # ``crm customers reindex``; an empty table needs nothing.


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("customer_search_ai", "customer_search_ad", "customer_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS customer_fts")
        op.execute("DROP TABLE IF EXISTS customer_grams")
    else:
        op.execute("DROP INDEX IF EXISTS ix_customer_search_doc_trgm")
        op.execute("DROP INDEX IF EXISTS ix_customer_search_grams")
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_created_on'))
        batch_op.drop_index(batch_op.f('ix_customers_name_pinyin'))
        batch_op.create_index(batch_op.f('ix_customers_name_initials'), ['name_initials'], unique=False)
        batch_op.drop_index(batch_op.f('ix_customers_last_contact_at'))
        batch_op.drop_index(batch_op.f('ix_customers_name_key'))
        batch_op.drop_column('name_key')
        batch_op.drop_column('last_contact_at')

    with op.batch_alter_table('contact_logs', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_logs_follow_up')
        batch_op.drop_index('ix_contact_logs_customer_at')
        batch_op.drop_index('ix_contact_logs_author_reviewed')
        batch_op.drop_index(batch_op.f('ix_contact_logs_at'))

    op.drop_table('contact_logs')
    with op.batch_alter_table('customer_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_shares_user_id'))

    op.drop_table('customer_shares')
    op.drop_table('customer_search')
    with op.batch_alter_table('customer_import_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_import_items_customer_id'))
        batch_op.drop_index(batch_op.f('ix_customer_import_items_batch_id'))

    op.drop_table('customer_import_items')
    op.drop_table('customer_import_batches')
