"""Attachments: the store (checksum, 0600, size cap), visibility, soft delete and the audit log."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest
from sqlalchemy import select

from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.docs import Attachment
from crm_tui.db.models.system import AuditEntry
from crm_tui.paths import get_paths
from crm_tui.services.docs import attachments as att


def test_attach_copies_the_file_by_checksum_private(org, tx, sample):
    path = sample("报价单.txt", "华联的报价\n")
    with tx(org.s1) as s:
        aid = att.attach(s, org.s1, "customer", org.a, path, note="首次报价")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stored = get_paths().attachments / digest
    assert stored.read_bytes() == path.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    with tx(org.s1) as s:
        row = att.get(s, org.s1, aid)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "attachments")).one()
    assert (row.file_name, row.size, row.checksum, row.note) == ("报价单.txt", path.stat().st_size, digest, "首次报价")
    assert row.uploaded_by == "孙伟" and row.customer_code
    assert entry.action == "create" and entry.user_id == org.s1.id
    assert json.loads(entry.changes)["checksum"] == [None, digest]


def test_same_content_is_stored_once(org, tx, sample):
    with tx(org.s1) as s:
        att.attach(s, org.s1, "customer", org.a, sample("a.txt", "same"))
        att.attach(s, org.s1, "customer", org.a, sample("b.txt", "same"))
    assert [p.name for p in get_paths().attachments.iterdir()] == [hashlib.sha256(b"same").hexdigest()]


def test_size_cap_refuses_with_the_setting_named_and_writes_nothing(org, tx, sample, monkeypatch):
    from crm_tui.services.docs import storage

    monkeypatch.setattr(storage, "max_bytes", lambda: 1024)
    big = sample("big.bin", b"x" * 1025)
    with pytest.raises(ValidationError) as err, tx(org.s1) as s:
        att.attach(s, org.s1, "customer", org.a, big)
    assert "docs.max_attachment_mb" in err.value.message and "big.bin" in err.value.message
    with tx(org.admin) as s:
        assert s.scalars(select(Attachment)).all() == []
    assert not get_paths().attachments.exists() or not any(get_paths().attachments.iterdir())


def test_missing_file_and_unknown_kind_are_clear(org, tx, tmp_path):
    with pytest.raises(ValidationError, match="No such file"), tx(org.s1) as s:
        att.attach(s, org.s1, "customer", org.a, tmp_path / "nope.txt")
    with pytest.raises(ValidationError, match="expected one of"), tx(org.s1) as s:
        att.attach(s, org.s1, "invoice", 1, tmp_path / "nope.txt")


def test_visibility_follows_the_customer(org, tx, sample):
    with tx(org.s1) as s:
        mine = att.attach(s, org.s1, "customer", org.a, sample("a.txt", "a"))
    with tx(org.s2) as s:
        theirs = att.attach(s, org.s2, "customer", org.b, sample("b.txt", "b"))
        # s2 may not attach to (or even learn about) s1's customer
        with pytest.raises(NotFound):
            att.attach(s, org.s2, "customer", org.a, sample("c.txt", "c"))
    with tx(org.s1) as s:
        assert [r.id for r in att.list_attachments(s, org.s1)] == [mine]
        assert [r.id for r in att.for_record(s, org.s1, "customer", org.a)] == [mine]
        with pytest.raises(NotFound):
            att.get(s, org.s1, theirs)
        with pytest.raises(NotFound):
            att.for_record(s, org.s1, "customer", org.b)
    with tx(org.mgr) as s:  # the manager sees their salesperson's, not the other one's
        assert [r.id for r in att.list_attachments(s, org.mgr)] == [mine]
    with tx(org.clerk) as s:
        assert {r.id for r in att.list_attachments(s, org.clerk)} == {mine, theirs}


def test_contact_log_attachment_shows_on_the_customer(org, tx, sample):
    from crm_tui.services.customers import contact_logs

    with tx(org.s1) as s:
        log = contact_logs.add_log(s, org.s1, org.a, "phone", "谈了报价")
        aid = att.attach(s, org.s1, "contact_log", log, sample("记录.txt", "x"))
    with tx(org.s1) as s:
        rows = att.for_record(s, org.s1, "customer", org.a)
        assert [(r.id, r.owner_kind, r.owner_id) for r in rows] == [(aid, "contact_log", log)]
        assert [r.id for r in att.for_record(s, org.s1, "contact_log", log)] == [aid]
    with tx(org.s2) as s, pytest.raises(NotFound):
        att.for_record(s, org.s2, "contact_log", log)


def test_a_ticket_attachment_follows_the_ticket_customer(org, tx, sample):
    from crm_tui.services.tickets import records as tickets

    with tx(org.s1) as s, pytest.raises(NotFound):
        att.attach(s, org.s1, "ticket", 424242, sample("t.txt", "t"))
    with tx(org.s1) as s:
        ticket = tickets.add_ticket(s, org.s1, org.a, "repair", "冰柜不制冷")
        aid = att.attach(s, org.s1, "ticket", ticket.id, sample("t.txt", "t"))
        assert att.get(s, org.s1, aid).owner_kind == "ticket"
    with tx(org.s2) as s, pytest.raises(NotFound):  # s2 does not see the ticket's customer
        att.get(s, org.s2, aid)


def test_expense_claim_follows_its_claimant(org, tx, sample):
    from datetime import date
    from decimal import Decimal

    from crm_tui.services.sales import expenses

    with tx(org.s1) as s:
        claim = expenses.create_claim(s, org.s1, Decimal("88.50"), "差旅费", date.today())
        aid = att.attach(s, org.s1, "expense_claim", claim, sample("发票.txt", "f"))
    with tx(org.mgr) as s:
        assert [r.id for r in att.for_record(s, org.mgr, "expense_claim", claim)] == [aid]
    with tx(org.s2) as s, pytest.raises(NotFound):
        att.attach(s, org.s2, "expense_claim", claim, sample("x.txt", "x"))


def test_soft_delete_is_audited_and_hides_the_row(org, tx, sample):
    with tx(org.s1) as s:
        aid = att.attach(s, org.s1, "customer", org.a, sample("a.txt", "a"))
    with tx(org.s2) as s, pytest.raises(NotFound):
        att.delete(s, org.s2, aid)
    with tx(org.mgr) as s:
        att.delete(s, org.mgr, aid)
    with tx(org.admin) as s:
        row = s.get(Attachment, aid)
        assert row.deleted_at is not None and row.deleted_by == org.mgr.id
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "attachments",
                                                   AuditEntry.action == "update")).one()
        assert entry.user_id == org.mgr.id and "deleted_by" in json.loads(entry.changes)
        assert att.list_attachments(s, org.admin) == []
        assert [r.id for r in att.list_attachments(s, org.admin, include_deleted=True)] == [aid]
        with pytest.raises(StateError):
            att.delete(s, org.admin, aid)
        with pytest.raises(StateError):
            att.export(s, org.admin, aid, get_paths().data)
    assert get_paths().attachments.joinpath(row.checksum).exists()  # the file stays for history and backups


def test_delete_needs_more_than_seeing(org, tx, sample, engine):
    from crm_tui.db.models.customers import CustomerShare

    with tx(org.s1) as s:
        aid = att.attach(s, org.s1, "customer", org.a, sample("a.txt", "a"))
    with tx(org.admin) as s:
        s.add(CustomerShare(customer_id=org.a, user_id=org.s2.id))
    with tx(org.s2) as s:
        assert [r.id for r in att.list_attachments(s, org.s2)] == [aid]
        with pytest.raises(PermissionDenied):
            att.delete(s, org.s2, aid)


def test_export_copies_out_and_checks_the_checksum(org, tx, sample, tmp_path):
    path = sample("价格表.txt", "价格\n")
    with tx(org.s1) as s:
        aid = att.attach(s, org.s1, "customer", org.a, path)
    out = tmp_path / "out"
    out.mkdir()
    with tx(org.s1) as s:
        target = att.export(s, org.s1, aid, out)
        assert target == out / "价格表.txt" and target.read_bytes() == path.read_bytes()
        with pytest.raises(ValidationError, match="exists already"):
            att.export(s, org.s1, aid, out)
        row = att.get(s, org.s1, aid)
    stored = get_paths().attachments / row.checksum
    stored.chmod(0o600)
    stored.write_bytes(b"tampered")
    with tx(org.s1) as s, pytest.raises(ValidationError, match="damaged"):
        att.export(s, org.s1, aid, out / "again.txt")


def test_find_owner_by_code_number_or_id(org, tx):
    from crm_tui.db.models.customers import Customer

    with tx(org.s1) as s:
        code = s.get(Customer, org.a).code
        assert att.find_owner(s, org.s1, "customer", code).id == org.a
        assert att.find_owner(s, org.s1, "customer", f"#{org.a}").id == org.a
        with pytest.raises(NotFound):
            att.find_owner(s, org.s1, "quote", "QT999")
