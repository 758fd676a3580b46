"""Customer records (客户): create, read, edit with optimistic locking, archive, delete when there is no history.

Services take a Session and an Actor; what is written comes in as ``CustomerCreate`` / ``CustomerUpdate`` and a
customer goes out as ``CustomerRead`` (schemas.py), built here from keywords when the caller gives those. The
audit log and the search index follow every write automatically (services/common/audit.py, db/search.py).
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ConflictError, PermissionDenied, StateError, ValidationError
from crm_tui.db.models.customers import CUSTOMER_STATUSES, Contact, ContactLog, Customer, CustomerShare
from crm_tui.db.models.people import User
from crm_tui.i18n import _
from crm_tui.services.admin import permissions
from crm_tui.services.customers import fields as F
from crm_tui.services.customers.schemas import (  # noqa: F401  (the form's field checks and labels)
    EDITABLE,
    LABELS,
    CustomerCreate,
    CustomerRead,
    CustomerUpdate,
    check_field,
    clean_values,
)
from crm_tui.services.customers.visibility import (
    can_edit,
    can_see_owner,
    no_such_customer,
    owner_ids,
    require_editable,
    require_visible,
    visible_customers_clause,
)


def _check_unique(session: Session, values: dict, customer_id: int | None = None) -> None:
    other = Customer.id != (customer_id or -1)
    if values.get("code") and session.scalar(select(Customer.id).where(Customer.code == values["code"], other)):
        raise ConflictError(_("Customer code {code} is already used.").format(code=values["code"]))
    credit = values.get("credit_code")
    if credit:
        clash = session.execute(select(Customer.code, Customer.name).where(Customer.credit_code == credit, other)).first()
        if clash:
            raise ConflictError(_("Credit code {credit} already belongs to {code} {name}.").format(
                credit=credit, code=clash.code, name=clash.name))


class DuplicateName(ConflictError):
    """A new customer's name matches an existing one's (normalised as imports compare them)."""

    def __init__(self, customer_id: int, code: str, name: str):
        super().__init__(_("A customer with this name already exists: {code} {name}.").format(code=code, name=name))
        self.customer_id, self.code, self.name = customer_id, code, name


def find_same_name(session: Session, name: str, exclude_id: int | None = None) -> tuple[int, str, str] | None:
    """The (id, code, name) of a customer whose name matches ``name`` once normalised, or None. Visibility is
    not asked: telling a clerk a same-named customer exists (in someone else's hands) is what keeps the second
    one from being made."""
    key = F.name_key(name or "")
    if not key:
        return None
    row = session.execute(select(Customer.id, Customer.code, Customer.name).where(
        Customer.name_key == key, Customer.id != (exclude_id or -1)).order_by(Customer.id).limit(1)).first()
    return tuple(row) if row else None


def _check_owner(session: Session, actor: Actor, owner_id: int | None) -> None:
    """Salespeople give customers to themselves (or the pool); managers to their people; clerks to anyone."""
    if owner_id is None:
        return
    user = session.get(User, owner_id)
    if user is None:
        raise ValidationError(_("No such user: {id}").format(id=owner_id), field="owner_id")
    if not user.active:
        raise ValidationError(_("{name} is disabled and cannot own customers.").format(name=user.display_name),
                              field="owner_id")
    if actor.is_admin or (permissions.can(actor, "records.assign") and permissions.can(actor, "customers.edit_all")):
        return
    if not can_see_owner(session, actor, owner_id):
        raise PermissionDenied(_("You may not give customers to {name}.").format(name=user.display_name))


OWNER_ROLES = ("salesperson", "manager")  # who a new customer is usually given to (others via transfer)


def owner_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The people ``actor`` may give a new customer to, as (id, "name (工号)"): active salespeople and managers,
    only their own people for those who may not give customers to anyone."""
    stmt = select(User).where(User.active.is_(True), User.role.in_(OWNER_ROLES)).order_by(User.display_name)
    anyone = actor.is_admin or (permissions.can(actor, "records.assign") and permissions.can(actor, "customers.edit_all"))
    mine = None if anyone else owner_ids(session, actor)
    return [(u.id, f"{u.display_name} ({u.staff_number or u.login})") for u in session.scalars(stmt)
            if mine is None or u.id in mine]


def default_owner(actor: Actor) -> int | None:
    """A salesperson's new customer is theirs; anyone else's goes to the public pool unless they choose."""
    return actor.id if actor.role == "salesperson" else None


def next_codes(session: Session, n: int, exclude: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """``n`` free codes from the ``customer`` numbering mask, taken as one block from the counter (an import
    of 100,000 rows takes one UPDATE, not 100,000). Codes already used, by hand or by an import, and those in
    ``exclude`` (codes a file brings) are skipped."""
    from crm_tui.db.models.system import Counter
    from crm_tui.services.common import numbering

    today = clock.today()
    mask = numbering.mask_for("customer")
    period = numbering.period_of(mask, today)
    codes: list[str] = []
    while len(codes) < n:
        need = n - len(codes)
        numbering.take_number(session, "customer", today, mask)  # creates the counter row if needed
        last = session.execute(
            update(Counter).where(Counter.kind == "customer", Counter.period == period)
            .values(value=Counter.value + need - 1).returning(Counter.value)).scalar_one()
        candidates = [numbering.render(mask, today, seq) for seq in range(last - need + 1, last + 1)]
        used = set()
        for i in range(0, len(candidates), 1000):
            part = candidates[i:i + 1000]
            used.update(session.scalars(select(Customer.code).where(Customer.code.in_(part))))
        codes += [c for c in candidates if c not in used and c not in exclude]
    return codes


def next_code(session: Session) -> str:
    return next_codes(session, 1)[0]


def create_customer(session: Session, actor: Actor, data: CustomerCreate | None = None, /, *,
                    allow_duplicate: bool = False, **values) -> int:
    """A new customer from ``data``, or from the fields as keywords (typed text is cleaned). A name another
    customer has already (normalised) raises ``DuplicateName`` unless ``allow_duplicate``."""
    permissions.require(actor, "customers.create")
    data = data if data is not None else CustomerCreate.model_validate(values)
    values = data.changes()
    same = None if allow_duplicate else find_same_name(session, values["name"])
    if same:
        raise DuplicateName(*same)
    if "owner_id" not in values and not (actor.is_admin or permissions.can(actor, "customers.edit_all")):
        values["owner_id"] = actor.id
    _check_owner(session, actor, values.get("owner_id"))
    _check_unique(session, values)
    if not values.get("code"):
        values["code"] = next_code(session)
    customer = Customer(status="active", **values)
    session.add(customer)
    session.flush()
    return customer.id


def _load_for_change(session: Session, actor: Actor, customer_id: int, expected_version: int | None) -> Customer:
    customer = require_editable(session, actor, customer_id)
    if expected_version is not None and customer.version != expected_version:
        raise ConflictError(_("Customer {code} was changed by someone else; reload it and try again.").format(
            code=customer.code))
    return customer


def update_customer(session: Session, actor: Actor, customer_id: int, expected_version: int,
                    data: CustomerUpdate | None = None, /, **values) -> None:
    """Change the fields ``data`` (or the keywords) give; ``expected_version`` is the version the user started
    editing from."""
    customer = _load_for_change(session, actor, customer_id, expected_version)
    values = (data if data is not None else CustomerUpdate.model_validate(values)).changes()
    if "owner_id" in values and values["owner_id"] != customer.owner_id:
        permissions.require(actor, "records.assign")
        _check_owner(session, actor, values["owner_id"])
    _check_unique(session, values, customer_id)
    for key, value in values.items():
        setattr(customer, key, value)
    session.flush()


def set_promotion_store(session: Session, actor: Actor, customer_id: int, kind: str | None) -> None:
    """Flag a customer as a promotion store (超市促销店 / 促销餐饮店), or clear the flag with None."""
    from crm_tui.services.customers.fields import promotion_store

    customer = _load_for_change(session, actor, customer_id, None)
    try:
        customer.promotion_store = promotion_store(kind) if kind else None
    except ValueError as exc:
        raise ValidationError(f"{_('Promotion store')}: {exc}", field="promotion_store") from exc
    session.flush()


def set_status(session: Session, actor: Actor, customer_id: int, status: str,
               expected_version: int | None = None) -> None:
    """Archive (or re-activate) a customer: archived customers leave the default lists but keep everything."""
    if status not in CUSTOMER_STATUSES:
        raise ValidationError(_("Unknown status {status}").format(status=status), field="status")
    customer = _load_for_change(session, actor, customer_id, expected_version)
    customer.status = status
    session.flush()


def has_history(session: Session, customer_id: int) -> bool:
    return session.scalar(select(func.count()).select_from(ContactLog).where(ContactLog.customer_id == customer_id)) > 0


def delete_customer(session: Session, actor: Actor, customer_id: int, expected_version: int | None = None) -> None:
    """Delete a customer entered by mistake. One with history (contact logs, or any document another area
    keeps, which the database's foreign keys guard) is refused: archive it instead."""
    permissions.require(actor, "customers.delete")
    customer = _load_for_change(session, actor, customer_id, expected_version)
    refusal = StateError(_("Customer {code} has history and cannot be deleted; archive it instead.").format(
        code=customer.code))
    if has_history(session, customer_id):
        raise refusal
    try:
        with session.begin_nested():
            for contact in session.scalars(select(Contact).where(Contact.customer_id == customer_id)):
                session.delete(contact)
            for share in session.scalars(select(CustomerShare).where(CustomerShare.customer_id == customer_id)):
                session.delete(share)
            session.delete(customer)
            session.flush()
    except IntegrityError as exc:
        raise refusal from exc


def find_customer(session: Session, actor: Actor, key: str | int, *, handled_by: str | None = None) -> Customer:
    """A customer by code, id, or exact name: the one lookup every area uses. ``actor`` must see it, unless
    they hold ``handled_by``, an action whose holders work for every customer (warehouse staff lending
    samples hold ``stock.manage``)."""
    text = F.text(key)
    everyone = handled_by is not None and permissions.can(actor, handled_by)
    cid = session.scalar(select(Customer.id).where(Customer.code == text.upper()))
    if cid is None and text.isdigit() and session.get(Customer, int(text)) is not None:
        cid = int(text)
    if cid is None:  # by name among the customers the actor may see: others' namesakes are not theirs to know
        named = select(Customer.id).where(Customer.name == text)
        ids = session.scalars(named if everyone else named.where(visible_customers_clause(session, actor))).all()
        if len(ids) > 1:
            raise ValidationError(_("Several customers are called {name}; use the code.").format(name=text),
                                  field="customer")
        cid = ids[0] if ids else None
    if cid is None:
        raise no_such_customer(key)
    if everyone:
        return session.get(Customer, cid)
    return require_visible(session, actor, cid, key)


def get_customer(session: Session, actor: Actor, customer_id: int) -> CustomerRead:
    c = require_visible(session, actor, customer_id)
    owner = session.get(User, c.owner_id).display_name if c.owner_id else None
    shared = session.scalars(
        select(User.display_name).join(CustomerShare, CustomerShare.user_id == User.id)
        .where(CustomerShare.customer_id == customer_id).order_by(User.display_name)
    ).all()
    return CustomerRead.model_validate(c, update={
        "owner": owner, "editable": can_edit(session, actor, c), "shared_with": tuple(shared)})


CustomerDetail = CustomerRead  # the name screens know it by


from crm_tui.services.customers import checks as _checks  # noqa: E402, F401  (registers the invariants)
