"""What a customer import will do, row by row: the plan ``imports.plan_import`` makes and ``imports_write``
writes. Its own module so the writer does not import the reader."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm_tui.io.importing import ImportResult, ParsedRow, RowError

CUSTOMER_KEYS = ("code", "name", "short_name", "address", "area", "industry", "classification", "credit_limit",
                 "opening_balance", "created_on", "credit_code", "remarks", "promotion_store")


@dataclass
class RowPlan:
    row: ParsedRow
    action: str  # create | update | skip
    customer_id: int | None = None
    owner_id: int | None = None
    owner_given: bool = False
    name_key: str | None = None  # cells.normalize_key of the name, worked out once while matching


@dataclass
class ImportPlan:
    result: ImportResult
    on_duplicate: str
    rows: list[RowPlan] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for p in self.rows if p.action == action and p.row.ok)

    @property
    def rejected(self) -> list[ParsedRow]:
        return self.result.bad_rows

    @property
    def errors(self) -> list[RowError]:
        return self.result.errors
