"""Motions and vote rounds (API.md "Meetings and voting"): a motion's moves, its rounds, the
votes and the show of hands, and the shapes of motions and rounds that the meeting read reuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, body, dump, require_actor
from wijkraad.api.openapi import doc
from wijkraad.auth.actor import Actor
from wijkraad.errors import NotFound, require
from wijkraad.extensions import db
from wijkraad.meetings import permissions
from wijkraad.meetings import services as meetings
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.voting import casting, decisions, meeting_reads, queries
from wijkraad.voting import services as voting
from wijkraad.voting.models import VoteRound
from wijkraad.voting.rules import Choice, GroupCounts, RoundMode, Tally
from wijkraad.web import write


def round_json(state: queries.RoundState) -> dict[str, Any]:
    """The round as API.md has it. Built by hand: the live tally is polled every second."""
    decision = None
    if state.outcome is not None:
        found = meeting_reads.decision_of_round(db.session, state.id)
        decision = {"id": found.id, "identifier": found.identifier} if found else None
    tally = state.tally
    return {
        "id": state.id,
        "motion_id": state.motion_id,
        "status": state.status.value,
        "mode": state.mode.value,
        "counts": tally.total.as_dict(),
        "groups": {
            "residents": tally.residents.as_dict(),
            "councillors": tally.councillors.as_dict(),
        },
        "outcome": state.outcome.value if state.outcome else None,
        "reason": state.reason,
        "decision": decision,
    }


def round_out(vote_round: VoteRound) -> schemas.Round:
    return schemas.Round.model_validate(round_json(queries.round_state(db.session, vote_round.id)))


def _round_read_json(read: meeting_reads.RoundRead) -> dict[str, Any]:
    state, tally = read.state, read.state.tally
    return {
        "id": state.id,
        "motion_id": state.motion_id,
        "status": state.status.value,
        "mode": state.mode.value,
        "counts": tally.total.as_dict(),
        "groups": {
            "residents": tally.residents.as_dict(),
            "councillors": tally.councillors.as_dict(),
        },
        "outcome": state.outcome.value if state.outcome else None,
        "reason": state.reason,
        "decision": (
            {"id": read.decision.id, "identifier": read.decision.identifier}
            if read.decision and state.outcome is not None
            else None
        ),
    }


def motion_read_json(read: meeting_reads.MotionRead) -> dict[str, Any]:
    return dump(
        schemas.MotionOut(
            id=read.id,
            title=read.title,
            text=read.text,
            status=read.status,
            requirement=read.requirement,  # type: ignore[arg-type]
            amount_cents=read.amount_cents,
            budget_line_id=read.budget_line_id,
            source_line_id=read.source_line_id,
            supplements_decision_id=read.supplements_decision_id,
            amends_id=read.amends_id,
            vote_requested=read.vote_requested,
            rounds=[schemas.Round.model_validate(_round_read_json(r)) for r in read.rounds],
            decision=(
                schemas.DecisionRef(id=read.decision.id, identifier=read.decision.identifier)
                if read.decision
                else None
            ),
        )
    )


# Whatever the caller may not see is not found (404), as on the pages, before any permission
# check (403) could tell that it exists.


def _visible_motion(motion_id: int) -> Motion:
    return meeting_reads.visible_motion(db.session, actor(), motion_id)


def _motion(motion_id: int) -> dict[str, Any]:
    return motion_read_json(meeting_reads.motion_read(db.session, actor(), motion_id))


_MOTION_REFUSALS = {403: "forbidden", 404: "motion-not-found"}


@bp.get("/motions/<int:motion_id>")
@doc(200, schemas.MotionOut, errors={404: "motion-not-found"})
def get_motion(motion_id: int) -> dict[str, Any]:
    """A motion with its rounds and decision; a draft only for its authors and the chair."""
    return _motion(motion_id)


@bp.post("/motions/<int:motion_id>/schedule")
@doc(
    200,
    schemas.MotionOut,
    body=schemas.MotionSchedule,
    auth="required",
    errors={
        **_MOTION_REFUSALS,
        409: "motion-status, meeting-closed",
        422: "agenda-item-not-found, not-a-later-meeting",
    },
)
@write()
def schedule(motion_id: int) -> dict[str, Any]:
    """Put a postponed motion on an agenda item of a later meeting (chair, secretary)."""
    who = require_actor()
    motion = _visible_motion(motion_id)
    require(permissions.can_manage_meeting(who, motion.agenda_item.meeting.council_id))
    data = body(schemas.MotionSchedule)
    item = meetings.get_item(db.session, data.agenda_item_id)
    motions.reschedule(db.session, who, motion, item)
    return _motion(motion.id)


# A motion's moves without a body: one permission-checking service call each.
MotionMove = Callable[[Actor, Motion], object]
MOTION_MOVES: list[tuple[str, MotionMove, str, dict[int, str]]] = [
    (
        "submit",
        lambda who, m: motions.submit_draft(db.session, who, m),
        "Submit a draft motion (its submitter, the chair, the secretary).",
        {404: "motion-not-found, or a draft the caller may not see", 409: "motion-status"},
    ),
    (
        "withdraw",
        lambda who, m: motions.withdraw(db.session, who, m),
        "Withdraw a motion (its submitter, the chair).",
        {409: "motion-status"},
    ),
    (
        "request-vote",
        lambda who, m: motions.request_vote(db.session, who, m),
        "Ask for a vote on a formality (members).",
        {409: "motion-status"},
    ),
    (
        "adopt-formality",
        lambda who, m: decisions.adopt_formality(db.session, who, m, on=clock.today()),
        "Adopt a formality without a vote (chair).",
        {
            409: "vote-requested, not-a-formality, meeting-not-open, motion-status, "
            "budget-exceeded, transfer-not-by-formality, top-up-closed"
        },
    ),
]


def _motion_move(name: str, move: MotionMove, summary: str, errors: dict[int, str]) -> None:
    def view(motion_id: int) -> dict[str, Any]:
        who = require_actor()
        motion = _visible_motion(motion_id)
        move(who, motion)
        return _motion(motion.id)

    view.__name__ = "motion_" + name.replace("-", "_")
    view.__doc__ = summary
    documented = doc(200, schemas.MotionOut, auth="required", errors={**_MOTION_REFUSALS, **errors})
    bp.post(f"/motions/<int:motion_id>/{name}")(documented(write()(view)))


for _move in MOTION_MOVES:
    _motion_move(*_move)


@bp.post("/motions/<int:motion_id>/rounds")
@doc(
    201,
    schemas.Round,
    body=schemas.RoundCreate,
    auth="required",
    errors={
        **_MOTION_REFUSALS,
        409: "meeting-not-open, no-quorum, no-resident-majority, round-already-open, "
        "budget-exceeded (for a transfer: on its source line), top-up-closed, amendments-first, "
        "motion-not-votable",
    },
)
@write()
def open_round(motion_id: int) -> tuple[dict[str, Any], int]:
    """Open a vote round on a motion (chair)."""
    who = require_actor()
    motion = _visible_motion(motion_id)
    require(permissions.can_chair(who, motion.agenda_item.meeting.council_id))
    data = body(schemas.RoundCreate)
    vote_round = voting.open_round(
        db.session, who, motion, mode=RoundMode(data.mode), now=clock.now(), on=clock.today()
    )
    return dump(round_out(vote_round)), 201


@bp.get("/rounds/<int:round_id>")
@doc(200, schemas.Round, errors={404: "round-not-found"})
def get_round(round_id: int) -> dict[str, Any]:
    """A round with its live counts (no token needed, but for a confidential item)."""
    meeting_reads.read_in_autocommit(db.session())
    state = queries.round_state(db.session, round_id)
    # Rounds exist only in opened meetings; the one limit is a confidential item.
    if state.is_confidential and not permissions.can_see_confidential(actor(), state.council_id):
        raise NotFound("round-not-found")
    return round_json(state)


@bp.post("/rounds/<int:round_id>/votes")
@doc(
    201,
    schemas.VoteOut,
    body=schemas.VoteCreate,
    auth="required",
    errors={
        403: "not-entitled: not a member, not present, or recused",
        404: "round-not-found",
        409: "already-voted, round-closed, round-is-analog",
    },
)
@write()
def cast_vote(round_id: int) -> tuple[dict[str, Any], int]:
    """Cast the vote of the member behind the token."""
    who = require_actor()
    data = body(schemas.VoteCreate)
    vote = casting.cast_vote(db.session, who, round_id, Choice(data.choice), clock.now())
    return dump(schemas.VoteOut(id=vote.id, round_id=round_id, choice=vote.choice.value)), 201


@bp.put("/rounds/<int:round_id>/counts")
@doc(
    200,
    schemas.Round,
    body=schemas.CountsSet,
    auth="required",
    errors={
        403: "forbidden",
        404: "round-not-found",
        409: "round-closed, round-is-named",
        422: "counts-exceed-entitled, invalid-input",
    },
)
@write()
def set_counts(round_id: int) -> dict[str, Any]:
    """Enter a show of hands per group (chair, analog rounds)."""
    who = require_actor()
    vote_round = voting.get_round(db.session, round_id)
    require(permissions.can_chair(who, vote_round.motion.agenda_item.meeting.council_id))
    data = body(schemas.CountsSet)
    tally = Tally(
        residents=GroupCounts(**data.residents.model_dump()),
        councillors=GroupCounts(**data.councillors.model_dump()),
    )
    voting.set_counts(db.session, who, vote_round, tally)
    return dump(round_out(vote_round))


@bp.post("/rounds/<int:round_id>/close")
@doc(
    200,
    schemas.Round,
    auth="required",
    errors={403: "forbidden", 404: "round-not-found", 409: "round-closed"},
)
@write()
def close_round(round_id: int) -> dict[str, Any]:
    """Close a round and decide (chair): outcome, and the decision when it is adopted."""
    who = require_actor()
    vote_round = voting.get_round(db.session, round_id)
    decisions.close_round(db.session, who, vote_round, now=clock.now(), on=clock.today())
    return dump(round_out(vote_round))
