"""The printed reminder (催款函): a customer's overdue items as a statement-shaped document.

It goes through the statement templates of the print machinery (``services/printing``): the title is 催款函, the
lines are the overdue documents (what of each is unpaid, its due date and days overdue), and a paragraph asks for
payment. The printed words are Chinese, like the other prints.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from crm_tui.core import clock
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.core.money import amount_in_words
from crm_tui.i18n import _
from crm_tui.io.print_model import StatementDocument, StatementEntry
from crm_tui.services.sales import terms
from crm_tui.services.sales.printing import party_of

KIND_WORDS = {"order": "销售订单", "stock_out": "销售出库", "opening": "期初余额"}
LEVEL_WORDS = {1: "第一次催款", 2: "第二次催款", 3: "最后催款通知"}
PAY_WITHIN_DAYS = 7


def reminder_for_print(session: Session, actor: Actor, customer_id: int, as_of: date | None = None) -> StatementDocument:
    """The 催款函 of a customer ``actor`` may see, on ``as_of`` (default today); refused when nothing is overdue."""
    from crm_tui.services.admin.company import company_for_print

    as_of = as_of or clock.today()
    found = terms.reminders(session, actor, as_of, customer_ids=[customer_id])
    if not found:
        raise ValidationError(_("The customer has nothing overdue on {day}: there is nothing to remind.").format(
            day=as_of), field="customer")
    r = found[0]
    entries = [StatementEntry(date=it.doc_date, kind=KIND_WORDS.get(it.kind, it.kind), number=it.number,
                              debit=it.open_amount,
                              remark=f"到期 {it.due_date:%Y-%m-%d}，逾期 {it.days_overdue} 天") for it in r.items]
    owner = r.salesperson or ""
    pay_by = as_of + timedelta(days=PAY_WITHIN_DAYS)
    paragraph = [
        f"截至 {as_of:%Y年%m月%d日}，贵司以下款项已过付款期限，逾期金额合计人民币 {r.overdue:,.2f} 元"
        f"（{amount_in_words(r.overdue)}）。",
        f"请于 {pay_by:%Y年%m月%d日} 前安排付款；如已付款，请将付款凭证发给我司业务员，并忽略本函。",
    ]
    earliest = min(it.doc_date for it in r.items)
    return StatementDocument(party=party_of(session, r.customer_id), date_from=earliest, date_to=as_of,
                             opening_balance=terms.ZERO, entries=entries, date=as_of,
                             title="催款函", company=company_for_print(session), salesperson=owner,
                             info=[("催款级别", LEVEL_WORDS.get(r.level, f"第{r.level}次催款")),
                                   ("逾期金额", f"{r.overdue:,.2f}")],
                             terms=paragraph, our_signatory=owner, number=f"CS-{r.customer_code}-{as_of:%Y%m%d}")


def default_path(doc: StatementDocument, fmt: str, as_of: date) -> Path:
    from crm_tui.services.printing.documents import output_path

    return output_path(doc, fmt, None).with_name(f"dunning-{doc.party.code}-{as_of:%Y%m%d}.{fmt}")
