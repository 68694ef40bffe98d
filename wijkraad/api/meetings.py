"""Meetings, agenda, attendance and recusals, and the motions put on an agenda item (API.md
"Meetings and voting"); the motions' own moves and the vote rounds are in ``voting``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, body, dump, page_query, paged, require_actor
from wijkraad.api.openapi import doc
from wijkraad.api.voting import motion_read_json
from wijkraad.auth.actor import Actor
from wijkraad.budget import services as budget
from wijkraad.councils import queries as council_queries
from wijkraad.councils import services as councils
from wijkraad.errors import Invalid, NotFound, require
from wijkraad.extensions import db
from wijkraad.meetings import agenda_sent, apologies, attendance, permissions
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import Presence
from wijkraad.motions import services as motions
from wijkraad.motions.rules import Requirement
from wijkraad.voting import meeting_reads
from wijkraad.voting import services as voting
from wijkraad.web import write


def meeting_read_json(read: meeting_reads.MeetingRead) -> dict[str, Any]:
    out = dump(
        schemas.MeetingOut(
            id=read.id,
            council=read.council,
            title=read.title,
            starts_at=read.starts_at,
            location=read.location,
            status=read.status,
            follow_up_of=read.follow_up_of,
            current_item_id=read.current_item_id,
            agenda_changed=read.agenda_changed,
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
    if read.agenda_changed is None:
        del out["agenda_changed"]  # only for those who manage the meeting
    return out


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


_MEETING_REFUSALS = {403: "forbidden", 404: "meeting-not-found"}
_ITEM_REFUSALS = {403: "forbidden", 404: "agenda-item-not-found"}


@bp.post("/councils/<slug>/meetings")
@doc(
    201,
    schemas.MeetingCreated,
    body=schemas.MeetingCreate,
    auth="required",
    errors={
        403: "forbidden",
        404: "council-not-found",
        422: "invalid-input, follow-up-unknown, follow-up-too-soon",
    },
)
@write()
def create_meeting(slug: str) -> tuple[dict[str, Any], int]:
    """Create a meeting (chair, secretary, administrators); it starts as a draft."""
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
@doc(200, list[schemas.MeetingSummary], query=schemas.PageQuery, errors={404: "council-not-found"})
def list_meetings(slug: str) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The council's meetings, oldest first, a page at a time; drafts only for those who
    prepare them."""
    council = council_queries.council_by_slug(db.session, slug)
    asked = page_query()
    found = meeting_queries.meeting_window(
        db.session, actor(), council, offset=asked.offset, limit=asked.per_page
    )
    shown = [
        {
            "id": m.id,
            "title": m.title,
            "starts_at": m.starts_at.isoformat(),
            "status": m.status.value,
        }
        for m in found.items
    ]
    return paged(shown, found, asked)


@bp.get("/meetings/<int:meeting_id>")
@doc(200, schemas.MeetingOut, errors={404: "meeting-not-found"})
def get_meeting(meeting_id: int) -> dict[str, Any]:
    """A meeting with its agenda: the items with their motions, confidential items only for
    members."""
    return meeting_read_json(meeting_reads.meeting_read(db.session, actor(), meeting_id))


@bp.post("/meetings/<int:meeting_id>/agenda-items")
@doc(
    201,
    schemas.AgendaItemCreated,
    body=schemas.AgendaItemCreate,
    auth="required",
    errors={
        **_MEETING_REFUSALS,
        409: "meeting-closed, meeting-status",
        422: "invalid-input, parent-unknown, parent-too-deep",
    },
)
@write()
def add_item(meeting_id: int) -> tuple[dict[str, Any], int]:
    """Add an item to the agenda (chair, secretary, administrators)."""
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
@doc(
    200,
    schemas.AttendanceOut,
    body=schemas.AttendanceSet,
    auth="required",
    errors={
        **_MEETING_REFUSALS,
        409: "meeting-closed",
        422: "not-seated, present-and-absent, invalid-input",
    },
)
@write()
def set_attendance(meeting_id: int) -> dict[str, Any]:
    """Set the attendance register: who is present, who sent notice; the answer has the
    quorum."""
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
@doc(200, schemas.AttendanceOut, errors={404: "meeting-not-found"})
def get_attendance(meeting_id: int) -> dict[str, Any]:
    """Attendance and quorum."""
    return attendance_out(_visible_meeting(meeting_id))


def apology_out(meeting: Meeting, apology: apologies.Apology) -> dict[str, Any]:
    return dump(
        schemas.ApologyOut(
            meeting_id=meeting.id,
            member_id=apology.membership_id,
            sent_at=apology.sent_at,
            reason=apology.reason,
            presence=(apology.presence or Presence.ABSENT).value,
        )
    )


@bp.put("/meetings/<int:meeting_id>/apologies")
@doc(
    200,
    schemas.ApologyOut,
    body=schemas.ApologySet,
    auth="required",
    errors={**_MEETING_REFUSALS, 409: "apologies-closed", 422: "invalid-input"},
)
@write()
def send_apologies(meeting_id: int) -> dict[str, Any]:
    """Send your own apologies for a published meeting that has not opened yet (members of
    its council): absent with notice, with an optional reason for the chair and the
    secretary. Sent again, the reason and time are replaced."""
    who = require_actor()
    meeting = _visible_meeting(meeting_id)
    data = body(schemas.ApologySet)
    return apology_out(
        meeting, apologies.send(db.session, who, meeting, reason=data.reason, now=clock.now())
    )


@bp.delete("/meetings/<int:meeting_id>/apologies")
@doc(
    200,
    schemas.ApologyOut,
    auth="required",
    errors={**_MEETING_REFUSALS, 409: "apologies-closed"},
)
@write()
def withdraw_apologies(meeting_id: int) -> dict[str, Any]:
    """Withdraw your own apologies until the meeting opens: absent (not yet in the room)
    again, until the chair marks you present. Without apologies sent, nothing changes."""
    who = require_actor()
    meeting = _visible_meeting(meeting_id)
    return apology_out(meeting, apologies.withdraw(db.session, who, meeting, now=clock.now()))


@bp.post("/agenda-items/<int:item_id>/recusals")
@doc(
    201,
    schemas.RecusalOut,
    body=schemas.RecusalCreate,
    auth="required",
    errors={**_ITEM_REFUSALS, 409: "already-recused", 422: "not-seated, invalid-input"},
)
@write()
def add_recusal(item_id: int) -> tuple[dict[str, Any], int]:
    """Recuse a member from an agenda item: they do not vote on its motions."""
    who = require_actor()
    item = _visible_item(item_id)
    require(permissions.can_keep_attendance(who, item.meeting.council_id))
    data = body(schemas.RecusalCreate)
    recusal = meetings.add_recusal(db.session, who, item, data.member_id, clock.today())
    out = schemas.RecusalOut(id=recusal.id, agenda_item_id=item.id, member_id=data.member_id)
    return dump(out), 201


@bp.post("/agenda-items/<int:item_id>/motions")
@doc(
    201,
    schemas.MotionCreated,
    body=schemas.MotionCreate,
    auth="required",
    errors={
        **_ITEM_REFUSALS,
        409: "meeting-closed, amends-not-open",
        422: "invalid-input, amends-unknown, budget-line-required, budget-line-unknown, "
        "not-seated, transfer-needs-two-thirds, transfer-same-line, transfer-incomplete, "
        "transfer-and-top-up, top-up-unknown, top-up-closed, top-up-incomplete",
    },
)
@write()
def submit_motion(item_id: int) -> tuple[dict[str, Any], int]:
    """Submit a motion or an amendment on an agenda item (members); a draft is seen only by
    its authors and the chair."""
    who = require_actor()
    item = _visible_item(item_id)
    require(permissions.can_submit_motion(who, item.meeting.council_id))
    data = body(schemas.MotionCreate)
    motion = budget.submit_motion(
        db.session,
        who,
        item,
        title=data.title,
        text=data.text,
        requirement=Requirement(data.requirement),
        amount_cents=data.amount_cents,
        budget_line_id=data.budget_line_id,
        source_line_id=data.source_line_id,
        supplements_decision_id=data.supplements_decision_id,
        amends_id=data.amends_id,
        cosigner_ids=data.cosigners,
        on=clock.today(),
        draft=data.draft,
    )
    return dump(schemas.MotionCreated(id=motion.id, status=motion.status.value)), 201


@bp.post("/meetings/<int:meeting_id>/agenda/resend")
@doc(
    200,
    schemas.AgendaResent,
    auth="required",
    errors={**_MEETING_REFUSALS, 409: "agenda-unchanged, meeting-status"},
)
@write()
def resend_agenda(meeting_id: int) -> dict[str, Any]:
    """Mail the published agenda again to every member, with what changed since it was last
    mailed (chair, secretary, administrators); once per change."""
    who = require_actor()
    meeting = _visible_meeting(meeting_id)
    queued = agenda_sent.resend(db.session, who, meeting, clock.now())
    return dump(schemas.AgendaResent(id=meeting.id, mails=queued))


# A meeting's moves without a body: one permission-checking service call each.
MeetingMove = Callable[[Actor, Meeting], None]
MEETING_MOVES: list[tuple[str, MeetingMove, str, dict[int, str]]] = [
    (
        "publish",
        lambda who, m: meetings.publish(db.session, who, m, clock.now()),
        "Publish the agenda: the meeting and its agenda become public.",
        {409: "meeting-status"},
    ),
    (
        "open",
        lambda who, m: meetings.open_meeting(db.session, who, m, clock.now(), clock.today()),
        "Open the meeting (chair): it needs the quorum present.",
        {409: "no-quorum, meeting-status"},
    ),
    (
        "close",
        lambda who, m: voting.close_meeting(db.session, who, m, clock.now()),
        "Close the meeting (chair).",
        {409: "round-still-open, meeting-status"},
    ),
]


def _meeting_move(name: str, move: MeetingMove, summary: str, errors: dict[int, str]) -> None:
    def view(meeting_id: int) -> dict[str, Any]:
        who = require_actor()
        meeting = _visible_meeting(meeting_id)
        move(who, meeting)
        return dump(schemas.MeetingState(id=meeting.id, status=meeting.status.value))

    view.__name__ = f"{name}_meeting"
    view.__doc__ = summary
    documented = doc(
        200, schemas.MeetingState, auth="required", errors={**_MEETING_REFUSALS, **errors}
    )
    bp.post(f"/meetings/<int:meeting_id>/{name}")(documented(write()(view)))


for _move in MEETING_MOVES:
    _meeting_move(*_move)
