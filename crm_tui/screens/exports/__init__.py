"""Screens of the export registry (services/exports): the dialog every list opens to write itself to Excel."""
