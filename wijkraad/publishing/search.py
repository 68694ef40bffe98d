"""Full-text search of the decisions: the words someone typed as a condition on ``Decision.id``.

The index itself is the database's (migration ``0009_search``): on PostgreSQL a ``tsvector``
per decision in ``decision_search`` under a GIN index, Dutch stemming ("fietsenstalling" finds
"fietsenstallingen"); on SQLite the FTS5 table ``decisions_fts``. Triggers keep either in step
with the decisions' identifier, text, explanation and commitments and their motion's title.
Every word must occur, each as the start of a word ("speel" finds "speeltuin"); a decision's
identifier (``OST-2026-014``) is found whole as well. What someone types is never query syntax:
only its letters and digits are searched.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from wijkraad.voting.models import Decision

MAX_WORDS = 8
MAX_WORD = 40
# The index's own tables, which are no models: the comparison of models and migrations (and
# autogenerate) leaves them out.
INDEX_TABLES = ("decision_search", "decisions_fts")

_WORD = re.compile(r"[^\W_]+")
_IDENTIFIER = re.compile(r"[A-Za-z0-9]{1,8}-[0-9]{4}-[0-9]{1,6}")
_decisions_fts = sa.table("decisions_fts", sa.column("rowid"))
_decision_search = sa.table(
    "decision_search", sa.column("decision_id"), sa.column("document", sa.Text)
)


def is_index_table(name: str | None) -> bool:
    return bool(name) and any(name == t or name.startswith(t + "_") for t in INDEX_TABLES)  # type: ignore[union-attr]


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: everything but the search index's tables."""
    return not (type_ == "table" and is_index_table(name))


def is_identifier(text: str) -> bool:
    """Whether ``text`` has the shape of a decision's identifier (``OST-2026-014``)."""
    return _IDENTIFIER.fullmatch(text) is not None


def words(q: str) -> list[str]:
    """The words to search for: letters and digits, lower case, at most ``MAX_WORDS``."""
    return [w[:MAX_WORD] for w in _WORD.findall(q.lower())][:MAX_WORDS]


def matching(dialect: str, q: str) -> sa.ColumnElement[bool] | None:
    """The decisions whose words match ``q`` (None: nothing to search for)."""
    found = words(q)
    if not found:
        return None
    typed = q.strip()
    identifier = Decision.identifier == typed.upper() if is_identifier(typed) else sa.false()
    if dialect == "postgresql":
        query = sa.func.to_tsquery("dutch", " & ".join(f"{w}:*" for w in found))
        hits = sa.select(_decision_search.c.decision_id).where(
            # Only stop words ("de", "het"): as if nothing was typed.
            sa.or_(
                sa.func.numnode(query) == 0,
                _decision_search.c.document.op("@@", is_comparison=True)(query),
            )
        )
    elif dialect == "sqlite":
        phrase = " ".join(f'"{w}"*' for w in found)
        hits = sa.select(_decisions_fts.c.rowid).where(
            sa.text("decisions_fts MATCH :phrase").bindparams(phrase=phrase)
        )
    else:
        return sa.and_(*(_like_any(w) for w in found)) | identifier
    return sa.or_(Decision.id.in_(hits), identifier)


def _like_any(word: str) -> sa.ColumnElement[bool]:
    pattern = f"%{word}%"
    return sa.or_(
        sa.func.lower(Decision.text).like(pattern),
        sa.func.lower(Decision.explanation).like(pattern),
        sa.func.lower(Decision.identifier).like(pattern),
    )
