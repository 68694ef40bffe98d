"""Migrations: an empty database upgrades to head, and the models agree with the migrations."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from wijkraad.extensions import db


def _diff() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
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
