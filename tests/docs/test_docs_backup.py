"""Backups carry the attached files: ``<backup>.attachments.tar`` next to the database copy, put back on
restore. SQLite through the backup API; PostgreSQL through pg_dump/pg_restore on a database of its own."""

from __future__ import annotations

import shutil
import stat
import tarfile
import uuid

import pytest
from sqlalchemy import create_engine, select, text

from crm_tui.core.errors import ValidationError
from crm_tui.db.models.docs import Attachment
from crm_tui.db.session import transaction
from crm_tui.paths import get_paths
from crm_tui.services.admin.backup import attachments_archive, backup, restore
from crm_tui.services.docs import attachments as att
from tests.conftest import ON_PG, PG_URL


@pytest.fixture
def database(tmp_path):
    """A database of its own (pg_dump takes a whole database), with an administrator and a customer."""
    from crm_tui.db.engine import resolve_url
    from crm_tui.services.admin.database import initialize, open_database
    from crm_tui.services.customers import records

    server = name = None
    if ON_PG:
        if not shutil.which("pg_dump"):
            pytest.skip("needs pg_dump")
        name = f"crm_docs_{uuid.uuid4().hex[:8]}"
        server = create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = resolve_url(PG_URL).rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'own.db'}"
    engine = open_database(url)
    admin = initialize(engine, "admin", "admin-pass")
    with transaction(engine, admin) as s:
        customer = records.create_customer(s, admin, name="深圳华联商贸有限公司")
    yield engine, admin, customer
    engine.dispose()
    if server is not None:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_backup_archives_the_files_and_restore_brings_them_back(database, tmp_path):
    engine, admin, customer = database
    source = tmp_path / "合同.txt"
    source.write_text("合同正文\n", encoding="utf-8")
    with transaction(engine, admin) as s:
        aid = att.attach(s, admin, "customer", customer, source)
        checksum = s.get(Attachment, aid).checksum
    target = backup(engine, tmp_path / ("crm.dump" if ON_PG else "crm.db"))
    archive = attachments_archive(target)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert tar.getnames() == [f"attachments/{checksum}"]

    # the files are lost (a new laptop, a wiped folder) and something else was attached meanwhile
    shutil.rmtree(get_paths().attachments)
    other = tmp_path / "later.txt"
    other.write_text("later", encoding="utf-8")
    with transaction(engine, admin) as s:
        att.attach(s, admin, "customer", customer, other)

    restore(engine, target)
    stored = get_paths().attachments / checksum
    assert stored.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    with transaction(engine, admin) as s:
        assert s.scalars(select(Attachment.id)).all() == [aid]
        out = att.export(s, admin, aid, tmp_path / "back.txt")
    assert out.read_text(encoding="utf-8") == "合同正文\n"


def test_restore_refuses_a_tampered_archive_before_touching_anything(database, tmp_path):
    engine, admin, customer = database
    source = tmp_path / "a.txt"
    source.write_text("a", encoding="utf-8")
    with transaction(engine, admin) as s:
        att.attach(s, admin, "customer", customer, source)
    target = backup(engine, tmp_path / ("crm.dump" if ON_PG else "crm.db"))
    archive = attachments_archive(target)
    evil = tmp_path / "evil"
    evil.write_text("x", encoding="utf-8")
    with tarfile.open(archive, "a") as tar:
        tar.add(evil, arcname="../../evil")
    with pytest.raises(ValidationError, match="unexpected entry"):
        restore(engine, target)
    assert not list(get_paths().backups.glob("crm-auto-before-restore-*"))  # refused before the safety backup


def test_backup_without_attachments_writes_no_archive(database, tmp_path):
    engine, _admin, _customer = database
    target = backup(engine, tmp_path / ("crm.dump" if ON_PG else "crm.db"))
    assert not attachments_archive(target).exists()
