"""The words for field names in messages of the products, stock and purchasing area (translated at use)."""

from crm_tui.i18n import _

FIELD_LABELS = {
    "spec": "Specification",
    "unit": "Unit",
    "category": "Category",
    "barcode": "Barcode",
    "tax_rate": "Tax rate",
    "sale_price": "Sale price",
    "sale_price_gross": "Gross sale price",
    "purchase_price": "Purchase price",
    "safety_stock": "Safety stock",
    "remarks": "Remarks",
    "short_name": "Short name",
    "credit_code": "Credit code",
    "address": "Address",
    "phone": "Phone",
    "bank": "Bank",
    "account": "Account",
    "opening_balance": "Opening balance",
    "amount": "Amount",
    "amount_net": "Net amount",
    "amount_gross": "Total amount",
    "tax": "Tax",
}


def label(field: str, what: str = "product") -> str:
    """``label("spec")`` -> Specification; code and name say whose: ``label("name", "supplier")``."""
    if field in ("code", "name"):
        return _(f"{what.capitalize()} {field}")  # Product code, Product name, Supplier code, Supplier name
    return _(FIELD_LABELS.get(field, field))
