"""After-sales service (客户服务与支持): tickets, their follow-ups, the SLA and the service report.

``states`` holds the status moves and the SLA, ``records`` the use cases (open, list, show, assign, log,
resolve, close, reopen, and the lists the today view and the customer page show), ``report`` the counts.
"""
