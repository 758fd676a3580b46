"""crm-tui: a keyboard-driven terminal CRM with a light purchase-sales-inventory back office."""

__version__ = "0.1.0"
