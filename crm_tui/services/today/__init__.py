"""The today view (home screen), reminders, announcements (公告), the customer page (客户360) and the employee page.

What shows on them comes from registries (``registry.py``) that each area fills from the composition root
(crm_tui/bootstrap.py): a today source, a customer-page tab, an employee-page section is one line there.
"""
