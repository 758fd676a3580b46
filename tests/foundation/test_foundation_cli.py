"""The `crm` command line: contracts, one-line errors, non-zero exits."""

import json

import pytest
from click.testing import CliRunner

from crm_tui.cli import cli
from tests.conftest import ON_PG

AS_ADMIN = {"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}


def run(args, env=None, db_url=None):
    full = (["--db", db_url] if db_url else []) + args
    result = CliRunner().invoke(cli, full, env=env or {}, catch_exceptions=False)
    return result


def test_version():
    r = run(["--version"])
    assert r.exit_code == 0 and "0.1.0" in r.output


def test_init_then_users_and_departments(db_url):
    r = run(["init", "--admin", "admin", "--company", "临沂华夏"], {"CRM_PASSWORD": "admin-pass"}, db_url)
    assert r.exit_code == 0, r.output
    r = run(["departments", "add", "销售部/商团部"], AS_ADMIN, db_url)
    assert r.exit_code == 0, r.output
    r = run(["users", "add", "sunwei", "--name", "孙伟", "--department", "商团部", "--staff-number", "S003",
             "--position", "商超业务员"], {**AS_ADMIN, "CRM_NEW_PASSWORD": "sunwei-pass"}, db_url)
    assert r.exit_code == 0, r.output
    r = run(["users", "list", "--format", "json"], AS_ADMIN, db_url)
    users = {u["login"]: u for u in json.loads(r.output)}
    assert users["sunwei"]["department"] == "销售部 › 商团部"
    assert users["sunwei"]["position"] == "商超业务员"
    r = run(["users", "list"], {"CRM_USER": "sunwei", "CRM_PASSWORD": "sunwei-pass"}, db_url)
    assert r.exit_code == 1 and "Only an administrator" in r.output and "孙伟" not in r.output
    r = run(["users", "disable", "sunwei"], AS_ADMIN, db_url)
    assert r.exit_code == 0
    r = run(["users", "list"], {"CRM_USER": "sunwei", "CRM_PASSWORD": "sunwei-pass"}, db_url)
    assert r.exit_code == 1 and "disabled" in r.output


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["users", "list"], {}, "CRM_USER"),
        (["users", "list"], {"CRM_USER": "admin", "CRM_PASSWORD": "wrong"}, "Wrong login or password"),
        (["users", "add", "x y", "--no-password"], AS_ADMIN, "Login must be"),
        (["users", "add", "lisi", "--role", "boss", "--no-password"], AS_ADMIN, "Invalid value"),
        (["departments", "add", "商团部", "--parent", "没有的部门"], AS_ADMIN, "No such department"),
        (["users", "passwd", "nobody"], {**AS_ADMIN, "CRM_NEW_PASSWORD": "long-enough"}, "No such user"),
        (["restore", "/nonexistent/backup.db", "--yes"], AS_ADMIN, "No such backup file"),
    ],
)
def test_mistakes_are_one_line_and_exit_non_zero(db_url, admin, args, env, message):
    r = run(args, env, db_url)
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output
    errors = [line for line in r.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0]  # the reason on one line (usage errors add a hint)


def test_init_twice_is_refused(db_url, admin):
    r = run(["init"], {"CRM_PASSWORD": "another-pass"}, db_url)
    assert r.exit_code == 1 and "already set up" in r.output


def test_db_check_passes_on_a_sound_database(db_url, admin):
    r = run(["db", "check", "--format", "json"], AS_ADMIN, db_url)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["ok"] is True


@pytest.mark.xdist_group("demo")
def test_crm_demo_fills_an_empty_database_once(demo):
    from sqlalchemy import select

    from crm_tui.db.models.people import User

    assert "Administrator admin created with password (CRM_PASSWORD)." in demo.output
    assert "Demo users log in with password demo1234." in demo.output
    with demo.engine.connect() as conn:
        people = conn.execute(select(User.login, User.display_name, User.position, User.staff_number)
                              .order_by(User.login)).all()
    assert len(people) == 17 and ("sunwei", "孙伟", "商超业务员", "S003") in people
    r = run(["demo"], AS_ADMIN, demo.url)
    assert r.exit_code == 1 and "empty database" in r.output  # never fills twice


@pytest.mark.skipif(ON_PG, reason="SQLite backup file")
def test_backup_and_restore_commands(db_url, admin, tmp_path):
    target = tmp_path / "copy.db"
    r = run(["backup", str(target)], AS_ADMIN, db_url)
    assert r.exit_code == 0 and target.exists()
    r = run(["restore", str(target), "--yes"], AS_ADMIN, db_url)
    assert r.exit_code == 0, r.output


SALESPERSON = {"CRM_USER": "sunwei", "CRM_PASSWORD": "sunwei-pass"}
WRONG = {"CRM_USER": "admin", "CRM_PASSWORD": "wrong"}


@pytest.fixture
def office(db_url, admin):
    """A set-up database with one salesperson beside the administrator."""
    r = run(["users", "add", "sunwei", "--name", "孙伟", "--role", "salesperson"],
            {**AS_ADMIN, "CRM_NEW_PASSWORD": "sunwei-pass"}, db_url)
    assert r.exit_code == 0, r.output
    return db_url


@pytest.mark.parametrize("who", [WRONG, SALESPERSON, {}], ids=["wrong-password", "salesperson", "nobody"])
@pytest.mark.parametrize("args", [
    ["backup", "{tmp}/copy.db"], ["restore", "{tmp}/copy.db", "--yes"], ["db", "upgrade"],
    ["users", "list"], ["users", "add", "lisi", "--no-password"], ["users", "disable", "admin"],
    ["departments", "add", "财务部"], ["departments", "list"],
], ids=lambda a: " ".join(a[:2]))
def test_maintenance_needs_an_administrator(office, tmp_path, who, args):
    """Backup, restore, upgrade, users and departments act on the whole database: anyone else is refused,
    nothing is written, and the database is unchanged."""
    from sqlalchemy import func, select

    from crm_tui.db.engine import make_engine
    from crm_tui.db.models.people import Department, User

    (tmp_path / "copy.db").write_bytes(b"")  # a restore would fail on it anyway: nothing may try
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    engine = make_engine(office)
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(User)).scalar(), \
            conn.execute(select(func.count()).select_from(Department)).scalar()
    r = run(args, who, office)
    assert r.exit_code != 0
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1
    assert (tmp_path / "copy.db").read_bytes() == b""
    with engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(User)).scalar(), \
            conn.execute(select(func.count()).select_from(Department)).scalar()
        active = conn.execute(select(User.active).where(User.login == "admin")).scalar()
    assert after == before and active
    engine.dispose()


def test_an_administrator_backs_up_and_upgrades(office, tmp_path):
    target = tmp_path / "copy.db"
    r = run(["backup", str(target)], AS_ADMIN, office)
    assert r.exit_code == 0, r.output
    r = run(["db", "upgrade"], AS_ADMIN, office)
    assert r.exit_code == 0 and "up to date" in r.output


def _empty_database(tmp_path):
    """A database with nothing in it, as a PostgreSQL restore that broke off used to leave one."""
    from sqlalchemy import create_engine, text

    from tests.conftest import PG_URL

    if not ON_PG:
        return f"sqlite:///{tmp_path / 'empty.db'}", None
    import uuid

    schema = f"crm_empty_{uuid.uuid4().hex[:8]}"
    server = create_engine(PG_URL)
    with server.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", (server, schema)


def test_db_check_fails_on_an_empty_database_and_leaves_it_empty(tmp_path):
    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    url, cleanup = _empty_database(tmp_path)
    try:
        r = run(["db", "check", "--format", "json"], {}, url)
        assert r.exit_code == 1, r.output
        report = json.loads(r.output)
        assert report["ok"] is False
        assert report["checks"] == {"the database is set up": [
            "The database has no tables: it is empty or not a crm-tui database."]}
        engine = make_engine(url)
        assert migrate.is_empty(engine)  # the check created nothing
        engine.dispose()
    finally:
        if cleanup:
            from sqlalchemy import text

            server, schema = cleanup
            with server.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            server.dispose()


def test_db_check_fails_on_a_database_nobody_set_up(db_url):
    r = run(["db", "check"], {}, db_url)
    assert r.exit_code == 1
    assert "FAIL  the database is set up" in r.output
    assert "no active administrator" in r.output


def test_db_check_fails_on_a_schema_without_version(db_url):
    from sqlalchemy import text

    from crm_tui.db import migrate
    from crm_tui.db.engine import make_engine

    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM alembic_version")
    try:
        r = run(["db", "check"], {}, db_url)
        assert r.exit_code == 1 and "no schema version" in r.output
    finally:  # on PostgreSQL the schema is shared by the tests that follow
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": migrate.head_revision()})
        engine.dispose()
