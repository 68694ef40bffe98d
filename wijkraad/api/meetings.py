"""Meetings, agenda, attendance, motions and vote rounds (API.md "Meetings and voting")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, body, dump, require_actor
from wijkraad.auth.actor import Actor
from wijkraad.councils import services as councils
from wijkraad.errors import Invalid, NotFound, require
from wijkraad.extensions import db
from wijkraad.meetings import attendance, permissions
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import Requirement
from wijkraad.voting import casting, decisions, meeting_reads, queries
from wijkraad.voting import services as voting
from wijkraad.voting.models import Decision, VoteRound
from wijkraad.voting.rules import Choice, GroupCounts, RoundMode, Tally
from wijkraad.web import write


def decision_ref(decision: Decision | None) -> schemas.DecisionRef | None:
    return schemas.DecisionRef(id=decision.id, identifier=decision.identifier) if decision else None


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


def meeting_read_json(read: meeting_reads.MeetingRead) -> dict[str, Any]:
    return dump(
        schemas.MeetingOut(
            id=read.id,
            council=read.council,
            title=read.title,
            starts_at=read.starts_at,
            location=read.location,
            status=read.status,
            follow_up_of=read.follow_up_of,
            current_item_id=read.current_item_id,
            agenda=[
                schemas.ItemOut(
                    id=item.id,
                    number=item.number,
                    title=item.title,
                    description=item.description,
                    is_formality=item.is_formality,
                    is_confidential=item.is_confidential,
                    parent_id=item.parent_id,
                    motions=[
                        schemas.MotionOut.model_validate(motion_read_json(m)) for m in item.motions
                    ],
                )
                for item in read.agenda
            ],
        )
    )


# Whatever the caller may not see is not found (404), as on the pages, before any permission
# check (403) could tell that it exists.


def _visible_meeting(meeting_id: int) -> Meeting:
    return meeting_reads.visible_meeting(db.session, actor(), meeting_id)


def _visible_item(item_id: int) -> AgendaItem:
    item = meetings.get_item(db.session, item_id)
    who = actor()
    if not meetings.may_see(who, item.meeting) or item.id in meetings.hidden_item_ids(
        who, item.meeting
    ):
        raise NotFound("agenda-item-not-found")
    return item


@bp.post("/councils/<slug>/meetings")
@write()
def create_meeting(slug: str) -> tuple[dict[str, Any], int]:
    who = require_actor()
    council = councils.get_council(db.session, slug)
    require(permissions.can_manage_meeting(who, council.id))
    data = body(schemas.MeetingCreate)
    if data.starts_at.tzinfo is None:
        raise Invalid("field-invalid", field="starts_at", reason="a timestamp needs its offset")
    meeting = motions.create_meeting(
        db.session,
        who,
        council,
        title=data.title,
        starts_at=data.starts_at,
        location=data.location,
        follow_up_of_id=data.follow_up_of,
    )
    return dump(schemas.MeetingCreated(id=meeting.id, status=meeting.status.value)), 201


@bp.get("/councils/<slug>/meetings")
def list_meetings(slug: str) -> list[dict[str, Any]]:
    council = councils.get_council(db.session, slug)
    rows = meeting_queries.meetings_of(db.session, actor(), council, newest_first=False)
    return [
        {
            "id": m.id,
            "title": m.title,
            "starts_at": m.starts_at.isoformat(),
            "status": m.status.value,
        }
        for m in rows
    ]


@bp.get("/meetings/<int:meeting_id>")
def get_meeting(meeting_id: int) -> dict[str, Any]:
    return meeting_read_json(meeting_reads.meeting_read(db.session, actor(), meeting_id))


@bp.post("/meetings/<int:meeting_id>/agenda-items")
@write()
def add_item(meeting_id: int) -> tuple[dict[str, Any], int]:
    who = require_actor()
    meeting = _visible_meeting(meeting_id)
    require(permissions.can_manage_meeting(who, meeting.council_id))
    data = body(schemas.AgendaItemCreate)
    item = meetings.add_item(db.session, who, meeting, **data.model_dump())
    return dump(
        schemas.AgendaItemCreated(id=item.id, number=meetings.numbers(meeting)[item.id])
    ), 201


def attendance_out(meeting: Meeting) -> dict[str, Any]:
    state = attendance.presences(db.session, meeting, clock.today())
    return dump(
        schemas.AttendanceOut(
            present=len(state.present),
            seated=len(state.seated),
            quorum=attendance.quorum(meeting, state),
            present_ids=sorted(state.present),
            absent_with_notice_ids=sorted(state.absent_with_notice),
        )
    )


@bp.put("/meetings/<int:meeting_id>/attendance")
@write()
def set_attendance(meeting_id: int) -> dict[str, Any]:
    who = require_actor()
    meeting = _visible_meeting(meeting_id)
    require(permissions.can_keep_attendance(who, meeting.council_id))
    data = body(schemas.AttendanceSet)
    attendance.set_attendance(
        db.session,
        who,
        meeting,
        present=set(data.present),
        absent_with_notice=set(data.absent_with_notice),
        now=clock.now(),
        on=clock.today(),
    )
    return attendance_out(meeting)


@bp.get("/meetings/<int:meeting_id>/attendance")
def get_attendance(meeting_id: int) -> dict[str, Any]:
    return attendance_out(_visible_meeting(meeting_id))


@bp.post("/agenda-items/<int:item_id>/recusals")
@write()
def add_recusal(item_id: int) -> tuple[dict[str, Any], int]:
    who = require_actor()
    item = _visible_item(item_id)
    require(permissions.can_keep_attendance(who, item.meeting.council_id))
    data = body(schemas.RecusalCreate)
    recusal = meetings.add_recusal(db.session, who, item, data.member_id, clock.today())
    return {"id": recusal.id, "agenda_item_id": item.id, "member_id": data.member_id}, 201


@bp.post("/agenda-items/<int:item_id>/motions")
@write()
def submit_motion(item_id: int) -> tuple[dict[str, Any], int]:
    who = require_actor()
    item = _visible_item(item_id)
    require(permissions.can_submit_motion(who, item.meeting.council_id))
    data = body(schemas.MotionCreate)
    motion = motions.submit_motion(
        db.session,
        who,
        item,
        title=data.title,
        text=data.text,
        requirement=Requirement(data.requirement),
        amount_cents=data.amount_cents,
        budget_line_id=data.budget_line_id,
        amends_id=data.amends_id,
        cosigner_ids=data.cosigners,
        on=clock.today(),
        draft=data.draft,
    )
    return dump(schemas.MotionCreated(id=motion.id, status=motion.status.value)), 201


@bp.post("/motions/<int:motion_id>/schedule")
@write()
def schedule(motion_id: int) -> dict[str, Any]:
    """Puts a postponed motion on an agenda item of a later meeting."""
    who = require_actor()
    motion = _visible_motion(motion_id)
    require(permissions.can_manage_meeting(who, motion.agenda_item.meeting.council_id))
    data = body(schemas.MotionSchedule)
    item = meetings.get_item(db.session, data.agenda_item_id)
    motions.reschedule(db.session, who, motion, item)
    return motion_read_json(meeting_reads.motion_read(db.session, actor(), motion.id))


def _visible_motion(motion_id: int) -> Motion:
    return meeting_reads.visible_motion(db.session, actor(), motion_id)


@bp.get("/motions/<int:motion_id>")
def get_motion(motion_id: int) -> dict[str, Any]:
    return motion_read_json(meeting_reads.motion_read(db.session, actor(), motion_id))


@bp.post("/motions/<int:motion_id>/rounds")
@write()
def open_round(motion_id: int) -> tuple[dict[str, Any], int]:
    who = require_actor()
    motion = _visible_motion(motion_id)
    require(permissions.can_chair(who, motion.agenda_item.meeting.council_id))
    data = body(schemas.RoundCreate)
    vote_round = voting.open_round(
        db.session, who, motion, mode=RoundMode(data.mode), now=clock.now(), on=clock.today()
    )
    return dump(round_out(vote_round)), 201


@bp.get("/rounds/<int:round_id>")
def get_round(round_id: int) -> dict[str, Any]:
    """The live tally: one query for an open round, whoever asks (no token needed)."""
    meeting_reads.read_in_autocommit(db.session())
    state = queries.round_state(db.session, round_id)
    # Rounds exist only in opened meetings; the one limit is a confidential item.
    if state.is_confidential and not permissions.can_see_confidential(actor(), state.council_id):
        raise NotFound("round-not-found")
    return round_json(state)


@bp.post("/rounds/<int:round_id>/votes")
@write()
def cast_vote(round_id: int) -> tuple[dict[str, Any], int]:
    who = require_actor()
    data = body(schemas.VoteCreate)
    vote = casting.cast_vote(db.session, who, round_id, Choice(data.choice), clock.now())
    return {"id": vote.id, "round_id": round_id, "choice": vote.choice.value}, 201


@bp.put("/rounds/<int:round_id>/counts")
@write()
def set_counts(round_id: int) -> dict[str, Any]:
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
@write()
def close_round(round_id: int) -> dict[str, Any]:
    who = require_actor()
    vote_round = voting.get_round(db.session, round_id)
    decisions.close_round(db.session, who, vote_round, now=clock.now(), on=clock.today())
    return dump(round_out(vote_round))


# State moves without a body: one permission-checking service call each.
MEETING_ACTIONS: dict[str, Callable[[Actor, Meeting], None]] = {
    "publish": lambda who, m: meetings.publish(db.session, who, m, clock.now()),
    "open": lambda who, m: meetings.open_meeting(db.session, who, m, clock.now(), clock.today()),
    "close": lambda who, m: voting.close_meeting(db.session, who, m, clock.now()),
}
MOTION_ACTIONS: dict[str, Callable[[Actor, Motion], object]] = {
    "withdraw": lambda who, m: motions.withdraw(db.session, who, m),
    "adopt-formality": lambda who, m: decisions.adopt_formality(
        db.session, who, m, on=clock.today()
    ),
    "request-vote": lambda who, m: motions.request_vote(db.session, who, m),
    "submit": lambda who, m: motions.submit_draft(db.session, who, m),
}


@bp.post("/meetings/<int:meeting_id>/<any(publish, open, close):action>")
@write()
def meeting_action(meeting_id: int, action: str) -> dict[str, Any]:
    who = require_actor()
    meeting = _visible_meeting(meeting_id)
    MEETING_ACTIONS[action](who, meeting)
    return {"id": meeting.id, "status": meeting.status.value}


@bp.post(
    "/motions/<int:motion_id>/<any(submit, withdraw, 'adopt-formality', 'request-vote'):action>"
)
@write()
def motion_action(motion_id: int, action: str) -> dict[str, Any]:
    who = require_actor()
    motion = _visible_motion(motion_id)
    MOTION_ACTIONS[action](who, motion)
    return motion_read_json(meeting_reads.motion_read(db.session, actor(), motion.id))
