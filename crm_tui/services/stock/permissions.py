"""Who may do what in products, stock and purchasing (the grants live in ``services/admin/permissions.py``).

- ``products.manage``: add and edit products (clerks, warehouse staff);
- ``stock.manage``: stock documents, warehouses, receiving purchased goods (clerks, warehouse staff);
- ``purchase.manage``: suppliers, inquiries, purchase orders, payments, input invoices (clerks);
- ``purchase.approve``: approve purchase orders above the approval amount (managers).
Administrators hold everything.
"""

from crm_tui.services.admin.permissions import can


def can_do(actor, action: str) -> bool:
    return can(actor, action)
