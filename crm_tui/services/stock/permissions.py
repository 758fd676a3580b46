"""Who may do what in products, stock and purchasing. Every service module of the area imports this, so the
grants are in place whichever module is used first.

- ``products.manage``: add and edit products (clerks, warehouse staff);
- ``stock.manage``: stock documents, warehouses, receiving purchased goods (clerks, warehouse staff);
- ``purchase.manage``: suppliers, inquiries, purchase orders, payments, input invoices (clerks);
- ``purchase.approve``: approve purchase orders above the approval amount (managers).
Administrators hold everything.
"""

from crm_tui.services.admin.permissions import grant

grant("clerk", "products.manage", "stock.manage", "purchase.manage")
grant("warehouse", "products.manage", "stock.manage")
grant("manager", "purchase.approve")


def can_do(actor, action: str) -> bool:
    """``permissions.can`` with this area's grants in place (screens ask it before any service is imported)."""
    from crm_tui.services.admin.permissions import can

    return can(actor, action)
