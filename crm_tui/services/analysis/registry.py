"""Every analysis by name: what the CLI (``crm report NAME``) and the Analysis area list and run."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line lists the analyses at start-up: nothing heavy is imported here
    from sqlalchemy.orm import Session

    from crm_tui.core.actor import Actor
    from crm_tui.services.analysis.common import Report


@dataclass(frozen=True)
class Analysis:
    name: str
    title: str  # msgid
    ref: str  # "module:function(session, actor, date_from, date_to, **kwargs) -> Report"
    kwargs: dict[str, Any] = field(default_factory=dict)

    def run(self, session: Session, actor: Actor, date_from: date | None = None, date_to: date | None = None
            ) -> Report:
        module, fn = self.ref.split(":")
        return getattr(importlib.import_module(f"crm_tui.services.analysis.{module}"), fn)(
            session, actor, date_from, date_to, **self.kwargs)


ANALYSES = [
    Analysis("dashboard", "Dashboard", "dashboard:dashboard"),
    Analysis("churn", "Churned customers", "churn:churned"),
    Analysis("reorder", "Reorder overdue", "reorder:overdue"),
    Analysis("prices", "Price rise / cut candidates", "prices:candidates"),
    Analysis("by-region", "Sales by region", "breakdown:breakdown", {"by": "region"}),
    Analysis("by-industry", "Sales by industry", "breakdown:breakdown", {"by": "industry"}),
    Analysis("by-classification", "Sales by classification", "breakdown:breakdown", {"by": "classification"}),
    Analysis("by-salesperson", "Sales by salesperson", "breakdown:breakdown", {"by": "salesperson"}),
    Analysis("by-product", "Sales by product", "breakdown:breakdown", {"by": "product"}),
    Analysis("profiling", "Customer segments", "seven_p:profiling"),
    Analysis("cohort", "Retention cohort", "cohort:cohort"),
    Analysis("margin-customer", "Gross margin by customer", "seven_p:profitability", {"by": "customer"}),
    Analysis("margin-product", "Gross margin by product", "seven_p:profitability", {"by": "product"}),
    Analysis("targets", "Sales against targets", "targets:targets"),
    Analysis("prospecting", "New customers by source", "seven_p:prospecting"),
    Analysis("abc", "Customer value pyramid (ABC)", "abc:abc"),
    Analysis("abc-products", "Products by sales (ABC)", "abc:abc", {"of": "products"}),
    Analysis("promotion", "Campaign results", "seven_p:promotion"),
]
BY_NAME = {a.name: a for a in ANALYSES}


def run(session: Session, actor: Actor, name: str, date_from: date | None = None, date_to: date | None = None
        ) -> Report:
    return BY_NAME[name].run(session, actor, date_from, date_to)
