"""Workbooks for the sales import tests (a uniquely named module: several test folders have a conftest)."""


def write_sheet(path, rows, sheet="Sheet1"):
    """A workbook with ``rows`` (the first is the header) on one sheet."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path
