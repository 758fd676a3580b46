"""Forms of the service area: a new ticket, and the actions on one (assign, follow-up, resolve, close with the
customer's score, reopen). Each saves through the ticket services in a worker; a refusal (a move the status does
not allow, a change made meanwhile) comes back as a message in the form, which stays open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.customers.forms import CheckedForm, tall
from crm_tui.services.tickets import records as tickets
from crm_tui.services.tickets import states
from crm_tui.widgets.forms import Field, FieldError
from crm_tui.widgets.picker import CustomerPicker, Picker, ProductPicker, StaffPicker

SCORES = {5: "5 Very satisfied", 4: "4 Satisfied", 3: "3 Neutral", 2: "2 Dissatisfied", 1: "1 Very dissatisfied"}


def _area(form, widget_id: str) -> str:
    return form.query_one(f"#{widget_id}", TextArea).text.strip()


class TicketForm(CheckedForm):
    """A new ticket: customer (and their contact), kind, priority, subject, description, product, assignee."""

    AUTO_FOCUS = "#customer"

    def __init__(self):
        super().__init__()
        self.title_text = _("New service ticket")

    def fields(self) -> ComposeResult:
        yield Field(_("Customer"), CustomerPicker(id="customer-picker", input_id="customer"), required=True)
        yield Field(_("Contact"), Select([], id="contact_id"))
        yield Field(_("Kind"), Select([(states.kind_label(k), k) for k in states.KIND_LABELS], value="repair",
                                      allow_blank=False, id="kind"), required=True)
        yield Field(_("Priority"), Select([(states.priority_label(p), p) for p in states.PRIORITY_LABELS],
                                          value=states.clean_priority(None), allow_blank=False, id="priority"))
        yield Field(_("Subject"), Input(id="subject", placeholder=_("What the customer asks or reports")),
                    required=True)
        yield Field(_("Product"), ProductPicker(id="product-picker", input_id="product"))
        yield Field(_("Assignee"), StaffPicker(id="assignee-picker", input_id="assignee"))
        yield tall(Field(_("Problem description"), TextArea(id="description")))

    def on_picker_chosen(self, event: Picker.Chosen) -> None:
        if event.picker.id != "customer-picker":
            return
        from crm_tui.services.customers import contacts

        actor, cid = self.app.actor, event.row.id
        run_service(self, lambda s: contacts.list_contacts(s, actor, cid), self._contacts, group="ticket-contacts")

    def _contacts(self, rows) -> None:
        select = self.query_one("#contact_id", Select)
        select.set_options([(c.name, c.id) for c in rows])
        if rows:
            select.value = rows[0].id  # the primary contact comes first

    def collect(self) -> dict:
        customer = self.query_one("#customer-picker", CustomerPicker).chosen
        if customer is None:
            raise FieldError("customer-picker", f"{_('Customer')}: {_('required')}")
        subject = self.value("subject")
        if not subject:
            raise FieldError("subject", f"{_('Subject')}: {_('required')}")
        product = self.query_one("#product-picker", ProductPicker).chosen
        assignee = self.query_one("#assignee-picker", StaffPicker).chosen
        return {"customer_id": customer.id, "contact_id": self.choice("contact_id"), "kind": self.choice("kind"),
                "priority": self.choice("priority"), "subject": subject,
                "description": _area(self, "description") or None,
                "product_id": product.id if product else None, "assignee_id": assignee.id if assignee else None}

    def save(self, values: dict) -> None:
        actor = self.app.actor
        cid, kind, subject = values.pop("customer_id"), values.pop("kind"), values.pop("subject")
        self.save_with(lambda s: tickets.add_ticket(s, actor, cid, kind, subject, **values))


class TicketAction(CheckedForm):
    """A form acting on one ticket, as its detail screen loaded it (a change made meanwhile is a conflict)."""

    title_msgid = ""

    def __init__(self, ticket: tickets.TicketRow):
        super().__init__()
        self.ticket = ticket
        self.title_text = _(self.title_msgid).format(number=ticket.number, subject=ticket.subject)

    def act(self, work) -> None:
        actor, tid, version = self.app.actor, self.ticket.id, self.ticket.version
        self.save_with(lambda s: work(s, actor, tid, version))


class AssignForm(TicketAction):
    title_msgid = "Assign ticket {number}: {subject}"
    AUTO_FOCUS = "#assignee"

    def fields(self) -> ComposeResult:
        yield Field(_("Assignee"), StaffPicker(id="assignee-picker", input_id="assignee"), required=True)

    def collect(self) -> dict:
        chosen = self.query_one("#assignee-picker", StaffPicker).chosen
        if chosen is None:
            raise FieldError("assignee-picker", f"{_('Assignee')}: {_('required')}")
        return {"assignee_id": chosen.id}

    def save(self, values: dict) -> None:
        self.act(lambda s, a, tid, v: tickets.assign(s, a, tid, values["assignee_id"], expected_version=v))


class LogForm(TicketAction):
    title_msgid = "Follow-up on ticket {number}: {subject}"
    AUTO_FOCUS = "#text"

    def fields(self) -> ComposeResult:
        yield tall(Field(_("Follow-up"), TextArea(id="text"), required=True))
        options = [(states.status_label(code), code) for code in states.LOG_STATUS_ACTIONS
                   if code != self.ticket.status]
        yield Field(_("Move to"), Select(options, id="status", prompt=_("(keep the status)")))

    def collect(self) -> dict:
        text = _area(self, "text")
        if not text:
            raise FieldError("text", f"{_('Follow-up')}: {_('required')}")
        return {"text": text, "status": self.choice("status")}

    def save(self, values: dict) -> None:
        self.act(lambda s, a, tid, v: tickets.add_log(s, a, tid, values["text"], status=values["status"],
                                                      expected_version=v))


class ResolveForm(TicketAction):
    title_msgid = "Resolve ticket {number}: {subject}"
    AUTO_FOCUS = "#resolution"

    def fields(self) -> ComposeResult:
        yield tall(Field(_("Resolution"), TextArea(id="resolution"), required=True))

    def collect(self) -> dict:
        text = _area(self, "resolution")
        if not text:
            raise FieldError("resolution", f"{_('Resolution')}: {_('required')}")
        return {"resolution": text}

    def save(self, values: dict) -> None:
        self.act(lambda s, a, tid, v: tickets.resolve(s, a, tid, values["resolution"], expected_version=v))


class CloseForm(TicketAction):
    title_msgid = "Close ticket {number}: {subject}"
    AUTO_FOCUS = "#satisfaction"

    def fields(self) -> ComposeResult:
        yield Field(_("Satisfaction"), Select([(_(label), score) for score, label in SCORES.items()],
                                              id="satisfaction"), required=True)
        yield Field(_("Note"), Input(id="note", placeholder=_("What the customer said")))

    def collect(self) -> dict:
        score = self.choice("satisfaction")
        if score is None:
            raise FieldError("satisfaction", _("Satisfaction: choose the customer's score, 1 to 5."))
        return {"satisfaction": score, "note": self.value("note") or None}

    def save(self, values: dict) -> None:
        self.act(lambda s, a, tid, v: tickets.close(s, a, tid, values["satisfaction"], values["note"],
                                                    expected_version=v))


class ReopenForm(TicketAction):
    title_msgid = "Reopen ticket {number}: {subject}"
    AUTO_FOCUS = "#reason"

    def fields(self) -> ComposeResult:
        yield tall(Field(_("Reason"), TextArea(id="reason"), required=True))

    def collect(self) -> dict:
        text = _area(self, "reason")
        if not text:
            raise FieldError("reason", f"{_('Reason')}: {_('required')}")
        return {"reason": text}

    def save(self, values: dict) -> None:
        self.act(lambda s, a, tid, v: tickets.reopen(s, a, tid, values["reason"], expected_version=v))
