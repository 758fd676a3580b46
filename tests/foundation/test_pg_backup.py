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


def _office_with_customers(url, n=3000):
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.session import transaction
    from crm_tui.services.admin.database import initialize, open_database

    engine = open_database(url)
    admin = initialize(engine, "admin", "admin-pass")
    with transaction(engine, admin) as s:
        s.add_all(Customer(code=f"K{i:05d}", name=f"客户{i}号 临沂市兰山区") for i in range(n))
    return engine


def _customers(engine) -> int:
    from sqlalchemy import func

    from crm_tui.db.models.customers import Customer
    from crm_tui.db.session import read_session

    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(Customer))


def _truncated_dump(engine, tmp_path):
    from crm_tui.services.admin.backup import backup

    dump = backup(engine, tmp_path / "whole.dump")
    data = dump.read_bytes()
    cut = tmp_path / "cut.dump"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    return cut


def test_a_truncated_dump_is_refused_and_the_database_keeps_its_data(own_database, tmp_path):
    import subprocess

    from crm_tui.core.errors import ValidationError
    from crm_tui.services.admin.backup import restore

    engine = _office_with_customers(own_database)
    cut = _truncated_dump(engine, tmp_path)
    assert subprocess.run(["pg_restore", "-l", str(cut)], capture_output=True).returncode == 0  # the head reads
    with pytest.raises(ValidationError, match="cut.dump is not a usable database"):
        restore(engine, cut)
    assert _customers(engine) == 3000
    engine.dispose()


def test_a_restore_that_fails_half_way_changes_nothing(own_database, tmp_path, monkeypatch):
    """Even when the archive check is fooled, the restore is one transaction that stops at the first error."""
    from crm_tui.core.errors import CrmError
    from crm_tui.services.admin import backup as backups

    engine = _office_with_customers(own_database)
    cut = _truncated_dump(engine, tmp_path)
    monkeypatch.setattr(backups, "check_pg_archive", lambda source: None)
    with pytest.raises(CrmError, match="the database is unchanged"):
        backups.restore(engine, cut)
    assert _customers(engine) == 3000
    engine.dispose()


SALESPERSON = {"CRM_USER": "sunwei", "CRM_PASSWORD": "sunwei-pass"}


def _crm(args, env, url):
    from click.testing import CliRunner

    from crm_tui.cli import cli

    return CliRunner().invoke(cli, ["--db", url, *args], env=env, catch_exceptions=False)


@pytest.mark.parametrize("who, search_path", [
    (SALESPERSON, None), ({}, None), (SALESPERSON, "nothing_here"), ({}, "nothing_here"),
], ids=["salesperson", "nobody", "salesperson-elsewhere", "nobody-elsewhere"])
def test_a_salespersons_client_cannot_wipe_the_office_database(own_database, tmp_path, who, search_path):
    """A client configured with the office database, even one whose search path sees no crm-tui tables, may
    not replace it: pg_restore works on the whole database."""
    from crm_tui.db.session import transaction
    from crm_tui.services.admin import users
    from crm_tui.services.admin.backup import backup

    engine = _office_with_customers(own_database, 10)
    with transaction(engine, None) as s:
        admin = users.authenticate(s, "admin", "admin-pass")
    with transaction(engine, admin) as s:
        users.add_user(s, admin, "sunwei", "孙伟", "salesperson", "sunwei-pass")
    dump = backup(engine, tmp_path / "old.dump")
    _office_with_more_customers(engine, admin)
    url = own_database if search_path is None else f"{own_database}?options=-csearch_path%3D{search_path}"
    r = _crm(["restore", str(dump), "--yes"], who, url)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "Only an administrator" in r.output or "refusing to replace it" in r.output or "CRM_USER" in r.output
    assert _customers(engine) == 15
    r = _crm(["restore", str(dump), "--yes"], {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}, own_database)
    assert r.exit_code == 0, r.output
    assert _customers(engine) == 10
    engine.dispose()


def _office_with_more_customers(engine, admin):
    from crm_tui.db.models.customers import Customer
    from crm_tui.db.session import transaction

    with transaction(engine, admin) as s:
        s.add_all(Customer(code=f"N{i}", name=f"新客户{i}") for i in range(5))


def test_a_blank_database_is_restored_without_a_login(own_database, tmp_path):
    """A new machine: the office's dump goes into an empty database before anyone can log in to it."""
    from sqlalchemy import create_engine

    from crm_tui.services.admin.backup import backup

    engine = _office_with_customers(own_database, 10)
    dump = backup(engine, tmp_path / "office.dump")
    engine.dispose()
    blank = own_database + "_new"
    server = create_engine(own_database, isolation_level="AUTOCOMMIT")
    name = blank.rsplit("/", 1)[1]
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        r = _crm(["restore", str(dump), "--yes"], {}, blank)
        assert r.exit_code == 0, r.output
        restored = create_engine(blank)
        assert _customers(restored) == 10
        restored.dispose()
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_the_dump_is_private_while_pg_dump_writes_it(own_database, tmp_path, monkeypatch):
    """pg_dump -f created its file 0644 and it stayed readable to everyone until the dump was done."""
    import os
    import stat
    import subprocess

    from crm_tui.services.admin import backup as backup_module
    from crm_tui.services.admin.database import initialize, open_database

    engine = open_database(own_database)
    initialize(engine, "admin", "admin-pass")
    seen, real_run = [], subprocess.run

    def run(args, **kwargs):
        if args[0] == "pg_dump":
            seen.append(stat.S_IMODE(os.fstat(kwargs["stdout"]).st_mode))
        return real_run(args, **kwargs)

    monkeypatch.setattr(backup_module.subprocess, "run", run)
    dump = backup_module.backup(engine, tmp_path / "crm.dump")
    engine.dispose()
    assert seen == [0o600] and stat.S_IMODE(dump.stat().st_mode) == 0o600 and dump.stat().st_size > 0
