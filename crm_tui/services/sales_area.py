"""The sales flow area: importing this registers its permissions, its ``crm db check`` invariants and its print
adapters (quote, order, delivery note, statement of account)."""

from crm_tui.services import (  # noqa: F401
    approvals,
    deliveries,
    expenses,
    invoices,
    orders,
    quotes,
    receipts,
    receivables,
    sales_checks,
    sales_permissions,
    sales_print,
    sales_stock_outs,
)
