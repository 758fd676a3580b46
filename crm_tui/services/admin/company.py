"""Our company's details (name, address, phone, tax number, bank, account): printed at the head of every document.

They live in the database (one row of ``company_details``) so every user and every machine prints the same
header; the ``[company]`` section of settings.toml is the fallback before an administrator saves them, and
what setup copies in. Only an administrator may change them; each change is in the audit log (the row is
``Audited``).
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from crm_tui.config import get_settings
from crm_tui.core.actor import Actor
from crm_tui.core.errors import ValidationError
from crm_tui.db.models.system import CompanyDetails
from crm_tui.i18n import _
from crm_tui.io.print_model import Company
from crm_tui.services.admin import permissions

ROW_ID = 1
FIELDS = ("name", "address", "phone", "tax_number", "bank", "account")
# Longest value of each field (the column's width); the tax number has its own rule.
MAX_LENGTH = {"name": 200, "address": 300, "phone": 64, "tax_number": 20, "bank": 100, "account": 64}
# 纳税人识别号: 15 or 20 characters (old tax registrations), 18 for the unified social credit code.
TAX_NUMBER = re.compile(r"[0-9A-Z]{15}|[0-9A-Z]{18}|[0-9A-Z]{20}")
LABELS = {"name": "Company name", "address": "Address", "phone": "Phone", "tax_number": "Tax number",
          "bank": "Bank", "account": "Bank account"}  # msgids


def _from_settings() -> dict[str, str]:
    section = get_settings().get("company", {})
    return {k: str(section.get(k, "") or "") for k in FIELDS}


def get_details(session: Session) -> dict[str, str]:
    """The company's details: the stored row, else the settings file's ``[company]`` section."""
    row = session.get(CompanyDetails, ROW_ID)
    if row is None:
        return _from_settings()
    return {k: getattr(row, k) or "" for k in FIELDS}


def company_for_print(session: Session) -> Company:
    """The header of a printed document (the logo is a file on this machine: it stays a setting)."""
    logo = str(get_settings().get("company", {}).get("logo", "") or "")
    return Company(**get_details(session), logo=logo)


def check(values: dict[str, str]) -> dict[str, str]:
    """Trimmed values; a ValidationError names the first field that is wrong and what it takes."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown company fields: {sorted(unknown)}")
    clean = {k: (v or "").strip() for k, v in values.items()}
    if "tax_number" in clean:
        clean["tax_number"] = clean["tax_number"].upper()
    for key, value in clean.items():
        if len(value) > MAX_LENGTH[key]:
            raise ValidationError(_("{field}: at most {n} characters ({count} given).").format(
                field=_(LABELS[key]), n=MAX_LENGTH[key], count=len(value)), field=key)
    if "name" in clean and not clean["name"]:
        raise ValidationError(_("Company name is required."), field="name")
    tax = clean.get("tax_number")
    if tax and not TAX_NUMBER.fullmatch(tax):
        raise ValidationError(_("Tax number {value}: expected 15, 18 or 20 letters and digits (the unified social "
                                "credit code has 18), e.g. 91371300MA3C8XXX1Q.").format(value=tax), field="tax_number")
    return clean


def update_details(session: Session, actor: Actor, **values: str) -> dict[str, str]:
    """Change some of the details (an administrator only); the others keep their value. Returns all of them."""
    permissions.require(actor, "admin.company")
    clean = check(values)
    row = session.get(CompanyDetails, ROW_ID)
    if row is None:
        row = CompanyDetails(id=ROW_ID, **_from_settings())
        session.add(row)
    for key, value in clean.items():
        setattr(row, key, value)
    session.flush()
    return get_details(session)


def store_initial(session: Session, name: str) -> None:
    """Setup: the settings file's details (and the name given at setup) become the stored row."""
    if session.get(CompanyDetails, ROW_ID) is None:
        values = _from_settings()
        values["name"] = name.strip() or values["name"]
        session.add(CompanyDetails(id=ROW_ID, **values))
