"""documents: attachments and the knowledge base, with the knowledge base's search index

Revision ID: 0009_docs
Revises: 0009_service
Create Date: 2026-12-07 18:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_docs'
down_revision = '0009_service'
branch_labels = None
depends_on = None

# The knowledge base's search index, built as the customers' one (migration 0003, crm_tui/db/search.py):
# SQLite FTS5 trigram over ``doc`` for terms of 3+ characters, unicode61 over ``grams`` for 1-2 characters.
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE kb_fts USING fts5(doc, content='kb_search', content_rowid='article_id', "
    "tokenize='trigram', detail=none, columnsize=0)",
    "CREATE VIRTUAL TABLE kb_grams USING fts5(grams, content='kb_search', content_rowid='article_id', "
    "tokenize='unicode61', detail=none, columnsize=0)",
    """CREATE TRIGGER kb_search_ai AFTER INSERT ON kb_search BEGIN
  INSERT INTO kb_fts(rowid, doc) VALUES (new.article_id, new.doc);
  INSERT INTO kb_grams(rowid, grams) VALUES (new.article_id, new.grams);
END""",
    """CREATE TRIGGER kb_search_ad AFTER DELETE ON kb_search BEGIN
  INSERT INTO kb_fts(kb_fts, rowid, doc) VALUES ('delete', old.article_id, old.doc);
  INSERT INTO kb_grams(kb_grams, rowid, grams) VALUES ('delete', old.article_id, old.grams);
END""",
    """CREATE TRIGGER kb_search_au AFTER UPDATE ON kb_search BEGIN
  INSERT INTO kb_fts(kb_fts, rowid, doc) VALUES ('delete', old.article_id, old.doc);
  INSERT INTO kb_grams(kb_grams, rowid, grams) VALUES ('delete', old.article_id, old.grams);
  INSERT INTO kb_fts(rowid, doc) VALUES (new.article_id, new.doc);
  INSERT INTO kb_grams(rowid, grams) VALUES (new.article_id, new.grams);
END""",
]


def _postgresql_search() -> None:
    """pg_trgm (created by 0003; found in whichever schema holds it) and a GIN index over the grams array."""
    bind = op.get_bind()
    schema = bind.exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'").scalar()
    op.execute(f'CREATE INDEX ix_kb_search_doc_trgm ON kb_search USING gin (doc "{schema}".gin_trgm_ops)')
    op.execute("CREATE INDEX ix_kb_search_grams ON kb_search USING gin (string_to_array(grams, ' '))")


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_kind', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_attachments_customer_id_customers')),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], name=op.f('fk_attachments_person_id_users')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_attachments_uploaded_by_users')),
    sa.ForeignKeyConstraint(['deleted_by'], ['users.id'], name=op.f('fk_attachments_deleted_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_owner', ['owner_kind', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_checksum'), ['checksum'], unique=False)

    op.create_table('kb_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('tags', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_kb_articles_author_id_users')),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_kb_articles_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_articles'))
    )
    with op.batch_alter_table('kb_articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_articles_category'), ['category'], unique=False)

    op.create_table('kb_search',
    sa.Column('article_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('doc', sa.Text(), nullable=False),
    sa.Column('grams', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_search_article_id_kb_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_kb_search'))
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    else:
        _postgresql_search()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("kb_search_ai", "kb_search_ad", "kb_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS kb_fts")
        op.execute("DROP TABLE IF EXISTS kb_grams")
    op.drop_table('kb_search')
    op.drop_table('kb_articles')
    op.drop_table('attachments')
