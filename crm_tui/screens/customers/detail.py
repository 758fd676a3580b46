"""One customer: its details, contacts and contact logs (later areas add documents and receivables).

Keys: Esc back · F2 new contact log · F6 new contact · F4 edit the customer · Enter on a contact edits it, on a
log shows it (or opens the review for a manager) · F7 makes the contact under the cursor the primary one · F8
deletes it · ctrl+e edits the log under the cursor (its author, until reviewed) · ctrl+d marks its follow-up done · ctrl+r
reviews it (managers) · ctrl+o the customer page (客户360) · ctrl+t its attachments (附件) · F5 refresh. The section
titles repeat the keys of their lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Header, Static

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import ConfirmDialog, CrmScreen, run_service
from crm_tui.services.customers import contact_logs, contacts
from crm_tui.services.customers import records as customers
from crm_tui.widgets.tables import SizedTable

LOG_LIMIT = 200  # the latest logs; older ones are in the contact logs area


@dataclass(frozen=True)
class CustomerView:
    detail: customers.CustomerDetail
    contacts: list[contacts.ContactRow]
    logs: list[contact_logs.LogRow]
    can_review: dict[int, bool]


def load_view(session, actor, customer_id: int) -> CustomerView:
    detail = customers.get_customer(session, actor, customer_id)
    people = contacts.list_contacts(session, actor, customer_id)
    logs = contact_logs.list_logs(session, actor, customer_id=customer_id, limit=LOG_LIMIT)
    reviewable = {lg.id: contact_logs.can_review(session, actor, lg.author_id) for lg in logs}
    return CustomerView(detail, people, logs, reviewable)


def info_columns(d: customers.CustomerDetail) -> tuple[str, str]:
    """The details in two columns (short fields left, long ones right) so they fit above the lists."""
    pairs = [
        (_("Customer code"), d.code), (_("Customer name"), d.name), (_("Short name"), d.short_name),
        (_("Salesperson"), d.owner or _("(pool)")), (_("Classification"), d.classification),
        (_("Industry"), d.industry), (_("Area"), d.area), (_("Address"), d.address),
        (_("Credit code"), d.credit_code),
        (_("Credit limit"), format_money(d.credit_limit) if d.credit_limit is not None else None),
        (_("Opening balance"), format_money(d.opening_balance) if d.opening_balance is not None else None),
        (_("Shared with"), ", ".join(d.shared_with) or None), (_("Registered"), d.created_on.isoformat()),
        (_("Last contact"), d.last_contact_at.strftime("%Y-%m-%d %H:%M") if d.last_contact_at else None),
        (_("Status"), _(d.status)), (_("Remarks"), d.remarks),
    ]
    lines = [f"{k}: {v}" for k, v in pairs if v not in (None, "")]
    half = (len(lines) + 1) // 2
    return "\n".join(lines[:half]), "\n".join(lines[half:])


def section(title: str, keys: str) -> Text:
    """A section title with the keys of its list beside it (dim), as plain text: no markup to escape."""
    text = Text(title, style="bold")
    text.append("  " + keys, style="dim")
    return text


class CustomerScreen(CrmScreen):
    DEFAULT_CSS = """
    CustomerScreen #customer-info { height: auto; max-height: 11; padding: 0 1; border: round $primary; }
    CustomerScreen #customer-info Static { width: 1fr; }
    CustomerScreen .section { text-style: bold; color: $accent; padding: 0 1; height: 1; }
    CustomerScreen #contacts { height: auto; max-height: 8; }
    CustomerScreen #logs { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="customer.back"),
        Binding("f2", "new_log", "New log", id="customer.new_log"),
        Binding("f6", "new_contact", "New contact", id="customer.new_contact"),
        Binding("f4", "edit", "Edit", id="customer.edit"),
        Binding("f7", "primary_contact", "Make primary", id="customer.primary_contact"),
        Binding("f8", "delete_contact", "Delete contact", id="customer.delete_contact"),
        Binding("ctrl+e", "edit_log", "Edit log", id="customer.edit_log"),
        Binding("ctrl+d", "follow_up_done", "Follow-up done", id="customer.follow_up_done"),
        Binding("ctrl+r", "review", "Review", id="customer.review"),
        Binding("f5", "reload", "Refresh", id="customer.refresh"),
        Binding("ctrl+t", "attachments", "Attachments", id="customer.attachments", show=False),  # in F1
        Binding("ctrl+o", "customer_page", "Customer page", id="customer.page"),
    ]

    def __init__(self, customer_id: int):
        super().__init__()
        self.customer_id = customer_id
        self.view: CustomerView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            with Horizontal(id="customer-info"):
                yield Static(_("Loading…"), id="info-left")
                yield Static("", id="info-right")
            yield Static(section(_("Contacts"), _("Enter edit · F6 new · F7 primary · F8 delete")), classes="section")
            table = SizedTable(id="contacts", cursor_type="row", zebra_stripes=True)
            table.add_columns(_("Contact"), _("Job title"), _("Mobile"), _("Phone"), _("E-mail"), _("WeChat"),
                              _("Primary"))
            yield table
            yield Static(section(_("Contact logs"), _("F2 new · ctrl+e edit · ctrl+d follow-up done · Enter show · ctrl+r review")),
                         classes="section")
            logs = SizedTable(id="logs", cursor_type="row", zebra_stripes=True)
            logs.add_columns(_("Time"), _("Contact kind"), _("By"), _("Contact"), _("Summary"), _("Follow-up"),
                             _("Review"))
            yield logs
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        actor, cid = self.app.actor, self.customer_id
        run_service(self, lambda s: load_view(s, actor, cid), self._show, group="customer-view")

    def _show(self, view: CustomerView) -> None:
        self.view = view
        self.sub_title = f"{view.detail.code} {view.detail.name}"
        left, right = info_columns(view.detail)
        self.query_one("#info-left", Static).update(left)
        self.query_one("#info-right", Static).update(right)
        table = self.query_one("#contacts", DataTable)
        table.clear()
        for c in view.contacts:
            table.add_row(c.name, c.title or "", c.mobile or "", c.landline or "", c.email or "", c.wechat or "",
                          "★" if c.is_primary else "", key=str(c.id))
        logs = self.query_one("#logs", DataTable)
        logs.clear()
        for lg in view.logs:
            review = f"{lg.reviewer}: {lg.review_comment}" if lg.review_comment else ""
            follow = f"{lg.next_follow_up or ''} {lg.next_step or ''}".strip()
            if follow and lg.follow_up_done_at:
                follow += " ✓"
            logs.add_row(lg.at.strftime("%Y-%m-%d %H:%M"), _(contact_logs.KIND_LABELS.get(lg.kind, lg.kind)),
                         lg.author, lg.contact or "", lg.summary, follow, review, key=str(lg.id))
        if not self.focused or self.focused is self:
            logs.focus()

    # --- actions ------------------------------------------------------------------------------------------

    def _done(self, result) -> None:
        if result:
            self.app.notify(_("Saved."))
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_attachments(self) -> None:
        from crm_tui.screens.docs.attachments import AttachmentsDialog

        if self.view:
            d = self.view.detail
            self.app.push_screen(AttachmentsDialog("customer", self.customer_id,
                                                   _("Attachments of {code} {name}").format(code=d.code, name=d.name)))

    def action_customer_page(self) -> None:
        """The customer page (客户360): every area's records of this customer, a tab each."""
        self.app.open_link(f"customer:{self.customer_id}")

    def action_new_log(self) -> None:
        from crm_tui.screens.customers.forms import LogForm

        if self.view:
            self.app.push_screen(LogForm(self.customer_id, self.view.detail.name, self.view.contacts), self._done)

    def action_new_contact(self) -> None:
        from crm_tui.screens.customers.forms import ContactForm

        self.app.push_screen(ContactForm(self.customer_id), self._done)

    def _contact_under_cursor(self) -> contacts.ContactRow | None:
        table = self.query_one("#contacts", DataTable)
        if self.view is None or not self.view.contacts or table.cursor_row < 0:
            return None
        return self.view.contacts[table.cursor_row]

    def action_edit(self) -> None:
        """F4 edits the customer wherever the focus is (the footer says "Edit"; a contact is edited with Enter)."""
        from crm_tui.screens.customers.forms import CustomerForm

        if self.view is not None:
            self.app.push_screen(CustomerForm(self.view.detail), self._done)

    def edit_contact(self) -> None:
        from crm_tui.screens.customers.forms import ContactForm

        row = self._contact_under_cursor()
        if row is not None:
            self.app.push_screen(ContactForm(self.customer_id, row), self._done)

    def action_delete_contact(self) -> None:
        row = self._contact_under_cursor()
        if row is None:
            return
        actor = self.app.actor

        def answered(yes: bool) -> None:
            if yes:
                run_service(self, lambda s: contacts.delete_contact(s, actor, row.id, row.version),
                            lambda _r: self._done(True), write=True)

        self.app.push_screen(ConfirmDialog(_("Delete contact {name}?").format(name=row.name)), answered)

    def action_primary_contact(self) -> None:
        row, actor = self._contact_under_cursor(), self.app.actor
        if row is not None and not row.is_primary:
            run_service(self, lambda s: contacts.set_primary(s, actor, row.id), lambda _r: self._done(True),
                        write=True)

    def action_edit_log(self) -> None:
        from crm_tui.screens.customers.forms import LogForm

        log = self._log_under_cursor()
        if log is None:
            return
        if log.author_id != self.app.actor.id:
            self.app.notify(_("Only the author can change a contact log."), severity="warning")
        elif log.reviewed_at is not None:
            self.app.notify(_("This log has been reviewed and can no longer be changed."), severity="warning")
        else:
            self.app.push_screen(LogForm(self.customer_id, self.view.detail.name, self.view.contacts, log),
                                 self._done)

    def action_follow_up_done(self) -> None:
        log, actor = self._log_under_cursor(), self.app.actor
        if log is None:
            return
        if log.next_follow_up is None or log.follow_up_done_at is not None:
            self.app.notify(_("This log has no open follow-up."), severity="warning")
            return
        run_service(self, lambda s: contact_logs.complete_follow_up(s, actor, log.id),
                    lambda _r: self._done(True), write=True)

    def _log_under_cursor(self) -> contact_logs.LogRow | None:
        table = self.query_one("#logs", DataTable)
        if self.view is None or not self.view.logs or table.cursor_row < 0:
            self.app.notify(_("This customer has no contact log to act on yet."), severity="warning")
            return None
        return self.view.logs[table.cursor_row]

    def action_review(self) -> None:
        from crm_tui.screens.customers.forms import ReviewForm

        log = self._log_under_cursor()
        if log is None:
            return
        if not self.view.can_review.get(log.id):
            self.app.notify(_("You may review only the logs of the people below you."), severity="warning")
            return
        self.app.push_screen(ReviewForm(log), self._done)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "logs":
            log = self._log_under_cursor()
            if log and self.view.can_review.get(log.id):
                self.action_review()
            elif log:
                self.app.push_screen(LogView(log))
        elif event.data_table.id == "contacts":
            self.edit_contact()


class LogView(ConfirmDialog):
    """A log in full, with its review (read-only)."""

    def __init__(self, log: contact_logs.LogRow):
        lines = [f"{log.customer_name} · {log.at:%Y-%m-%d %H:%M} · {_(contact_logs.KIND_LABELS.get(log.kind, log.kind))}"
                 f" · {log.author}", "", log.summary]
        if log.result:
            lines.append(f"{_('Result')}: {log.result}")
        if log.next_step or log.next_follow_up:
            lines.append(f"{_('Next step')}: {log.next_step or ''} {log.next_follow_up or ''}")
        if log.review_comment:
            lines += ["", f"{_('Review')} ({log.reviewer}, {log.reviewed_at:%Y-%m-%d}): {log.review_comment}"]
        super().__init__("\n".join(lines), _("Close"))
