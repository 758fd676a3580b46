"""The sales flow area: importing this registers its permissions, its ``crm db check`` invariants and its print
adapters (quote, order, delivery note, statement of account)."""

from crm_tui.services.sales import (
    approvals,  # noqa: F401
    deliveries,  # noqa: F401
    expenses,  # noqa: F401
    invoices,  # noqa: F401
    orders,  # noqa: F401
    quotes,  # noqa: F401
    receipts,  # noqa: F401
    receivables,  # noqa: F401
)
from crm_tui.services.sales import checks as sales_checks  # noqa: F401
from crm_tui.services.sales import permissions as sales_permissions  # noqa: F401
from crm_tui.services.sales import printing as sales_print  # noqa: F401
from crm_tui.services.sales import stock_outs as sales_stock_outs  # noqa: F401
