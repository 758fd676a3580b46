"""Documents (文档管理): attachments on records (attachments.py, files in storage.py) and the knowledge base
(kb.py, searched through kb_search.py)."""
