"""Attachments (附件): files attached to a customer, quote, sales order, contact log, ticket or expense claim.

One use case per action, each taking a Session and the acting user:

- ``attach``: checks that the owning record exists and that the actor sees it, checks the size cap, copies
  the file into the store (storage.py) and records it; audited as every ``Attachment`` write is.
- ``list_attachments`` / ``for_record``: the attachments the actor may see (deleted ones on request).
- ``export`` (copy out), ``open_copy`` (a named copy for the system opener; screens only): need visibility.
- ``delete``: a soft delete (``deleted_at`` / ``deleted_by``), by the uploader, whoever sees the uploader's
  records (their managers), clerks (``documents.manage``) and administrators.

Visibility follows the owning record: its customer's rule (customer_visibility), or for a record without a
customer (an expense claim) the rule over its person (the claimant), as the sales flow shows claims. The
customer (or person) is copied onto the attachment when it is made, so lists filter in one join.

'ticket' is accepted before the tickets area exists: when a ``tickets`` table is there, its ``customer_id``
is read; otherwise the ticket is not checked and the attachment follows its uploader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session, aliased

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import NotFound, PermissionDenied, StateError, ValidationError
from crm_tui.db.models import docs as doc_models
from crm_tui.db.models.customers import ContactLog, Customer
from crm_tui.db.models.docs import Attachment
from crm_tui.db.models.people import User
from crm_tui.db.models.sales import ExpenseClaim, Quote, SalesOrder
from crm_tui.i18n import _
from crm_tui.paths import ensure_dir, get_paths
from crm_tui.services.admin import permissions
from crm_tui.services.customers import visibility
from crm_tui.services.docs import OWNER_KINDS, storage

assert OWNER_KINDS == doc_models.OWNER_KINDS

KIND_LABELS = {
    "customer": "customer",
    "quote": "quote",
    "order": "sales order",
    "contact_log": "contact log",
    "ticket": "ticket",
    "expense_claim": "expense claim",
}
_DOCUMENTS = {"quote": Quote, "order": SalesOrder, "expense_claim": ExpenseClaim}


def size_text(size: int) -> str:
    """1.5 KB, 2.0 MB: a file size for people."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1048576:.1f} MB"


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind, kind))


@dataclass(frozen=True)
class Owner:
    kind: str
    id: int
    customer_id: int | None
    person_id: int | None
    label: str  # K00012, QT202611-0001, #7


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    owner_kind: str
    owner_id: int
    customer_id: int | None
    customer_code: str | None
    customer_name: str | None
    file_name: str
    size: int
    checksum: str
    note: str | None
    uploaded_by: str
    uploaded_at: datetime
    deleted_at: datetime | None

    def as_json(self) -> dict:
        return {"id": self.id, "owner_kind": self.owner_kind, "owner_id": self.owner_id,
                "customer": self.customer_code, "file_name": self.file_name, "size": self.size,
                "sha256": self.checksum, "note": self.note, "uploaded_by": self.uploaded_by,
                "uploaded_at": self.uploaded_at.isoformat(timespec="seconds"),
                "deleted": self.deleted_at is not None}


def check_kind(kind: str) -> str:
    kind = (kind or "").strip().lower().replace("-", "_")
    if kind not in OWNER_KINDS:
        raise ValidationError(_("Unknown record kind {kind!r}; expected one of: {kinds}.").format(
            kind=kind, kinds=", ".join(OWNER_KINDS)), "kind")
    return kind


def _not_found(kind: str, key) -> NotFound:
    # one answer for a missing record and one the actor may not see
    return NotFound(_("No such {kind}: {key}").format(kind=kind_label(kind), key=key))


def _tickets_table():
    from crm_tui.db.models import metadata

    return metadata.tables.get("tickets")


def owner_of(session: Session, actor: Actor, kind: str, owner_id: int, key=None) -> Owner:
    """The record ``kind``/``owner_id``, when it exists and ``actor`` may see it."""
    kind = check_kind(kind)
    key = key if key is not None else f"#{owner_id}"
    if kind == "customer":
        customer = session.get(Customer, owner_id)
        if customer is None or not visibility.customer_visible(session, actor, owner_id):
            raise _not_found(kind, key)
        return Owner(kind, owner_id, owner_id, None, customer.code)
    if kind == "contact_log":
        log = session.get(ContactLog, owner_id)
        if log is None or not visibility.customer_visible(session, actor, log.customer_id):
            raise _not_found(kind, key)
        return Owner(kind, owner_id, log.customer_id, None, f"#{owner_id}")
    if kind == "ticket":
        table = _tickets_table()
        if table is None:  # the tickets area is not there yet: accepted unchecked, follows its uploader
            return Owner(kind, owner_id, None, actor.id, f"#{owner_id}")
        customer_id = session.execute(select(table.c.customer_id).where(table.c.id == owner_id)).scalar()
        if customer_id is None or not visibility.customer_visible(session, actor, customer_id):
            raise _not_found(kind, key)
        return Owner(kind, owner_id, customer_id, None, f"#{owner_id}")
    doc = session.get(_DOCUMENTS[kind], owner_id)
    if doc is None:
        raise _not_found(kind, key)
    label = doc.number or f"#{doc.id}"
    if kind == "expense_claim":
        if not visibility.can_see_owner(session, actor, doc.claimant_id):
            raise _not_found(kind, key)
        return Owner(kind, owner_id, None, doc.claimant_id, label)
    if not visibility.customer_visible(session, actor, doc.customer_id):
        raise _not_found(kind, key)
    return Owner(kind, owner_id, doc.customer_id, None, label)


def find_owner(session: Session, actor: Actor, kind: str, key: str) -> Owner:
    """The record named by ``key``: a customer code, a document number, or ``#id`` / a bare id."""
    kind = check_kind(kind)
    key = str(key).strip()
    if not key:
        raise ValidationError(_("Name the {kind}: its code, number or #id.").format(kind=kind_label(kind)), "owner")
    plain = key.removeprefix("#")
    if kind == "customer":
        found = session.scalar(select(Customer.id).where(Customer.code == key))
        if found is None and plain.isdigit():
            found = int(plain)
        if found is None:
            raise _not_found(kind, key)
        return owner_of(session, actor, kind, found, key)
    if kind in _DOCUMENTS:
        model = _DOCUMENTS[kind]
        found = session.scalar(select(model.id).where(model.number == key))
        if found is not None:
            return owner_of(session, actor, kind, found, key)
    if not plain.isdigit():
        raise _not_found(kind, key)
    return owner_of(session, actor, kind, int(plain), key)


def attach(session: Session, actor: Actor, kind: str, owner_id: int, path: str | os.PathLike, *,
           note: str | None = None, name: str | None = None, at: datetime | None = None) -> int:
    """Attach the file at ``path`` to the record; the new attachment's id. ``name``: the name to keep
    (default the file's own); ``at``: when it was attached (default now; the demo dates its documents).

    The file is copied into the store inside the caller's transaction (a retry stores it again: the same
    content keeps one file); should the transaction fail, the stored file stays unreferenced and harmless."""
    owner = owner_of(session, actor, kind, owner_id)
    note = (note or "").strip() or None
    if note and len(note) > 300:
        raise ValidationError(_("The note is {n} characters; at most 300.").format(n=len(note)), "note")
    file_name = storage.safe_name(name or Path(path).name)
    if len(file_name) > 255:
        raise ValidationError(_("The file name is longer than 255 characters."), "file")
    stored = storage.store(Path(path))
    row = Attachment(owner_kind=owner.kind, owner_id=owner.id, customer_id=owner.customer_id,
                     person_id=owner.person_id, file_name=file_name, checksum=stored.checksum, size=stored.size,
                     note=note, uploaded_by=actor.id, uploaded_at=(at or clock.now()).replace(microsecond=0))
    session.add(row)
    session.flush()
    return row.id


def visible_clause(session: Session, actor: Actor) -> ColumnElement[bool]:
    """WHERE clause over ``Attachment``: the attachments of records ``actor`` may see."""
    if visibility.sees_everything(actor):
        return true()
    customers = select(Customer.id).where(visibility.visible_customers_clause(session, actor))
    return or_(
        and_(Attachment.customer_id.is_not(None), Attachment.customer_id.in_(customers)),
        and_(Attachment.customer_id.is_(None), permissions.owner_filter(session, actor, Attachment.person_id)),
    )


def _rows(session: Session, stmt) -> list[AttachmentRow]:
    return [AttachmentRow(*r) for r in session.execute(stmt)]


def _select(session: Session, actor: Actor):
    uploader = aliased(User)
    return (select(Attachment.id, Attachment.owner_kind, Attachment.owner_id, Attachment.customer_id, Customer.code,
                   Customer.name, Attachment.file_name, Attachment.size, Attachment.checksum, Attachment.note,
                   uploader.display_name, Attachment.uploaded_at, Attachment.deleted_at)
            .join(uploader, uploader.id == Attachment.uploaded_by)
            .outerjoin(Customer, Customer.id == Attachment.customer_id)
            .where(visible_clause(session, actor))
            .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc()))


def list_attachments(session: Session, actor: Actor, *, kind: str | None = None, owner_id: int | None = None,
                     customer_id: int | None = None, include_deleted: bool = False,
                     limit: int = 500) -> list[AttachmentRow]:
    stmt = _select(session, actor).limit(limit)
    if kind:
        stmt = stmt.where(Attachment.owner_kind == check_kind(kind))
    if owner_id is not None:
        stmt = stmt.where(Attachment.owner_id == owner_id)
    if customer_id is not None:
        stmt = stmt.where(Attachment.customer_id == customer_id)
    if not include_deleted:
        stmt = stmt.where(Attachment.deleted_at.is_(None))
    return _rows(session, stmt)


def for_record(session: Session, actor: Actor, kind: str, id: int) -> list[AttachmentRow]:  # noqa: A002
    """The live attachments of one record, for its page. For a customer: every attachment of the customer,
    on the customer itself and on its quotes, orders, contact logs and tickets (``owner_kind`` tells which).
    A record the actor may not see (or that does not exist) raises NotFound."""
    owner = owner_of(session, actor, kind, id)
    if owner.kind == "customer":
        return list_attachments(session, actor, customer_id=owner.id)
    return list_attachments(session, actor, kind=owner.kind, owner_id=owner.id)


def get(session: Session, actor: Actor, attachment_id: int) -> AttachmentRow:
    """One attachment the actor may see (deleted ones too: their history stays readable)."""
    rows = _rows(session, _select(session, actor).where(Attachment.id == attachment_id))
    if not rows:
        raise NotFound(_("No such attachment: {id}").format(id=f"#{attachment_id}"))
    return rows[0]


def stored_file(session: Session, actor: Actor, attachment_id: int) -> tuple[AttachmentRow, Path]:
    """The attachment and its stored file (checked against its checksum); refused for a deleted one."""
    row = get(session, actor, attachment_id)
    if row.deleted_at is not None:
        raise StateError(_("Attachment {id} ({name}) was deleted.").format(id=f"#{row.id}", name=row.file_name))
    return row, storage.verify(row.checksum)


def export(session: Session, actor: Actor, attachment_id: int, target: str | os.PathLike) -> Path:
    """Copy the attachment out to ``target``: a new file, or a folder to put it in under its own name."""
    row, _path = stored_file(session, actor, attachment_id)
    target = Path(target)
    if target.is_dir():
        target = target / row.file_name
    return storage.copy_out(row.checksum, target)


def open_copy(session: Session, actor: Actor, attachment_id: int) -> Path:
    """A copy under its original name in the cache folder, for the system opener (the store names files
    by checksum, without the extension a viewer goes by)."""
    row, _path = stored_file(session, actor, attachment_id)
    folder = ensure_dir(get_paths().cache / "opened" / str(row.id))
    target = folder / row.file_name
    if target.exists():
        if storage.sha256_of(target) == row.checksum:
            return target
        target.unlink()
    return storage.copy_out(row.checksum, target)


def can_delete(session: Session, actor: Actor, row: Attachment) -> bool:
    if actor.is_admin or permissions.can(actor, "documents.manage") or row.uploaded_by == actor.id:
        return True
    return visibility.can_see_owner(session, actor, row.uploaded_by)


def delete(session: Session, actor: Actor, attachment_id: int) -> None:
    """Soft delete: the row stays (and its file), marked deleted by whom and when; audited."""
    get(session, actor, attachment_id)  # NotFound for one the actor may not see
    row = session.scalar(select(Attachment).where(Attachment.id == attachment_id).with_for_update())
    if row.deleted_at is not None:
        raise StateError(_("Attachment {id} ({name}) is deleted already.").format(id=f"#{row.id}",
                                                                                 name=row.file_name))
    if not can_delete(session, actor, row):
        raise PermissionDenied(_("Only the uploader, their managers, clerks and administrators may delete "
                                 "attachment {id}.").format(id=f"#{row.id}"))
    row.deleted_at = clock.now().replace(microsecond=0)
    row.deleted_by = actor.id
    session.flush()


def open_with_system(path: Path) -> None:
    """Hand ``path`` to the desktop's opener (xdg-open, open, os.startfile); the interface calls this."""
    import subprocess
    import sys

    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]  # noqa: S606
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    import shutil

    if not shutil.which(opener):
        raise StateError(_("No system opener ({opener}) is installed; export the file instead.").format(
            opener=opener))
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,  # noqa: S603
                     start_new_session=True)
