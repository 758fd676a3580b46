"""Exporting customers to an Excel workbook under the import headers (an export edits and imports back).

Only customers the user may see are exported (``iter_rows`` applies the visibility rule); rows stream from
the database in chunks into openpyxl's write-only mode, so a large export holds little in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from crm_tui.core.actor import Actor
from crm_tui.services.admin import permissions
from crm_tui.services.customers.imports import SPECS
from crm_tui.services.customers.search import CustomerFilter, CustomerRow, count, iter_rows

SHEET = "客户"


def record(r: CustomerRow) -> dict:
    """One customer under the import's field keys (the primary contact's details in 联系人/手机/电话/邮箱)."""
    return {
        "code": r.code, "name": r.name, "short_name": r.short_name, "contact": r.contact, "mobile": r.mobile,
        "phone": r.landline, "email": r.email, "address": r.address, "area": r.area, "industry": r.industry,
        "classification": r.classification, "owner": r.owner, "credit_limit": r.credit_limit,
        "opening_balance": r.opening_balance, "created_on": r.created_on, "credit_code": r.credit_code,
        "remarks": r.remarks,
    }


def export_customers(session: Session, actor: Actor, path: str | Path, f: CustomerFilter = CustomerFilter(),
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Write the filtered, visible customers to ``path``; returns how many."""
    from crm_tui.io.workbook import export_records

    permissions.require(actor, "customers.export")
    total = count(session, actor, f)
    written = 0

    def records() -> Iterator[dict]:
        nonlocal written
        for row in iter_rows(session, actor, f):
            written += 1
            if progress and written % 1000 == 0:
                progress(written, total)
            yield record(row)

    export_records(path, SPECS, records(), sheet=SHEET)
    if progress:
        progress(written, total)
    return written
