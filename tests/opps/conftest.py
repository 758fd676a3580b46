"""The opportunity tests reuse the sales tests' world (people, customers, products, stock)."""

from tests.sales.conftest import World, crm, rd, tx, world  # noqa: F401
