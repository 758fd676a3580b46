"""The products, stock and purchasing area: importing this registers its invariants and permissions."""

from crm_tui.services.purchasing import area as purchasing  # noqa: F401
from crm_tui.services.purchasing import printing as purchasing_print  # noqa: F401
from crm_tui.services.stock import documents as stock_documents  # noqa: F401
from crm_tui.services.stock import ledger as stock_ledger  # noqa: F401
from crm_tui.services.stock import products  # noqa: F401
from crm_tui.services.stock import warehouses as stock_warehouses  # noqa: F401
