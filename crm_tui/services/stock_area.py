"""The products, stock and purchasing area: importing this registers its invariants and permissions."""

from crm_tui.services import (  # noqa: F401
    products,
    purchasing,
    purchasing_print,
    stock_documents,
    stock_ledger,
    stock_warehouses,
)
