"""Migrations: an empty database upgrades to head, and the models agree with the migrations."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from wijkraad.extensions import db
from wijkraad.publishing import search


def _diff() -> list:
    with db.engine.connect() as conn:
        # The full-text index's tables are the database's own, not models (0009_search).
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": search.include_name}
        )
        return compare_metadata(context, db.metadata)


def test_head_matches_models(app):
    with app.app_context():
        # The session fixture upgraded an empty database to head (on each database kind).
        assert _diff() == []
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {
            "users",
            "councils",
            "memberships",
            "persons",
            "api_tokens",
            "audit_events",
        } <= tables


def test_downgrade_to_empty_and_up_again(app):
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _diff() == []


def test_the_search_index_is_there_and_left_out_of_the_comparison(app):
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        index = "decisions_fts" if db.engine.dialect.name == "sqlite" else "decision_search"
        assert index in tables and search.is_index_table(index)
        assert not any(search.is_index_table(t) for t in ("decisions", "decision_counters"))
