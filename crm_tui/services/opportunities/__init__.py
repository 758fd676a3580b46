"""Opportunities (机会管理): records, stages with entry criteria, winning into an order, the sales funnel.

``stages`` holds the stages as data and their criteria, ``records`` the use cases (add, list, show, move, win,
lose, quote), ``funnel`` the funnel report. No Textual here: screens and commands call these functions through
the runner.
"""
