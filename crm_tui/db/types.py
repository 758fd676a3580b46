"""Column types that keep money and quantities exact on every engine.

SQLite has no decimal type (NUMERIC stores a float), so ``Money`` and ``Quantity`` store integer minor units
in a BIGINT on SQLite and PostgreSQL alike; ``SUM()`` in SQL therefore stays exact, and values come back as
``Decimal``. A value with more places than the column holds is rounded half-up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

from crm_tui.core.money import to_decimal


class ScaledDecimal(TypeDecorator):
    """Decimal in Python, ``value * 10**scale`` as an integer in the database."""

    impl = BigInteger
    cache_ok = True
    scale = 2

    @property
    def python_type(self) -> type:
        return Decimal

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        d = to_decimal(value).scaleb(self.scale).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(d)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)

    def process_literal_param(self, value, dialect):
        return str(self.process_bind_param(value, dialect))

    def coerce_compared_value(self, op, value):
        return self


class Money(ScaledDecimal):
    """Amounts of money, exact to the fen."""

    cache_ok = True
    scale = 2


class Quantity(ScaledDecimal):
    """Quantities of goods, exact to four decimal places."""

    cache_ok = True
    scale = 4


class Rate(ScaledDecimal):
    """Rates (tax, discount, exchange) exact to six decimal places."""

    cache_ok = True
    scale = 6
