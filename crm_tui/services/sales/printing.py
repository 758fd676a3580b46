"""Print adapters of the sales flow: quote (报价单), order (销售合同), delivery note (出货单, a stock-out) and the
statement of account (对账单), filled into the plain print model (``crm_tui/io/print_model.py``).

Each adapter finds the document by number (an order also by the external reference it was imported with, a
draft by ``#id``) and applies the same visibility rule as every other read: a salesperson prints only their
own customers' documents. The printed words are Chinese, like the templates they fill.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.db.models.customers import Contact, Customer
from crm_tui.io.print_model import Party, PrintDocument, PrintLine, StatementDocument, StatementEntry, Totals

STATEMENT_KINDS = {"order": "销售订单", "stock_out": "销售出库", "receipt": "收款", "return": "销售退货"}
CANCELLED = "（已作废）"


def party_of(session: Session, customer_id: int, contact_name: str | None = None,
             contact_phone: str | None = None) -> Party:
    """The customer as printed: the document's contact, else the primary contact."""
    c = session.get(Customer, customer_id)
    primary = session.scalar(select(Contact).where(Contact.customer_id == customer_id)
                             .order_by(Contact.is_primary.desc(), Contact.id).limit(1))
    phone = contact_phone or (primary.mobile or primary.landline if primary else None)
    return Party(name=c.name, code=c.code, address=c.address or "",
                 contact=contact_name or (primary.name if primary else "") or "", phone=phone or "",
                 email=(primary.email or "") if primary else "", tax_number=c.credit_code or "")


def _line(view, remark: str = "") -> PrintLine:
    return PrintLine(name=view.product_name, quantity=view.quantity, code=view.product_code, spec=view.spec or "",
                     unit=view.unit or "", unit_price=view.net_price, gross_price=view.gross_price,
                     tax_rate=view.tax_rate, net_amount=view.net_amount, tax_amount=view.tax_amount,
                     amount=view.gross_amount, remark=remark or view.remarks or "",
                     delivery_date=getattr(view, "delivery_date", None))


def _number(view) -> str:
    return view.number or f"#{view.id}"


def _remarks(view) -> str:
    text = view.remarks or ""
    return (CANCELLED + " " + text).strip() if view.status == "cancelled" else text


def quote_for_print(session: Session, actor: Actor, number: str) -> PrintDocument:
    from crm_tui.services.sales import quotes

    q = quotes.get_quote(session, actor, quotes.find_quote(session, actor, number))
    return PrintDocument(kind="quote", number=_number(q), date=q.quote_date,
                         party=party_of(session, q.customer_id, q.contact_name, q.contact_phone),
                         lines=[_line(ln) for ln in q.lines], totals=Totals(q.net_total, q.tax_total, q.gross_total,
                                                                             sum(ln.quantity for ln in q.lines)),
                         valid_until=q.valid_until, salesperson=q.owner_name or "",
                         terms=[t for t in q.terms.splitlines() if t.strip()] if q.terms else None,
                         remarks=_remarks(q), our_signatory=q.owner_name or "")


def order_for_print(session: Session, actor: Actor, number: str) -> PrintDocument:
    from crm_tui.services.sales import orders

    o = orders.get_order(session, actor, orders.find_order(session, actor, number))
    return PrintDocument(kind="order", number=_number(o), date=o.order_date,
                         party=party_of(session, o.customer_id, o.contact_name, o.contact_phone),
                         lines=[_line(ln) for ln in o.lines],
                         totals=Totals(o.net_total, o.tax_total, o.gross_total, sum(ln.quantity for ln in o.lines)),
                         delivery_date=o.delivery_date, reference=o.external_ref or "", salesperson=o.owner_name or "",
                         payment_terms=o.payment_terms or "", delivery_address=o.delivery_address or "",
                         remarks=_remarks(o), our_signatory=o.owner_name or "")


def delivery_for_print(session: Session, actor: Actor, number: str) -> PrintDocument:
    """The delivery note of a sales stock-out: what left, at the order's prices."""
    from crm_tui.services.sales import stock_outs as outs

    s = outs.get_stock_out(session, actor, outs.find_stock_out(session, actor, number))
    refs = sorted({ln.order_reference for ln in s.lines if ln.order_reference})
    lines = [PrintLine(name=ln.product_name, quantity=ln.quantity, code=ln.product_code, spec=ln.spec or "",
                       unit=ln.unit or "", unit_price=ln.net_price, gross_price=ln.gross_price, tax_rate=ln.tax_rate,
                       net_amount=ln.net_amount, tax_amount=ln.tax_amount, amount=ln.gross_amount,
                       remark=ln.remarks or "", warehouse=ln.warehouse_code) for ln in s.lines]
    info = [("快递单号", "，".join(f"{c} {n}" for c, n in s.tracking))] if s.tracking else []
    return PrintDocument(kind="delivery", number=_number(s), date=s.out_date,
                         party=party_of(session, s.customer_id, s.contact_name, s.contact_phone), lines=lines,
                         totals=Totals(s.net_total, s.tax_total, s.gross_total, sum(ln.quantity for ln in s.lines)),
                         reference="，".join(s.orders + refs), delivery_address=s.address or "", info=info,
                         remarks=_remarks(s))


def statement_for_print(session: Session, actor: Actor, customer_code: str, date_from: date,
                        date_to: date) -> StatementDocument:
    from crm_tui.services.customers.records import find_customer
    from crm_tui.services.sales.receivables import statement

    customer = find_customer(session, actor, customer_code)
    st = statement(session, actor, customer.id, date_from, date_to)
    entries = [StatementEntry(date=ln.day, kind=STATEMENT_KINDS[ln.kind], number=ln.number, debit=ln.debit,
                              credit=ln.credit, balance=balance, remark=ln.remark) for ln, balance in st.running()]
    owner = None
    if customer.owner_id:
        from crm_tui.db.models.people import User

        owner = session.get(User, customer.owner_id)
    return StatementDocument(party=party_of(session, customer.id), date_from=date_from, date_to=date_to,
                             opening_balance=st.opening, entries=entries, closing_balance=st.closing,
                             salesperson=owner.display_name if owner else "",
                             our_signatory=owner.display_name if owner else "")

