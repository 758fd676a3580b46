"""The customers tests' small organisation (tests/customers/conftest.py), shared here:

    admin · boss (manager, 销售部) ─ mgr (manager, 商团部) ─ s1, s2 (salespeople) · mgr2 (流通部) ─ s3 · clerk
"""

from tests.customers.conftest import add_customer, org, ro, tx  # noqa: F401 - fixtures
