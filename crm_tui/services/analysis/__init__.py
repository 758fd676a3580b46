"""Analyses for the manager and the boss (issue 17): churn, reorder overdue, price rise/cut candidates, sales by
region / industry / classification / salesperson / product, the retention cohort, ABC grades, targets and the
dashboard. One module per analysis; each returns a ``Report`` (``common.py``): the rows, the columns, the rule
behind the list and the chart the screen and the Excel export draw.

Every analysis reads confirmed orders (and confirmed stock-outs for margins) through SQL aggregates and counts
only the customers the user may see (``services/sales/permissions.visible_clause``).
"""
