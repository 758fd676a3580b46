"""Documents (文档管理): attachments on records (attachments.py, files in storage.py) and the knowledge base
(kb.py, searched through kb_search.py)."""

# The kinds of record a file may be attached to (db/models/docs.py keeps the same; attachments.py checks it).
OWNER_KINDS = ("customer", "quote", "order", "contact_log", "ticket", "expense_claim")
