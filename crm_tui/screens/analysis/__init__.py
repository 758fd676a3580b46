"""The Analysis area (分析): the list of analyses, a table, a chart and the rule behind each; the dashboard."""
