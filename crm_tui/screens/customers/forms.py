"""Forms of the customers area: customer, contact, contact log, review (批复), transfer/share.

Every field is checked as you type by the same service function that checks it on save
(``customers.check_field``, ``contacts.check_field``), so the message in the form is the one the save would
give. Saving runs the service in a worker; a conflict or a refusal comes back as a message, the form stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static, TextArea

from crm_tui.core import clock
from crm_tui.i18n import _, n_
from crm_tui.screens.base import Translated, run_service
from crm_tui.services.customers import contact_logs, contacts
from crm_tui.services.customers import records as customers
from crm_tui.services.customers import transfer as customer_transfer
from crm_tui.widgets.forms import Field, FieldError, FormDialog
from crm_tui.widgets.work import report_unexpected, run_use_case

LOG_KINDS = ("visit", "phone", "wechat", "email", "other")


def _text(value) -> str:
    return "" if value is None else str(value)


def tall(field: Field) -> Field:
    """A field holding a TextArea: several lines high."""
    field.add_class("tall")
    return field


class CheckedForm(FormDialog):
    """A form whose inputs are checked as you type by ``checker(field, value)``; ``LABELS`` name the fields.

    The first field has the focus when the form opens (``AUTO_FOCUS``), so typing goes straight into it.
    """

    checker = staticmethod(lambda field, value: None)
    LABELS: dict[str, str] = {}
    AUTO_FOCUS = ".form-fields Input, .form-fields Select, .form-fields TextArea"

    def on_mount(self) -> None:
        from crm_tui.screens.base import translate_select_menus

        translate_select_menus(self)

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        problem = self.checker(field, event.value) if event.value.strip() else None
        if problem:
            self.show_error(f"{_(self.LABELS.get(field, field))}: {problem}")
        elif self._problem is None:  # a save's problem with another field stays until that field changes
            self.show_error("")

    def save_with(self, work, write: bool = True) -> None:
        """Run ``work(session)``; close the form with its result, or keep it open and say what went wrong."""
        run_use_case(self, work, lambda result: self.finish(True if result is None else result), write=write,
                     on_error=self._save_failed, group="form-save")

    def _save_failed(self, exc: BaseException) -> None:
        report_unexpected(self.app, exc)  # said in the form; unexpected ones are logged and notified too
        self.show_error(self.app._describe(exc))


class CustomerForm(CheckedForm):
    """New or edit customer. ``detail`` is a ``CustomerDetail`` (edit) or None (new)."""

    checker = staticmethod(customers.check_field)
    LABELS = customers.LABELS
    FIELDS = ("name", "short_name", "code", "classification", "industry", "area", "address", "credit_code",
              "credit_limit", "opening_balance", "source", "promotion_store")

    def __init__(self, detail=None):
        super().__init__()
        self.detail = detail
        self.title_text = (_("Edit customer {code}").format(code=detail.code) if detail else _("New customer"))

    def fields(self) -> ComposeResult:
        d = self.detail
        hints = {"code": _("empty: the next number"), "classification": _("e.g. A类,重点,县城"),
                 "credit_code": _("18 characters"), "credit_limit": _("e.g. 50,000"), "area": _("e.g. 河东片区"),
                 "promotion_store": "超市促销店 / 促销餐饮店"}
        for name in self.FIELDS:
            value = getattr(d, name) if d else None
            yield Field(_(self.LABELS[name]), Input(_text(value), id=name, placeholder=hints.get(name, "")),
                        required=name == "name")
            if name == "name" and d is None:  # the owner of an existing customer changes by transfer
                yield Field(_("Salesperson"), Select([], id="owner_id", prompt=_("(public pool)")))
        yield tall(Field(_("Remarks"), TextArea(_text(d.remarks) if d else "", id="remarks")))

    def on_mount(self) -> None:  # Textual runs CheckedForm.on_mount too
        if self.detail is None:
            actor = self.app.actor
            run_service(self, lambda session: customers.owner_choices(session, actor), self._owners, group="owners")

    def _owners(self, choices: list[tuple[int, str]]) -> None:
        select = self.query_one("#owner_id", Select)
        select.set_options([(label, uid) for uid, label in choices])
        default = customers.default_owner(self.app.actor)
        if default in {uid for uid, _label in choices}:
            select.value = default

    def collect(self) -> dict:
        values = {name: self.value(name) for name in self.FIELDS}
        values["remarks"] = self.query_one("#remarks", TextArea).text
        for name, value in values.items():
            problem = customers.check_field(name, value) if value.strip() else None
            if problem:
                raise FieldError(name, f"{_(self.LABELS[name])}: {problem}")
        if not values["name"]:
            raise FieldError("name", f"{_('Customer name')}: {_('required')}")
        if self.detail is None:
            return {**{k: v for k, v in values.items() if v.strip()}, "owner_id": self.choice("owner_id")}
        return {k: (v if v.strip() else None) for k, v in values.items() if k != "code" or v.strip()}

    def save(self, values: dict, allow_duplicate: bool = False) -> None:
        actor, detail = self.app.actor, self.detail
        self.saving = values

        def work(session):
            if detail is None:
                return customers.create_customer(session, actor, allow_duplicate=allow_duplicate, **values)
            customers.update_customer(session, actor, detail.id, detail.version, **values)
            return detail.id

        self.save_with(work)

    def _save_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, customers.DuplicateName):
            super()._save_failed(exc)
            return
        values = self.saving

        def answered(choice: str | None) -> None:
            if choice == "open":
                self.finish(OpenCustomer(exc.customer_id))
            elif choice == "create":
                self.save(values, allow_duplicate=True)
            else:
                self.show_error(exc.message)

        self.app.push_screen(DuplicateNameDialog(exc.code, exc.name), answered)


@dataclass(frozen=True)
class OpenCustomer:
    """What the new-customer form closes with when the user chose to open the existing same-named customer."""

    id: int


class DuplicateNameDialog(Translated, ModalScreen[str | None]):
    """A same-named customer exists: open it, create the new one all the same, or go back to the form."""

    BINDINGS = [Binding("escape", "back", "Back", id="duplicate.back")]

    def __init__(self, code: str, name: str):
        super().__init__()
        self.code, self.customer_name = code, name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("A customer with this name already exists: {code} {name}.").format(
                code=self.code, name=self.customer_name), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Open the existing customer"), variant="primary", id="open")
                yield Button(_("Create anyway"), id="create")
                yield Button(_("Back"), id="back")

    def on_mount(self) -> None:
        self.query_one("#open", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_back(self) -> None:
        self.dismiss("back")


class ContactForm(CheckedForm):
    checker = staticmethod(contacts.check_field)
    LABELS = contacts.LABELS
    FIELDS = ("name", "title", "mobile", "landline", "email", "wechat", "birthday")

    def __init__(self, customer_id: int, row=None):
        super().__init__()
        self.customer_id = customer_id
        self.row = row
        self.title_text = _("Edit contact {name}").format(name=row.name) if row else _("New contact")

    def fields(self) -> ComposeResult:
        r = self.row
        hints = {"mobile": "13800138000", "landline": "0539-8123456", "birthday": "1980-05-17"}
        for name in self.FIELDS:
            yield Field(_(self.LABELS[name]), Input(_text(getattr(r, name)) if r else "", id=name,
                                                     placeholder=hints.get(name, "")), required=name == "name")
        yield tall(Field(_("Remarks"), TextArea(_text(r.remarks) if r else "", id="remarks")))

    def collect(self) -> dict:
        values = {name: self.value(name) for name in self.FIELDS}
        for name, value in values.items():
            problem = contacts.check_field(name, value) if value else None
            if problem:
                raise FieldError(name, f"{_(self.LABELS[name])}: {problem}")
        if not values["name"]:
            raise FieldError("name", f"{_('Contact')}: {_('required')}")
        values["remarks"] = self.query_one("#remarks", TextArea).text
        return {k: (v or None) for k, v in values.items()}

    def save(self, values: dict) -> None:
        actor, cid, row = self.app.actor, self.customer_id, self.row

        def work(session):
            if row is None:
                return contacts.add_contact(session, actor, cid, **values)
            contacts.update_contact(session, actor, row.id, row.version, **values)
            return row.id

        self.save_with(work)


def check_log_field(field: str, value: str) -> str | None:
    if field == "at":
        return None if _parse_time(value) else _("expected a time such as 2026-11-03 14:30")
    if field == "next_follow_up":
        return None if _parse_date(value) else _("expected a date such as 2026-11-03")
    return None


class LogForm(CheckedForm):
    """Record a contact (联系记录) with a customer, or (``entry``, a ``LogRow``) correct one's own log; its
    time stays as it was."""

    checker = staticmethod(check_log_field)
    LABELS = {"at": "Time", "next_follow_up": "Follow-up date"}
    AUTO_FOCUS = "#summary"

    def __init__(self, customer_id: int, customer_name: str, contact_rows=(), entry=None):
        super().__init__()
        self.customer_id = customer_id
        self.contact_rows = list(contact_rows)
        self.entry = entry  # not ``self.log``: every Textual node has a ``log`` property
        self.title_text = _("Contact log: {name}").format(name=customer_name)

    def fields(self) -> ComposeResult:
        e = self.entry
        contact = e.contact_id if e else (self.contact_rows[0].id if self.contact_rows else None)
        yield Field(_("Contact kind"), Select([(_(contact_logs.KIND_LABELS[k]), k) for k in LOG_KINDS],
                                              value=e.kind if e else "visit", allow_blank=False, id="kind"))
        yield Field(_("Contact"), Select([(c.name, c.id) for c in self.contact_rows], id="contact_id",
                                         value=Select.NULL if contact is None else contact))
        at = e.at if e else clock.now()
        yield Field(_("Time"), Input(at.strftime("%Y-%m-%d %H:%M"), id="at", disabled=e is not None))
        yield tall(Field(_("Summary"), TextArea(e.summary if e else "", id="summary"), required=True))
        yield Field(_("Result"), Input(_text(e.result if e else None), id="result"))
        yield Field(_("Next step"), Input(_text(e.next_step if e else None), id="next_step"))
        yield Field(_("Follow-up date"), Input(_text(e.next_follow_up if e else None), id="next_follow_up",
                                               placeholder=_("e.g. {date}").format(date=clock.today().isoformat())))

    def collect(self) -> dict:
        summary = self.query_one("#summary", TextArea).text.strip()
        if not summary:
            raise ValueError(f"{_('Summary')}: {_('required')}")
        at = _parse_time(self.value("at")) if self.value("at") else None
        if self.value("at") and at is None:
            raise ValueError(f"{_('Time')}: {_('expected a time such as 2026-11-03 14:30')}")
        follow = self.value("next_follow_up")
        if follow and _parse_date(follow) is None:
            raise ValueError(f"{_('Follow-up date')}: {_('expected a date such as 2026-11-03')}")
        return {"kind": self.choice("kind"), "summary": summary, "at": at, "contact_id": self.choice("contact_id"),
                "result": self.value("result") or None, "next_step": self.value("next_step") or None,
                "next_follow_up": _parse_date(follow) if follow else None}

    def save(self, values: dict) -> None:
        actor, cid, entry = self.app.actor, self.customer_id, self.entry
        if entry is not None:
            fields = {k: v for k, v in values.items() if k != "at"}
            self.save_with(lambda session: contact_logs.update_log(session, actor, entry.id, entry.version, **fields))
            return
        kind, summary = values.pop("kind"), values.pop("summary")
        self.save_with(lambda session: contact_logs.add_log(session, actor, cid, kind, summary, **values))


def _parse_time(text: str) -> datetime | None:
    """A typed time as the importer reads one: 2026-11-03 14:30, 2026/11/3 9:05, 2026年11月3日 …"""
    from crm_tui.io import cells

    try:
        return cells.datetime(text.strip())
    except Exception:  # noqa: BLE001 - anything unreadable is "not a time"
        return None


def _parse_date(text: str) -> date | None:
    """A typed date: 2026-11-03, 2026-11-3, 2026/11/3, 2026年11月3日."""
    from crm_tui.io import cells

    try:
        return cells.date(text.strip())
    except Exception:  # noqa: BLE001
        return None


class ReviewForm(CheckedForm):
    """A manager's comment (批复) on a subordinate's log; shows the log above the comment box."""

    AUTO_FOCUS = "#comment"

    def __init__(self, log):
        super().__init__()
        self.entry = log  # not ``self.log``: every Textual node has a ``log`` property
        self.title_text = _("Review: {customer} · {author} · {at}").format(
            customer=log.customer_name, author=log.author, at=log.at.strftime("%Y-%m-%d %H:%M"))

    def fields(self) -> ComposeResult:
        from textual.widgets import Static

        lg = self.entry
        lines = [f"{_('Contact kind')}: {_(contact_logs.KIND_LABELS.get(lg.kind, lg.kind))}",
                 f"{_('Summary')}: {lg.summary}"]
        if lg.result:
            lines.append(f"{_('Result')}: {lg.result}")
        if lg.next_step or lg.next_follow_up:
            lines.append(f"{_('Next step')}: {lg.next_step or ''} {lg.next_follow_up or ''}")
        yield Static("\n".join(lines), classes="dialog-text")
        yield tall(Field(_("Review comment"), TextArea(lg.review_comment or "", id="comment"), required=True))

    def collect(self) -> dict:
        comment = self.query_one("#comment", TextArea).text.strip()
        if not comment:
            raise ValueError(f"{_('Comment')}: {_('required')}")
        return {"comment": comment}

    def save(self, values: dict) -> None:
        actor, log_id = self.app.actor, self.entry.id
        self.save_with(lambda session: contact_logs.review_log(session, actor, log_id, values["comment"]))


class TransferForm(CheckedForm):
    """Transfer, share or release the marked customers (or every customer of the current filter)."""

    MODES = ("transfer", "share", "unshare", "release")

    def __init__(self, ids_work, how_many: int, user_rows):
        super().__init__()
        self.ids_work = ids_work  # session -> list of customer ids (the marks, or the whole filter)
        self.user_rows = [u for u in user_rows if u.active]
        self.title_text = n_("Transfer or share {n} customer", "Transfer or share {n} customers", how_many).format(
            n=f"{how_many:,}")

    def fields(self) -> ComposeResult:
        labels = {"transfer": _("Transfer to (with open follow-ups)"), "share": _("Share with"),
                  "unshare": _("Stop sharing with"), "release": _("Return to the public pool")}
        yield Field(_("Action"), Select([(labels[m], m) for m in self.MODES], value="transfer", allow_blank=False,
                                        id="mode"))
        yield Field(_("User"), Select([(f"{u.display_name} ({u.staff_number or u.login})", u.id)
                                       for u in self.user_rows], id="user"))

    def collect(self) -> dict:
        mode, user = self.choice("mode"), self.choice("user")
        if mode != "release" and user is None:
            raise ValueError(_("Choose a user."))
        return {"mode": mode, "user": user}

    def save(self, values: dict) -> None:
        actor, ids_work = self.app.actor, self.ids_work
        mode, user = values["mode"], values["user"]

        def work(session):
            ids = ids_work(session)
            if mode == "transfer":
                result = customer_transfer.transfer(session, actor, ids, user)
                return n_("{n} customer and {f} open follow-ups transferred.",
                          "{n} customers and {f} open follow-ups transferred.", result.customers).format(
                    n=result.customers, f=result.follow_ups)
            if mode == "share":
                n = customer_transfer.share(session, actor, ids, [user])
                return n_("{n} share added.", "{n} shares added.", n).format(n=n)
            if mode == "unshare":
                n = customer_transfer.unshare(session, actor, ids, [user])
                return n_("{n} share removed.", "{n} shares removed.", n).format(n=n)
            result = customer_transfer.release(session, actor, ids)
            return n_("{n} customer returned to the public pool.", "{n} customers returned to the public pool.",
                      result.customers).format(n=result.customers)

        self.save_with(work)


def load_users(node, done) -> None:
    """Users for pickers (active ones first), handed to ``done`` on the UI thread."""
    from crm_tui.services.admin import users

    run_service(node, lambda session: users.list_users(session, include_inactive=False), done, group="users")
