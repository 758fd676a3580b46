"""Create/Update/Read models of customers and products: what the form types is cleaned exactly once, the
messages stay translated, money stays exact, and the services take the models as they take keywords."""

from datetime import date
from decimal import Decimal

import pytest

from crm_tui.core.errors import ValidationError
from crm_tui.db.session import transaction
from crm_tui.i18n import set_language
from crm_tui.services.customers import records
from crm_tui.services.customers.schemas import CustomerCreate, CustomerRead, CustomerUpdate
from crm_tui.services.stock import products
from crm_tui.services.stock.product_schemas import ProductCreate, ProductRead, ProductUpdate


def test_typed_text_becomes_exact_values():
    data = CustomerCreate.model_validate({"name": " 华联超市 ", "credit_limit": "50,000.10", "created_on": "2026/11/03"})
    assert data.changes() == {"name": "华联超市", "credit_limit": Decimal("50000.10"),
                              "created_on": date(2026, 11, 3)}
    assert isinstance(data.credit_limit, Decimal)


@pytest.mark.parametrize(("values", "message", "field"), [
    ({"name": ""}, "Customer name: required", "name"),
    ({}, "Customer name: required", "name"),
    ({"name": "xy", "credit_limit": "-1"}, "Credit limit cannot be negative.", "credit_limit"),
    ({"name": "xy", "credit_limit": "1.234"}, "Credit limit: expected an amount with at most 2 decimal places",
     "credit_limit"),
    ({"name": "xy", "nme": "y"}, "Unknown customer fields: nme", None),
])
def test_bad_input_says_what_and_where(values, message, field):
    with pytest.raises(ValidationError) as err:
        CustomerCreate.model_validate(values)
    assert str(err.value) == message and err.value.field == field


def test_messages_stay_in_the_users_language():
    set_language("zh_CN")
    with pytest.raises(ValidationError, match="^信用额度: 应为金额"):
        CustomerCreate.model_validate({"name": "xy", "credit_limit": "abc"})


def test_an_update_carries_only_what_was_given():
    assert CustomerUpdate.model_validate({"short_name": ""}).changes() == {"short_name": None}
    with pytest.raises(ValidationError, match="Customer name: required"):
        CustomerUpdate.model_validate({"name": " "})


def test_customer_services_take_and_give_the_models(engine, admin):
    with transaction(engine, admin) as s:
        cid = records.create_customer(s, admin, CustomerCreate(name="模型客户", credit_limit="1,000.50"))
        detail = records.get_customer(s, admin, cid)
        assert isinstance(detail, CustomerRead)
        records.update_customer(s, admin, cid, detail.version, CustomerUpdate(address="河东路 1 号"))
    with transaction(engine, admin) as s:
        after = records.get_customer(s, admin, cid)
    assert (after.name, after.credit_limit, after.address) == ("模型客户", Decimal("1000.50"), "河东路 1 号")
    assert after.version == detail.version + 1 and after.editable and after.owner is None
    with pytest.raises(Exception):  # noqa: B017 - frozen, as the dataclass it replaces
        after.name = "改"  # type: ignore[misc]


def test_products_derive_the_other_price_exactly(engine, admin):
    data = ProductCreate.model_validate({"name": "矿泉水", "sale_price_gross": "11.30", "tax_rate": "0.13"})
    assert (data.sale_price, data.sale_price_gross, data.code) == (Decimal("10.00"), Decimal("11.30"), None)
    with pytest.raises(ValidationError, match="Unknown product fields: colour"):
        ProductCreate.model_validate({"name": "x", "colour": "red"})
    with transaction(engine, admin) as s:
        pid = products.add_product(s, admin, data)
        row = products.get_product(s, pid)
        assert isinstance(row, ProductRead) and row.code and row.sale_price == Decimal("10.00")
        change = ProductUpdate.model_validate({"tax_rate": "0.06"}, context={"current": products.get_product_obj(s, pid)})
        products.update_product(s, admin, pid, row.version, change)
        assert products.get_product(s, pid).sale_price_gross == Decimal("10.60")  # the net price stays


@pytest.mark.parametrize("name, ok", [("甲", False), (" 甲乙 ", True), ("店" * 60, True), ("店" * 61, False)])
def test_customer_names_are_2_to_60_characters_after_trimming(name, ok):
    if ok:
        assert CustomerCreate.model_validate({"name": name}).name == name.strip()
        return
    with pytest.raises(ValidationError, match=f"Customer name: 2 to 60 characters, not {len(name)}") as err:
        CustomerCreate.model_validate({"name": name})
    assert err.value.field == "name"
