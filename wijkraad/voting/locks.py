"""The round's lock: casting and closing are serialised per round.

On PostgreSQL with a transaction-level advisory lock keyed by the round: votes take it shared
(they never wait for each other), a close takes it exclusively, so it waits until the votes
under way are committed (and counted), and a vote that comes after the close waits for it and
then finds the round closed. The lock lives in the lock manager, not on the row, so hundreds of
votes at once write nothing extra. SQLite has one writer at a time: the close holds the write
lock while it counts, and the vote's insert checks the round's status itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.db import lock_for_update
from wijkraad.voting.models import VoteRound

ROUND_LOCK_SPACE = 1

# Held by a vote until it commits: a column of the statement that reads the round.
SHARED = sa.func.pg_advisory_xact_lock_shared(ROUND_LOCK_SPACE, VoteRound.id)

_EXCLUSIVE = sa.select(
    sa.func.pg_advisory_xact_lock(ROUND_LOCK_SPACE, sa.bindparam("round_id", type_=sa.Integer))
)


def lock_round(session: Session, vote_round: VoteRound) -> None:
    """Takes the round for this transaction alone and reads it afresh."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_EXCLUSIVE, {"round_id": vote_round.id})
    else:
        lock_for_update(session, VoteRound, vote_round.id)
    session.refresh(vote_round)
