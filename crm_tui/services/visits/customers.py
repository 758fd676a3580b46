"""Finding a visit-log row's customer: by 客户编号, or by the exact name when the row has no code."""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_tui.db.models.customers import Customer


def norm(text) -> str:
    """NFKC (full-width letters and spaces), trimmed; what the import and the lookup both compare."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


class CustomerIndex:
    """Every customer's id by code and by name (a name several customers share finds none of them)."""

    def __init__(self, session: Session):
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int | None] = {}
        self.codes: dict[int, str] = {}
        self.names: dict[int, str] = {}
        for cid, code, name in session.execute(select(Customer.id, Customer.code, Customer.name)):
            code, name = norm(code), norm(name)
            self.by_code[code] = cid
            self.by_code.setdefault(code.upper(), cid)
            self.codes[cid] = code
            self.names[cid] = name
            self.by_name[name] = None if name in self.by_name else cid

    def find(self, code: str | None, name: str | None) -> int | None:
        code = norm(code)
        if code:
            return self.by_code.get(code, self.by_code.get(code.upper()))
        name = norm(name)
        return self.by_name.get(name) if name else None


def customer_key(code: str | None, name: str | None) -> str:
    """How a row names its customer, for telling repeated rows apart: the code, else the name."""
    return norm(code) or norm(name)
