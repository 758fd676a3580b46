"""The events a template may be switched on for (the handlers are in triggers.py)."""

TRIGGERS = ("order_confirmed", "shipment_confirmed", "receipt_recorded", "receivable_overdue", "ticket_resolved",
            "birthday", "spring_festival", "mid_autumn")
