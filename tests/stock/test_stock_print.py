"""A purchase order prints as PDF with the supplier, every line, the totals and the gross in 大写."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from crm_tui.cli import cli
from crm_tui.core.money import amount_in_words, format_money
from crm_tui.db.models.purchasing import PurchaseOrder, Supplier
from crm_tui.db.session import read_session
from crm_tui.services.purchasing.orders import get_order


@pytest.mark.xdist_group("demo")
def test_purchase_order_prints(demo, tmp_path):
    engine, db_url, admin = demo.engine, demo.url, demo.admin
    with read_session(engine, admin) as s:
        order = s.scalars(select(PurchaseOrder).where(PurchaseOrder.number.is_not(None))
                          .order_by(PurchaseOrder.id)).first()
        view = get_order(s, order.id)
        supplier = s.get(Supplier, order.supplier_id).name
    out = tmp_path / "po.pdf"
    r = CliRunner().invoke(cli, ["--db", db_url, "print", "purchase-order", view.number, "-o", str(out)],
                           env={"CRM_USER": "admin", "CRM_PASSWORD": "admin-pass"}, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(out).pages)
    assert view.number in text and supplier in text
    for line in view.lines:
        assert line.product_name in text
    assert format_money(view.amount_gross) in text
    assert amount_in_words(view.amount_gross) in text.replace(" ", "").replace("\n", "")


@pytest.mark.xdist_group("demo")
def test_a_warehouse_keeper_may_not_print_purchase_orders(demo):
    from crm_tui.core.actor import Actor
    from crm_tui.core.errors import PermissionDenied
    from crm_tui.db.models.people import User
    from crm_tui.services.purchasing.printing import purchase_order_for_print

    engine = demo.engine
    with read_session(engine) as s:
        user = s.scalars(select(User).where(User.login == "hanlei")).one()  # the demo's 仓管员
        keeper = Actor(user.id, user.login, user.display_name, user.role, user.department_id)
    assert keeper.role == "warehouse"
    with read_session(engine, keeper) as s:
        number = s.scalar(select(PurchaseOrder.number).where(PurchaseOrder.number.is_not(None)).limit(1))
        with pytest.raises(PermissionDenied):
            purchase_order_for_print(s, keeper, number)
