"""Nothing is lost: killed writers, file modes, backups and restore, migrations, import hygiene."""

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from crm_tui.db.models.customers import Customer
from crm_tui.db.session import read_session, transaction
from crm_tui.services.common.checks import run_checks
from tests.conftest import ON_PG

sqlite_only = pytest.mark.skipif(ON_PG, reason="SQLite file behaviour")

KILLED_WRITER = """
import sys, time
from crm_tui.db.engine import make_engine
from crm_tui.db.models.customers import Customer
from crm_tui.db.session import transaction
engine = make_engine(sys.argv[1])
with transaction(engine) as s:
    for i in range(500):
        s.add(Customer(code=f"KILL{i}", name=f"半途{i}"))
    s.flush()
    print("flushed", flush=True)
    time.sleep(60)
"""


def test_writer_killed_mid_transaction_leaves_a_sound_database(engine, db_url, admin):
    with transaction(engine, admin) as s:
        s.add(Customer(code="K1", name="完好客户"))
    p = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, db_url], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "flushed"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    engine.dispose()
    results = run_checks(engine)
    assert all(not problems for problems in results.values()), results
    with read_session(engine) as s:
        assert s.scalars(select(Customer.code)).all() == ["K1"]
    with transaction(engine, admin) as s:  # and the database takes writes again
        s.add(Customer(code="K2", name="之后"))


@sqlite_only
def test_database_files_are_private(engine, admin, crm_home):
    with transaction(engine, admin) as s:
        s.add(Customer(code="K1", name="甲"))
    data = crm_home / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("crm.db", "crm.db-wal", "crm.db-shm"):
        path = data / name
        assert path.exists(), name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


@sqlite_only
def test_new_database_file_and_folder_are_created_private(crm_home):
    from crm_tui.services.admin.database import open_database

    engine = open_database()
    with engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        fks = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
        busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert (mode, sync, fks, busy) == ("wal", 2, 1, 5000)
    assert stat.S_IMODE((crm_home / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((crm_home / "data" / "crm.db").stat().st_mode) == 0o600


def test_backup_and_restore_round_trip(engine, admin, tmp_path):
    from crm_tui.services.admin.backup import backup, restore

    if ON_PG and not __import__("shutil").which("pg_dump"):
        pytest.skip("pg_dump not installed")
    if ON_PG:
        pytest.skip("PostgreSQL: see test_pg_backup.py (a database of its own)")
    with transaction(engine, admin) as s:
        s.add(Customer(code="K1", name="备份前"))
    path = backup(engine, tmp_path / "b.db")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with transaction(engine, admin) as s:
        s.add(Customer(code="K2", name="备份后"))
    safety = restore(engine, path)
    with read_session(engine) as s:
        assert s.scalars(select(Customer.code)).all() == ["K1"]
    assert safety.exists()


@sqlite_only
def test_restore_refuses_a_damaged_file(engine, admin, tmp_path):
    from crm_tui.core.errors import ValidationError
    from crm_tui.services.admin.backup import backup, restore

    path = backup(engine, tmp_path / "b.db")
    data = bytearray(path.read_bytes())
    data[5000:9000] = os.urandom(4000)  # scribble over table pages
    bad = tmp_path / "bad.db"
    bad.write_bytes(bytes(data))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    for broken in (bad, junk):
        with pytest.raises(ValidationError):
            restore(engine, broken)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0  # untouched


def test_migrations_and_models_agree(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crm_tui.db.migrate import include_name
    from crm_tui.db.models import metadata

    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": include_name}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []


def test_the_head_known_without_alembic_is_the_scripts_head(engine):
    from crm_tui.db import migrate

    assert migrate.head_revision() == migrate.script_head()  # a new migration must update HEAD_REVISION
    assert migrate.current_revision(engine) == migrate.head_revision() and not migrate.needs_upgrade(engine)


def test_opening_an_up_to_date_database_does_not_import_alembic(db_url):
    code = ("import sys; from crm_tui.services.admin.database import open_database; "
            f"open_database({db_url!r}); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako', 'pygments')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@sqlite_only
def test_older_database_is_backed_up_then_upgraded(crm_home):
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine
    from crm_tui.services.admin.database import ensure_schema

    engine = make_engine()
    migrate.upgrade(engine, "0001")
    assert migrate.needs_upgrade(engine)
    backup_path = ensure_schema(engine)
    assert backup_path and os.path.exists(backup_path)
    assert not migrate.needs_upgrade(engine)
    conn = sqlite3.connect(backup_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_importing_services_db_io_does_not_import_textual():
    code = ("import sys, crm_tui.db, crm_tui.db.models, crm_tui.services, crm_tui.io, crm_tui.cli, "
            "crm_tui.services.admin.database, crm_tui.services.admin.users, crm_tui.services.admin.permissions; "
            "import crm_tui.bootstrap as b; b.install_plugins(); "
            "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_cli_start_imports_no_heavy_libraries():
    code = ("import sys; sys.argv=['crm','--help']\nimport crm_tui.cli\n"
            "heavy = [m for m in ('textual','openpyxl','reportlab','python_calamine','sqlalchemy') if m in sys.modules]\n"
            "print(heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr


def test_writers_serialise_instead_of_failing(engine, admin):
    """Two writers at once: the second waits for the first (BEGIN IMMEDIATE / row locks), both commit."""
    import threading

    errors = []

    def write(code):
        try:
            with transaction(engine, admin) as s:
                s.add(Customer(code=code, name=code))
                s.flush()
                time.sleep(0.2)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"W{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 4


def test_crm_init_makes_a_new_crm_home_private_all_the_way_up(tmp_path, monkeypatch):
    """A CRM_HOME that does not exist yet is created 0700, with every folder crm makes above its files; folders
    that were there before keep their mode."""
    from click.testing import CliRunner

    from crm_tui.cli import cli

    tmp_path.chmod(0o755)
    home = tmp_path / "office" / "crm-home"
    monkeypatch.setenv("CRM_HOME", str(home))
    monkeypatch.delenv("CRM_DATABASE_URL", raising=False)
    r = CliRunner().invoke(cli, ["--db", f"sqlite:///{home / 'data' / 'crm.db'}", "init", "--company", "临沂华夏"],
                           env={"CRM_PASSWORD": "admin-pass"}, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    for folder in (tmp_path / "office", home, home / "data"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
