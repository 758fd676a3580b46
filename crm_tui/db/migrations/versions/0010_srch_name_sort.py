"""customer_sort: narrow per-customer name order key, owner and status kept by triggers (SQLite); an index
over (status, code, id, owner_id) for deep pages of the default list

Revision ID: 0010_srch
Revises: 0009_lists
Create Date: 2026-12-07 22:00:00
"""

from alembic import op

from crm_tui.db.name_sort import prefix_key_sql

revision = '0010_srch'
down_revision = "0009_lists"
branch_labels = None
depends_on = None

_K1, _K2 = prefix_key_sql("new.name_pinyin", 0), prefix_key_sql("new.name_pinyin", 1)
SQLITE = [
    "CREATE TABLE customer_sort (id INTEGER PRIMARY KEY, k1 INTEGER NOT NULL, k2 INTEGER NOT NULL, owner_id INTEGER, "
    "status VARCHAR(16) NOT NULL)",
    "INSERT INTO customer_sort (id, k1, k2, owner_id, status) SELECT id, "
    f"{prefix_key_sql('name_pinyin', 0)}, {prefix_key_sql('name_pinyin', 1)}, owner_id, "
    "status FROM customers",
    f"""CREATE TRIGGER customer_sort_ai AFTER INSERT ON customers BEGIN
  INSERT OR REPLACE INTO customer_sort (id, k1, k2, owner_id, status)
  VALUES (new.id, {_K1}, {_K2}, new.owner_id, new.status);
END""",
    f"""CREATE TRIGGER customer_sort_au AFTER UPDATE OF name_pinyin, owner_id, status ON customers BEGIN
  UPDATE customer_sort SET k1 = {_K1}, k2 = {_K2}, owner_id = new.owner_id, status = new.status WHERE id = new.id;
END""",
    """CREATE TRIGGER customer_sort_ad AFTER DELETE ON customers BEGIN
  DELETE FROM customer_sort WHERE id = old.id;
END""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
    op.create_index("ix_customers_status_code", "customers", ["status", "code", "id", "owner_id"])


def downgrade() -> None:
    op.drop_index("ix_customers_status_code", table_name="customers")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("customer_sort_ai", "customer_sort_au", "customer_sort_ad"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS customer_sort")
