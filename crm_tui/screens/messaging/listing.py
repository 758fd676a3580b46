"""The messages area (消息): the outbox (sent, waiting, failed, skipped), templates and campaigns.

F2 adds a template; F7 sends what is waiting in the outbox (the app also does so in the background)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TabPane, TextArea

from crm_tui.core.money import format_money
from crm_tui.i18n import _
from crm_tui.screens.base import run_service
from crm_tui.screens.main import AreaPane
from crm_tui.services.messaging.triggers_list import TRIGGER_LABELS
from crm_tui.widgets.forms import Field, FieldError, FormDialog
from crm_tui.widgets.tables import SizedTable, cut

CHANNEL_LABELS = {"sms": "SMS", "email": "E-mail"}
STATUS_LABELS = {"queued": "queued", "sending": "sending", "sent": "sent", "failed": "failed",
                 "uncertain": "uncertain", "skipped": "skipped (opted out)", "no_address": "no address"}


class MessagesPane(AreaPane):
    BINDINGS = [
        Binding("f2", "new_template", "New template", id="messages.new_template"),
        Binding("f6", "next_tab", "Next list", id="messages.next_tab"),
        Binding("f7", "send_pending", "Send waiting", id="messages.send_pending"),
    ]
    TABS = {"tab-outbox": "outbox", "tab-templates": "templates", "tab-campaigns": "campaigns"}  # tab: its list

    def compose(self) -> ComposeResult:
        with TabbedContent(id="messages-tabs"):
            with TabPane(_("Outbox"), id="tab-outbox"):
                yield Static("", id="outbox-counts")
                table = SizedTable(id="outbox", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Id"), _("Status"), _("Channel"), _("Customer"), _("Contact"), _("Address"),
                                  _("Message"), _("Reason"))
                yield table
            with TabPane(_("Templates"), id="tab-templates"):
                table = SizedTable(id="templates", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Template"), _("Channel"), _("Subject"), _("Triggers"), _("Text"))
                yield table
            with TabPane(_("Campaigns"), id="tab-campaigns"):
                table = SizedTable(id="campaigns", cursor_type="row", zebra_stripes=True)
                table.add_columns(_("Campaign"), _("Status"), _("Sent"), _("Failed"), _("Orders"), _("Amount"),
                                  _("Cost"), _("Budget"))
                yield table

    def refresh_data(self) -> None:
        actor = self.app.actor

        def load(session):
            from crm_tui.services.messaging import access, campaigns, outbox, templates

            camp = campaigns.list_campaigns(session, actor) if actor.role in access.CAMPAIGN_ROLES else []
            return (outbox.list_outbox(session, actor, limit=500), outbox.status_counts(session, actor),
                    templates.list_templates(session, actor), camp)

        run_service(self, load, self._show, group="messages-load")

    def _show(self, data) -> None:
        if not self.query("#outbox"):
            self.call_after_refresh(self._show, data)
            return
        rows, counts, tmpls, camps = data
        self.query_one("#outbox-counts", Static).update("  ".join(
            f"{_(STATUS_LABELS[k])} {counts[k]}" for k in STATUS_LABELS if counts.get(k)) or _("The outbox is empty."))
        table = self.query_one("#outbox", DataTable)
        table.clear()
        for r in rows:
            table.add_row(str(r.id), _(STATUS_LABELS.get(r.status, r.status)), _(CHANNEL_LABELS[r.channel]),
                          cut(r.customer_name or "", 16),
                          r.recipient_name, r.recipient, cut(r.subject or r.body, 24), cut(r.error or "", 24),
                          key=str(r.id))
        table = self.query_one("#templates", DataTable)
        table.clear()
        for t in tmpls:
            table.add_row(t.name, _(CHANNEL_LABELS[t.channel]), cut(t.subject, 20),
                          "、".join(_(TRIGGER_LABELS.get(x, x)) for x in t.triggers), cut(t.body, 30), key=str(t.id))
        table = self.query_one("#campaigns", DataTable)
        table.clear()
        for c in camps:
            j = c.as_json()
            table.add_row(c.name, _(c.status), str(j["sent"]), str(j["failed"]), str(c.orders), format_money(c.amount),
                          format_money(c.cost), format_money(c.budget))

    def show_tab(self, tab: str) -> None:
        """Open a tab with its list focused (the list of a hidden tab loses the focus, and F6 with it)."""
        self.query_one("#messages-tabs", TabbedContent).active = tab
        self.query_one(f"#{self.TABS[tab]}", DataTable).focus()

    def action_next_tab(self) -> None:
        tabs = list(self.TABS)
        self.show_tab(tabs[(tabs.index(self.query_one("#messages-tabs", TabbedContent).active) + 1) % len(tabs)])

    def action_show_campaigns(self) -> None:
        self.show_tab("tab-campaigns")

    def action_new_template(self) -> None:
        self.show_tab("tab-templates")
        self.app.push_screen(TemplateForm(), lambda ok: ok and self.refresh_data())

    def action_send_pending(self) -> None:
        from crm_tui.widgets.work import start_work

        def deliver(job):
            from crm_tui.services.messaging import outbox, triggers

            job.run(lambda s: triggers.scan_dates(s), write=True)
            return outbox.deliver_pending(job.engine)

        def done(report) -> None:
            self.app.notify(_("Sent {sent}, failed {failed}, waiting to retry {retrying}, uncertain {uncertain}.")
                            .format(**{k: v for k, v in report.as_json().items() if k != "errors"}))
            self.refresh_data()

        start_work(self, deliver, done=done, name="messages-send")


class TemplateForm(FormDialog):
    """A new template; the SMS length is counted as it is typed."""

    def __init__(self):
        super().__init__()
        self.title_text = _("New message template")

    def fields(self) -> ComposeResult:
        from crm_tui.services.messaging.merge import FIELDS

        yield Field(_("Template"), Input(id="name"), required=True)
        yield Field(_("Channel"), Select([(_("SMS"), "sms"), (_("E-mail"), "email")], value="sms", allow_blank=False,
                                         id="channel"))
        yield Field(_("Subject"), Input(id="subject", placeholder=_("e-mail only")))
        field = Field(_("Text"), TextArea("", id="body"), required=True)
        field.add_class("tall")
        yield field
        yield Static(" ".join("{" + f + "}" for f in FIELDS), id="merge-fields", classes="hint")
        yield Static("", id="sms-length", classes="hint")
        yield Field(_("Triggers"), Input(id="triggers", placeholder="order_confirmed, birthday …"))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        from crm_tui.services.messaging.merge import sms_length

        units, parts, enc = sms_length(event.text_area.text)
        self.query_one("#sms-length", Static).update(
            _("{units} characters ({encoding}), {parts} SMS").format(units=units, encoding=enc, parts=parts))

    def collect(self) -> dict:
        body = self.query_one("#body", TextArea).text.strip()
        if not self.value("name"):
            raise FieldError("name", _("{field} is required.").format(field=_("Template")))
        if not body:
            raise FieldError("body", _("{field} is required.").format(field=_("Text")))
        return {"name": self.value("name"), "channel": self.choice("channel"), "subject": self.value("subject"),
                "body": body, "triggers": [t.strip() for t in self.value("triggers").split(",") if t.strip()]}

    def save(self, values: dict) -> None:
        from crm_tui.services.messaging import templates

        actor = self.app.actor
        run_service(self, lambda s: templates.add_template(s, actor, values["name"], values["channel"], values["body"],
                                                           subject=values["subject"], triggers=values["triggers"]),
                    lambda _r: self.finish(True), write=True)
