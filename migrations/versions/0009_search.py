"""search: a full-text index of the decisions, kept in step by the database itself

Also an index of a council's decisions by year, for the archive's years.

The archive searches a council's decisions by the words of their identifier, motion title,
text, explanation and commitments. PostgreSQL keeps a ``tsvector`` per decision (Dutch
stemming) in ``decision_search`` under a GIN index; SQLite keeps the words in the FTS5 table
``decisions_fts`` (its rowid is the decision's id). Triggers on ``decisions`` (insert, update of
the searched columns, delete) and on ``motions`` (a changed title) keep the index in step with
every write, whichever code makes it, and the existing decisions are indexed here.

Neither index is in the models (they are not tables the app writes or reads as rows): the
comparison of models and migrations leaves them out (``wijkraad.publishing.search``). On SQLite
a batch migration that copies ``decisions`` or ``motions`` drops their triggers: a later one
that does must create them again (``create_sqlite_triggers``).

Revision ID: 0009_search
Revises: 0008_budget
Create Date: 2026-12-05 10:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0009_search"
down_revision = "0008_budget"
branch_labels = None
depends_on = None

# --------------------------------------------------------------------------------- PostgreSQL

PG_UPGRADE = [
    """
    CREATE TABLE decision_search (
        decision_id integer NOT NULL,
        document tsvector NOT NULL,
        CONSTRAINT pk_decision_search PRIMARY KEY (decision_id),
        CONSTRAINT fk_decision_search_decision_id_decisions FOREIGN KEY (decision_id)
            REFERENCES decisions (id) ON DELETE CASCADE
    )
    """,
    "CREATE INDEX ix_decision_search_document ON decision_search USING gin (document)",
    # The identifier's parts as words of their own: "OST-2026-014" is found by "014".
    """
    CREATE FUNCTION decision_search_document(
        identifier text, title text, body text, explanation text, commitments text
    ) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
        SELECT to_tsvector('dutch'::regconfig,
            replace(identifier, '-', ' ') || ' ' || coalesce(title, '') || ' ' ||
            body || ' ' || explanation || ' ' || commitments)
    $$
    """,
    """
    CREATE FUNCTION decision_search_of_decision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO decision_search (decision_id, document)
        VALUES (NEW.id, decision_search_document(
            NEW.identifier, (SELECT title FROM motions WHERE id = NEW.motion_id),
            NEW.text, NEW.explanation, NEW.commitments))
        ON CONFLICT (decision_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER decisions_search AFTER INSERT OR UPDATE OF
        identifier, motion_id, text, explanation, commitments
    ON decisions FOR EACH ROW EXECUTE FUNCTION decision_search_of_decision()
    """,
    """
    CREATE FUNCTION decision_search_of_motion() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE decision_search AS s SET document = decision_search_document(
            d.identifier, NEW.title, d.text, d.explanation, d.commitments)
        FROM decisions AS d
        WHERE d.motion_id = NEW.id AND s.decision_id = d.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER motions_search AFTER UPDATE OF title ON motions FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title)
    EXECUTE FUNCTION decision_search_of_motion()
    """,
    """
    INSERT INTO decision_search (decision_id, document)
    SELECT d.id, decision_search_document(d.identifier, m.title, d.text, d.explanation,
                                          d.commitments)
    FROM decisions AS d LEFT JOIN motions AS m ON m.id = d.motion_id
    """,
]

PG_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS motions_search ON motions",
    "DROP TRIGGER IF EXISTS decisions_search ON decisions",
    "DROP FUNCTION IF EXISTS decision_search_of_motion()",
    "DROP FUNCTION IF EXISTS decision_search_of_decision()",
    "DROP FUNCTION IF EXISTS decision_search_document(text, text, text, text, text)",
    "DROP TABLE IF EXISTS decision_search",
]

# ------------------------------------------------------------------------------------- SQLite

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER decisions_fts_insert AFTER INSERT ON decisions BEGIN
        INSERT INTO decisions_fts (rowid, identifier, title, text, explanation, commitments)
        VALUES (NEW.id, NEW.identifier,
                coalesce((SELECT title FROM motions WHERE id = NEW.motion_id), ''),
                NEW.text, NEW.explanation, NEW.commitments);
    END
    """,
    """
    CREATE TRIGGER decisions_fts_update AFTER UPDATE OF
        identifier, motion_id, text, explanation, commitments ON decisions BEGIN
        DELETE FROM decisions_fts WHERE rowid = OLD.id;
        INSERT INTO decisions_fts (rowid, identifier, title, text, explanation, commitments)
        VALUES (NEW.id, NEW.identifier,
                coalesce((SELECT title FROM motions WHERE id = NEW.motion_id), ''),
                NEW.text, NEW.explanation, NEW.commitments);
    END
    """,
    """
    CREATE TRIGGER decisions_fts_delete AFTER DELETE ON decisions BEGIN
        DELETE FROM decisions_fts WHERE rowid = OLD.id;
    END
    """,
    """
    CREATE TRIGGER motions_fts_title AFTER UPDATE OF title ON motions
    WHEN OLD.title IS NOT NEW.title BEGIN
        UPDATE decisions_fts SET title = NEW.title
        WHERE rowid IN (SELECT id FROM decisions WHERE motion_id = NEW.id);
    END
    """,
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS motions_fts_title",
    "DROP TRIGGER IF EXISTS decisions_fts_delete",
    "DROP TRIGGER IF EXISTS decisions_fts_update",
    "DROP TRIGGER IF EXISTS decisions_fts_insert",
    "DROP TABLE IF EXISTS decisions_fts",
]


def create_sqlite_triggers():
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade():
    # A council's years (the archive's filter, the annual lists): not a batch operation, which
    # on SQLite would copy the table and lose its triggers.
    op.create_index("ix_decisions_council_year", "decisions", ["council_id", "year", "number"])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in PG_UPGRADE:
            op.execute(statement)
    elif dialect == "sqlite":
        # Words folded to lower case and without diacritics ("één" is found as "een").
        op.execute(
            "CREATE VIRTUAL TABLE decisions_fts USING fts5("
            "identifier, title, text, explanation, commitments, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        create_sqlite_triggers()
        op.execute(
            "INSERT INTO decisions_fts (rowid, identifier, title, text, explanation, commitments)"
            " SELECT d.id, d.identifier, coalesce(m.title, ''), d.text, d.explanation,"
            " d.commitments FROM decisions AS d LEFT JOIN motions AS m ON m.id = d.motion_id"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    statements = {"postgresql": PG_DOWNGRADE, "sqlite": SQLITE_DOWNGRADE}.get(dialect, [])
    for statement in statements:
        op.execute(statement)
    op.drop_index("ix_decisions_council_year", table_name="decisions")
