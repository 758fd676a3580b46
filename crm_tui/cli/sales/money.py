"""Money commands of the sales flow: ``crm receipts add|list|apply|accounts``, ``crm invoices add|list``,
``crm expenses add|list``, ``crm approvals list|approve|reject``."""

from __future__ import annotations

import click

from crm_tui.cli.common import echo_json, echo_table, pass_state
from crm_tui.cli.sales.common import FORMAT, money, parse_day, read_as_user, write_as_user
from crm_tui.i18n import _


@click.group("receipts")
def receipts_group() -> None:
    """Receipts (到款): record, list, apply to orders; receipt accounts."""


@receipts_group.command("add")
@click.option("--customer", required=True, metavar="CODE", help="Customer code or name.")
@click.option("--amount", required=True, help="Amount in the currency (e.g. 1,000.00).")
@click.option("--currency", default="CNY", show_default=True)
@click.option("--rate", help="Exchange rate to CNY on the receipt date (required unless CNY).")
@click.option("--date", "day", metavar="DATE", help="Received on (default today).")
@click.option("--order", metavar="NUMBER", help="Apply to this order (number or reference); none: an advance.")
@click.option("--account", help="Receipt account name.")
@click.option("--method", help="银行转账, 现金, 微信, 支付宝, 承兑汇票 …")
@click.option("--fee", help="Bank fee kept (RMB).")
@click.option("--remarks")
@pass_state
def receipts_add(state, customer, amount, currency, rate, day, order, account, method, fee, remarks) -> None:
    """Record money received from a customer."""
    from crm_tui.services.sales import orders, receipts
    from crm_tui.services.sales.actions import receive
    from crm_tui.services.sales.documents import find_customer

    received_on = parse_day(day, "--date")

    def work(s, actor):
        return receive(s, actor, find_customer(s, actor, customer).id, amount, received_on=received_on,
                       currency=currency, rate=rate, fee=fee, method=method, remarks=remarks,
                       account_id=receipts.account_by_name(s, account) if account else None,
                       order_id=orders.find_order(s, actor, order) if order else None)

    r = write_as_user(state, work)
    click.echo(_("Receipt {number}: {amount} from {customer}; {applied} applied, {free} advance.").format(
        number=r.number, amount=money(r.amount_cny), customer=r.customer_name, applied=money(r.applied),
        free=money(r.unapplied)))


@receipts_group.command("list")
@click.option("--customer", metavar="CODE")
@click.option("--advances", is_flag=True, help="Only receipts with money not yet applied.")
@FORMAT
@pass_state
def receipts_list(state, customer, advances, fmt) -> None:
    from crm_tui.services.sales import receipts
    from crm_tui.services.sales.documents import find_customer

    def work(s, actor):
        cid = find_customer(s, actor, customer).id if customer else None
        return receipts.list_receipts(s, actor, customer_id=cid, advances_only=advances)

    rows = read_as_user(state, work)
    if fmt == "json":
        echo_json([{"number": r.number, "status": r.status, "date": r.received_on.isoformat(),
                    "customer_code": r.customer_code, "customer_name": r.customer_name, "currency": r.currency,
                    "amount": f"{r.amount:.2f}", "amount_cny": f"{r.amount_cny:.2f}", "applied": f"{r.applied:.2f}",
                    "unapplied": f"{r.unapplied:.2f}", "account": r.account, "method": r.method} for r in rows])
        return
    echo_table([_("Number"), _("Status"), _("Date"), _("Customer"), _("Currency"), _("Amount"), _("RMB"), _("Applied"),
                _("Advance"), _("Receipt account"), _("Received by")],
               [[r.number, _(r.status), r.received_on, r.customer_name, r.currency, money(r.amount), money(r.amount_cny),
                 money(r.applied), money(r.unapplied), r.account, r.method] for r in rows])


@receipts_group.command("apply")
@click.argument("receipt")
@click.argument("order")
@click.option("--amount", help="How much (default: as much as both allow).")
@pass_state
def receipts_apply(state, receipt, order, amount) -> None:
    """Apply an advance (or what is left of a receipt) to an order."""
    from crm_tui.services.sales import orders, receipts

    applied = write_as_user(state, lambda s, a: receipts.apply_receipt(
        s, a, receipts.find_receipt(s, a, receipt), orders.find_order(s, a, order), amount))
    click.echo(_("{amount} of {receipt} applied to {order}.").format(amount=money(applied), receipt=receipt,
                                                                     order=order))


@receipts_group.command("cancel")
@click.argument("receipt")
@click.option("--reason", default="")
@pass_state
def receipts_cancel(state, receipt, reason) -> None:
    from crm_tui.services.sales import receipts

    write_as_user(state, lambda s, a: receipts.cancel_receipt(s, a, receipts.find_receipt(s, a, receipt), reason))
    click.echo(_("Receipt {number} cancelled.").format(number=receipt))


@receipts_group.command("accounts")
@click.option("--add", "name", metavar="NAME", help="Add an account with this name.")
@click.option("--kind", type=click.Choice(["bank", "cash", "wechat", "alipay", "other"]), default="bank")
@click.option("--bank")
@click.option("--account-no")
@pass_state
def receipts_accounts(state, name, kind, bank, account_no) -> None:
    """List the receipt accounts, or add one with --add NAME."""
    from crm_tui.services.sales import receipts

    if name:
        write_as_user(state, lambda s, a: receipts.add_account(s, a, name, kind, bank=bank, account_no=account_no))
    rows = read_as_user(state, lambda s, a: receipts.list_accounts(s))
    echo_table([_("Name"), _("Request kind"), _("Bank"), _("Account no.")],
               [[r.name, _(r.kind), r.bank, r.account_no] for r in rows])


@click.group("invoices")
def invoices_group() -> None:
    """Invoices (发票) issued to customers."""


@invoices_group.command("add")
@click.option("--order", metavar="NUMBER", help="The order invoiced (number or reference).")
@click.option("--customer", metavar="CODE", help="Without an order: the customer.")
@click.option("--number", "invoice_no", required=True, help="The number printed on the invoice.")
@click.option("--amount", required=True, help="Tax-inclusive amount.")
@click.option("--rate", help="Tax rate (default: the order's, when it has one).")
@click.option("--type", "kind", type=click.Choice(["special", "ordinary"]), default="special", show_default=True,
              help="special: 专票, ordinary: 普票.")
@click.option("--date", "day", metavar="DATE")
@pass_state
def invoices_add(state, order, customer, invoice_no, amount, rate, kind, day) -> None:
    """Record an issued invoice."""
    from crm_tui.services.sales import invoices, orders
    from crm_tui.services.sales.documents import find_customer

    invoice_date = parse_day(day, "--date")

    def work(s, actor):
        return invoices.record_invoice(
            s, actor, invoice_no, amount, order_id=orders.find_order(s, actor, order) if order else None,
            customer_id=find_customer(s, actor, customer).id if customer else None, kind=kind, tax_rate=rate,
            invoice_date=invoice_date)

    write_as_user(state, work)
    click.echo(_("Invoice {number} recorded.").format(number=invoice_no))


@invoices_group.command("list")
@click.option("--order", metavar="NUMBER")
@FORMAT
@pass_state
def invoices_list(state, order, fmt) -> None:
    from crm_tui.services.sales import invoices, orders

    rows = read_as_user(state, lambda s, a: invoices.list_invoices(
        s, a, order_id=orders.find_order(s, a, order) if order else None))
    if fmt == "json":
        echo_json([{"number": r.number, "invoice_no": r.invoice_no, "kind": r.kind, "status": r.status,
                    "date": r.invoice_date.isoformat(), "customer_code": r.customer_code, "order": r.order_number,
                    "net": f"{r.net_amount:.2f}", "tax": f"{r.tax_amount:.2f}", "gross": f"{r.gross_amount:.2f}"}
                   for r in rows])
        return
    echo_table([_("Invoice no."), _("Type"), _("Status"), _("Date"), _("Customer"), _("Order"), _("Net"), _("Tax"),
                _("Gross")],
               [[r.invoice_no, _(r.kind), _(r.status), r.invoice_date, r.customer_name, r.order_number,
                 money(r.net_amount), money(r.tax_amount), money(r.gross_amount)] for r in rows])


@click.group("expenses")
def expenses_group() -> None:
    """Expense claims (费用报销)."""


@expenses_group.command("add")
@click.option("--amount", required=True)
@click.option("--category", required=True, help="差旅费, 交通费, 招待费, 通讯费, 样品费 …")
@click.option("--date", "day", metavar="DATE", required=True, help="When the money was spent.")
@click.option("--customer", metavar="CODE")
@click.option("--order", metavar="NUMBER")
@click.option("--description")
@click.option("--submit", is_flag=True, help="Submit it for approval at once.")
@pass_state
def expenses_add(state, amount, category, day, customer, order, description, submit) -> None:
    """File an expense claim (yours)."""
    from crm_tui.services.sales.actions import file_claim

    spent_on = parse_day(day, "--date")
    filed = write_as_user(state, lambda s, a: file_claim(s, a, amount, category, spent_on, customer=customer,
                                                         order=order, description=description, submit=submit))
    cid, number = filed.claim_id, filed.number
    click.echo(_("Claim {number} submitted for approval.").format(number=number) if number
               else _("Claim #{id} saved as a draft.").format(id=cid))


@expenses_group.command("list")
@click.option("--status", type=click.Choice(["draft", "pending_approval", "approved", "rejected", "cancelled"]))
@FORMAT
@pass_state
def expenses_list(state, status, fmt) -> None:
    from crm_tui.services.sales import expenses
    from crm_tui.services.sales.reports import as_json

    rows = read_as_user(state, lambda s, a: expenses.list_claims(s, a, status=status))
    if fmt == "json":
        echo_json([as_json(r) for r in rows])
        return
    echo_table([_("Number"), _("Status"), _("Claimant"), _("Category"), _("Amount"), _("Date"), _("Customer")],
               [[r.number or f"#{r.id}", _(r.status), r.claimant, r.category, money(r.amount), r.spent_on,
                 r.customer_name] for r in rows])


@click.group("approvals")
def approvals_group() -> None:
    """The approval queue: discounts beyond the limit, expense claims."""


@approvals_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Decided requests too.")
@FORMAT
@pass_state
def approvals_list(state, show_all, fmt) -> None:
    from crm_tui.services.sales import approvals
    from crm_tui.services.sales.reports import as_json

    rows = read_as_user(state, lambda s, a: approvals.queue(s, a, status=None if show_all else "pending"))
    if fmt == "json":
        echo_json([as_json(r) for r in rows])
        return
    echo_table([_("ID"), _("Request kind"), _("Document"), _("Status"), _("Requested by"), _("Customer"), _("Amount"),
                _("Discount"), _("Request")],
               [[r.id, _(r.kind), r.document, _(r.status), r.requested_by, r.customer_name, money(r.amount),
                 f"{r.discount:.2%}" if r.discount is not None else "", r.summary] for r in rows])


@approvals_group.command("approve")
@click.argument("request_id", type=int)
@click.option("--comment", default="")
@pass_state
def approvals_approve(state, request_id, comment) -> None:
    from crm_tui.services.sales import approvals

    number = write_as_user(state, lambda s, a: approvals.approve(s, a, request_id, comment))
    click.echo(_("Approved: {number}.").format(number=number))


@approvals_group.command("reject")
@click.argument("request_id", type=int)
@click.option("--comment", default="")
@pass_state
def approvals_reject(state, request_id, comment) -> None:
    from crm_tui.services.sales import approvals

    write_as_user(state, lambda s, a: approvals.reject(s, a, request_id, comment))
    click.echo(_("Rejected."))


def register(cli: click.Group) -> None:
    for group in (receipts_group, invoices_group, expenses_group, approvals_group):
        cli.add_command(group)
