"""The events a template may be switched on for (the handlers are in triggers.py)."""

TRIGGERS = ("order_confirmed", "shipment_confirmed", "receipt_recorded", "receivable_overdue", "ticket_resolved",
            "birthday", "spring_festival", "mid_autumn")

# How each trigger is named on screen (msgids).
TRIGGER_LABELS = {
    "order_confirmed": "Order confirmed",
    "shipment_confirmed": "Shipment confirmed",
    "receipt_recorded": "Receipt recorded",
    "receivable_overdue": "Receivable overdue",
    "ticket_resolved": "Ticket resolved",
    "birthday": "Birthday",
    "spring_festival": "Spring Festival",
    "mid_autumn": "Mid-Autumn Festival",
}
