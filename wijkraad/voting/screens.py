"""What the live screens read, as frozen view models with visibility applied once: the
projector for the room and the member's voting panel. Each in a fixed number of statements,
whatever the size of the meeting, the council or what it finds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.councils.rules import DecisionRule
from wijkraad.errors import NotFound
from wijkraad.meetings import permissions
from wijkraad.meetings.models import AgendaItem, Attendance, Meeting
from wijkraad.meetings.rules import ItemPosition, MeetingStatus, Presence, agenda_numbers
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import Requirement
from wijkraad.voting.models import Decision, Vote, VoteRound
from wijkraad.voting.queries import LIVE, STORED, tally_of
from wijkraad.voting.rules import Choice, Outcome, RoundMode, RoundStatus, Tally
from wijkraad.voting.snapshot import RoundSnapshot


@dataclass(frozen=True)
class CouncilView:
    name: str
    decision_rule: DecisionRule


@dataclass(frozen=True)
class MeetingView:
    id: int
    title: str
    status: MeetingStatus
    council_id: int
    council: CouncilView
    starts_at: datetime


@dataclass(frozen=True)
class ItemView:
    id: int
    title: str


@dataclass(frozen=True)
class MotionView:
    title: str
    amends_id: int | None
    requirement: Requirement
    agenda_item_id: int


@dataclass(frozen=True)
class RoundView:
    """A round as a screen shows it (the attribute names are the model's)."""

    id: int
    status: RoundStatus
    mode: RoundMode
    outcome: Outcome | None
    reason: str | None
    entitled: int
    motion: MotionView


@dataclass(frozen=True)
class DecisionView:
    identifier: str


@dataclass(frozen=True)
class ProjectorView:
    """What the projector shows, visibility applied: a confidential item's title, and its
    round's motion and counts, only for those who may see them (``item_hidden``,
    ``round_hidden``: the screen says only that there is one)."""

    meeting: MeetingView
    number: str | None
    item: ItemView | None
    item_hidden: bool
    vote_round: RoundView | None
    round_hidden: bool
    tally: Tally | None
    decision: DecisionView | None


_MEETING = (
    sa.select(
        Meeting.id,
        Meeting.title,
        Meeting.starts_at,
        Meeting.status,
        Meeting.council_id,
        Meeting.current_item_id,
        Council.name,
        Council.decision_rule,
    )
    .join(Council, Council.id == Meeting.council_id)
    .where(Meeting.id == sa.bindparam("meeting_id"))
)


def _meeting(session: Session, meeting_id: int) -> tuple[MeetingView, int | None]:
    """The meeting with its council, and its current item: one statement."""
    row = session.execute(_MEETING, {"meeting_id": meeting_id}).one_or_none()
    if row is None:
        raise NotFound("meeting-not-found")
    council = CouncilView(row.name, row.decision_rule)
    meeting = MeetingView(row.id, row.title, row.status, row.council_id, council, row.starts_at)
    return meeting, row.current_item_id


_LATEST_ROUND = (
    sa.select(
        VoteRound.id,
        VoteRound.status,
        VoteRound.mode,
        VoteRound.outcome,
        VoteRound.reason,
        VoteRound.is_confidential,
        VoteRound.snapshot,
        Motion.title,
        Motion.amends_id,
        Motion.requirement,
        Motion.agenda_item_id,
        Decision.identifier,
        *STORED,
        *LIVE,
    )
    .join(Motion, Motion.id == VoteRound.motion_id)
    .outerjoin(Decision, Decision.round_id == VoteRound.id)
    .outerjoin(Vote, Vote.round_id == VoteRound.id)
    .where(VoteRound.meeting_id == sa.bindparam("meeting_id"))
    .group_by(VoteRound.id, Motion.id, Decision.id)
    .order_by(VoteRound.opened_at.desc(), VoteRound.id.desc())
    .limit(1)
)


def projector_view(session: Session, meeting_id: int, *, sees_confidential: bool) -> ProjectorView:
    """The projector in three statements whatever the size of the meeting: the meeting, its
    items (numbers and confidentiality), and its latest round with motion, decision and tally
    (counted even where the screen may not show it, so the cost never depends on what it finds)."""
    meeting, current_item_id = _meeting(session, meeting_id)
    items = {
        i.id: i
        for i in session.execute(
            sa.select(
                AgendaItem.id,
                AgendaItem.parent_id,
                AgendaItem.position,
                AgendaItem.title,
                AgendaItem.is_confidential,
            ).where(AgendaItem.meeting_id == meeting_id)
        )
    }
    numbers = agenda_numbers([ItemPosition(i.id, i.parent_id, i.position) for i in items.values()])

    def hidden(item_id: int | None) -> bool:
        item = items.get(item_id) if item_id is not None else None
        if item is None or sees_confidential:
            return False
        parent = items.get(item.parent_id) if item.parent_id is not None else None
        return item.is_confidential or bool(parent and parent.is_confidential)

    current = items.get(current_item_id) if current_item_id is not None else None
    latest = session.execute(_LATEST_ROUND, {"meeting_id": meeting_id}).one_or_none()
    vote_round = round_hidden = None
    tally = decision = None
    if latest is not None:
        vote_round = RoundView(
            id=latest.id,
            status=latest.status,
            mode=latest.mode,
            outcome=latest.outcome,
            reason=latest.reason,
            entitled=len(latest.snapshot.entitled),
            motion=MotionView(
                latest.title, latest.amends_id, latest.requirement, latest.agenda_item_id
            ),
        )
        round_hidden = hidden(latest.agenda_item_id) or (
            latest.is_confidential and not sees_confidential
        )
        if not round_hidden:
            tally = tally_of(latest, latest[12:18], latest[18:24])
            if latest.identifier is not None and latest.status is RoundStatus.CLOSED:
                decision = DecisionView(latest.identifier)
    return ProjectorView(
        meeting=meeting,
        number=numbers.get(current.id) if current else None,
        item=ItemView(current.id, current.title) if current else None,
        item_hidden=hidden(current.id if current else None),
        vote_round=vote_round,
        round_hidden=bool(round_hidden),
        tally=tally,
        decision=decision,
    )


# ------------------------------------------------------------- the member's phone


@dataclass(frozen=True)
class VoterMotion:
    title: str
    text: str
    amends_title: str | None


@dataclass(frozen=True)
class VoterRound:
    """A round as the voting panel shows it; ``hidden`` when it is on a confidential item (or a
    sub-item of one) that the caller may not see: the panel then says only that there is one."""

    id: int
    mode: RoundMode
    outcome: Outcome | None
    motion: VoterMotion
    hidden: bool


@dataclass(frozen=True)
class VoterView:
    meeting: MeetingView
    vote_round: VoterRound | None  # the open round, if any
    last_closed: VoterRound | None  # the latest round, when it is closed
    is_member: bool
    choice: Choice | None  # the caller's vote in the open round
    entitled: bool  # the caller may vote in the open round now

    @property
    def hidden(self) -> bool:
        return self.vote_round is not None and self.vote_round.hidden


_Item = aliased(AgendaItem)
_Parent = aliased(AgendaItem)
_Amended = aliased(Motion)
_ME = sa.bindparam("membership_id")
_VOTER_ROUND = (
    sa.select(
        VoteRound.id,
        VoteRound.status,
        VoteRound.mode,
        VoteRound.outcome,
        VoteRound.snapshot,
        sa.or_(
            VoteRound.is_confidential,
            _Item.is_confidential,
            sa.func.coalesce(_Parent.is_confidential, sa.false()),
        ).label("confidential"),
        Motion.title,
        Motion.text,
        _Amended.title.label("amends_title"),
        sa.select(Vote.choice)
        .where(Vote.round_id == VoteRound.id, Vote.membership_id == _ME)
        .scalar_subquery()
        .label("choice"),
        sa.select(Attendance.presence)
        .where(Attendance.meeting_id == VoteRound.meeting_id, Attendance.membership_id == _ME)
        .scalar_subquery()
        .label("presence"),
    )
    .join(Motion, Motion.id == VoteRound.motion_id)
    .join(_Item, _Item.id == Motion.agenda_item_id)
    .outerjoin(_Parent, _Parent.id == _Item.parent_id)
    .outerjoin(_Amended, _Amended.id == Motion.amends_id)
    .where(VoteRound.meeting_id == sa.bindparam("meeting_id"))
    .order_by(VoteRound.opened_at.desc(), VoteRound.id.desc())
    .limit(1)
)
_VOTER_OPEN_ROUND = _VOTER_ROUND.where(VoteRound.status == RoundStatus.OPEN)


def may_vote_now(
    mode: RoundMode, snapshot: RoundSnapshot, membership_id: int, presence: str | None
) -> bool:
    """Whether a member may cast a vote in an open round now: a named round (the chair counts a
    show of hands), entitled when it opened (seated, present, not recused) and present still."""
    return (
        mode is RoundMode.NAMED
        and membership_id in snapshot.entitled
        and presence is not None
        and Presence(presence) is Presence.PRESENT
    )


def voter_view(session: Session, actor: Actor, meeting_id: int) -> VoterView:
    """The member's panel in three statements: the meeting, its open round with the caller's
    vote and presence, and its latest round. 404 for a draft the caller may not see."""
    meeting, _current = _meeting(session, meeting_id)
    council_id = meeting.council_id
    if meeting.status is MeetingStatus.DRAFT and not permissions.can_see_draft(actor, council_id):
        raise NotFound("meeting-not-found")
    seat = actor.seats.get(council_id)
    params = {"meeting_id": meeting_id, "membership_id": seat.membership_id if seat else None}
    sees_confidential = permissions.can_see_confidential(actor, council_id)

    def view(row: sa.Row[tuple[object, ...]]) -> VoterRound:
        motion = VoterMotion(row.title, row.text, row.amends_title)
        hidden = bool(row.confidential) and not sees_confidential
        return VoterRound(row.id, row.mode, row.outcome, motion, hidden)

    open_row = session.execute(_VOTER_OPEN_ROUND, params).one_or_none()
    last_row = session.execute(_VOTER_ROUND, params).one_or_none()
    entitled = (
        open_row is not None
        and seat is not None
        and may_vote_now(open_row.mode, open_row.snapshot, seat.membership_id, open_row.presence)
    )
    return VoterView(
        meeting=meeting,
        vote_round=view(open_row) if open_row is not None else None,
        last_closed=view(last_row)
        if last_row is not None and last_row.status is RoundStatus.CLOSED
        else None,
        is_member=seat is not None,
        choice=Choice(open_row.choice) if open_row is not None and open_row.choice else None,
        entitled=entitled,
    )
