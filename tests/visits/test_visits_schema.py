"""The visits tables of migration 0005 are exactly the models (and the tally's covering index is there)."""

from __future__ import annotations

from sqlalchemy import inspect

VISIT_TABLES = {"visit_imports", "visit_uploads", "visit_events", "visit_absences", "visit_publications",
                "weekly_plans", "weekly_plan_items", "outings", "outing_customers"}


def _table_of(diff) -> str | None:
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item:
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None):
                return table.name
            if isinstance(part, str) and part in VISIT_TABLES:
                return part
            if name in VISIT_TABLES:
                return name
    return None


def test_models_and_migration_agree(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crm_tui.db.models import metadata

    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    mine = [d for d in diffs if _table_of(d) in VISIT_TABLES]
    assert mine == []
    assert VISIT_TABLES <= set(inspect(engine).get_table_names())


def test_covering_index_holds_every_column_the_tally_reads(engine):
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("visit_uploads")}
    assert indexes["ix_visit_uploads_tally"] == ["user_id", "at", "kind", "customer_id", "has_address", "photos",
                                                 "remarks_ok", "backdated", "late"]
