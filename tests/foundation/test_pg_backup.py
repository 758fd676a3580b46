"""pg_dump / pg_restore round trip on a database of its own (PostgreSQL runs only)."""

import shutil
import uuid

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import ON_PG, PG_URL

pytestmark = pytest.mark.skipif(not ON_PG or not shutil.which("pg_dump"), reason="needs PostgreSQL and pg_dump")


@pytest.fixture
def own_database():
    from crm_tui.db.engine import resolve_url

    name = f"crm_bk_{uuid.uuid4().hex[:8]}"
    server = create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = resolve_url(PG_URL).rsplit("/", 1)[0] + "/" + name
    yield url
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def test_pg_backup_and_restore(own_database, tmp_path):
    from crm_tui.core.errors import ValidationError
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.session import read_session, transaction
    from crm_tui.services.admin.backup import backup, restore
    from crm_tui.services.admin.database import initialize, open_database

    engine = open_database(own_database)
    admin = initialize(engine, "admin", "admin-pass")
    with transaction(engine, admin) as s:
        s.add(Customer(code="K1", name="备份前"))
    dump = backup(engine, tmp_path / "crm.dump")
    with transaction(engine, admin) as s:
        s.add(Customer(code="K2", name="备份后"))
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a dump")
    with pytest.raises(ValidationError):
        restore(engine, junk)
    restore(engine, dump)
    with read_session(engine) as s:
        assert s.scalars(select(Customer.code)).all() == ["K1"]
    engine.dispose()
