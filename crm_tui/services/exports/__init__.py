"""Every list to Excel (列表导出): one registry of export kinds (orders, quotes, notices …), each with its
columns, the filters its list screen has, who may export it, and how its rows are read (through the same
list services as the screens, so the visibility rule applies to every export).
"""
