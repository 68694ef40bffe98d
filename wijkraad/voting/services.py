"""Vote rounds: open one (when the rules allow), enter a show of hands, and close a meeting
once no round is open in it.

Entitlement is fixed when a round opens (snapshot of seated, present and recused members).
Votes are cast in ``voting.casting``; rounds are closed and decided in ``voting.decisions``.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.budget import rules as budget_rules
from wijkraad.budget import services as budget
from wijkraad.budget import transfers
from wijkraad.councils.rules import Seat
from wijkraad.errors import Conflict, Forbidden, Invalid, NotFound
from wijkraad.meetings import attendance
from wijkraad.meetings import permissions as meeting_permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions import rules as motion_rules
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus
from wijkraad.voting import rules
from wijkraad.voting.locks import lock_round
from wijkraad.voting.models import VoteRound
from wijkraad.voting.rules import RoundMode, RoundStatus, Tally
from wijkraad.voting.snapshot import RoundSnapshot, SeatedMember


def get_round(session: Session, round_id: int) -> VoteRound:
    vote_round = session.get(VoteRound, round_id)
    if vote_round is None:
        raise NotFound("round-not-found")
    return vote_round


def snapshot(session: Session, motion: Motion, on: date) -> RoundSnapshot:
    """Who is seated, present, recused and entitled to vote on ``motion`` now."""
    item = motion.agenda_item
    state = attendance.presences(session, item.meeting, on)
    return RoundSnapshot.taken(
        (SeatedMember(m.id, m.seat, m.person.name) for m in state.seated),
        present=state.present,
        absent_with_notice=state.absent_with_notice,
        recused=meetings.recused_ids(item),
    )


def context(
    motion: Motion, snap: RoundSnapshot, *, round_open: bool, line_remaining_cents: int | None
) -> rules.RoundContext:
    meeting = motion.agenda_item.meeting
    seated = [m.id for m in snap.seated]
    return rules.RoundContext(
        rule=meeting.council.decision_rule,
        meeting_open=meeting.status is MeetingStatus.OPEN,
        is_follow_up=meeting.is_follow_up,
        seated_residents=snap.count(seated, Seat.RESIDENT),
        seated_councillors=snap.count(seated, Seat.COUNCILLOR),
        present_residents=snap.count(snap.present, Seat.RESIDENT),
        present_councillors=snap.count(snap.present, Seat.COUNCILLOR),
        entitled_present_residents=snap.count(snap.entitled, Seat.RESIDENT),
        entitled_present_councillors=snap.count(snap.entitled, Seat.COUNCILLOR),
        round_already_open=round_open,
        amount_cents=motion.amount_cents,
        line_remaining_cents=line_remaining_cents,
    )


def _open_round_id(session: Session, motion: Motion) -> int | None:
    return session.scalar(
        sa.select(VoteRound.id).where(
            VoteRound.motion_id == motion.id, VoteRound.status == RoundStatus.OPEN
        )
    )


def blockers(
    session: Session, motion: Motion, on: date, line_remaining_cents: int | None = None
) -> list[str]:
    """Why no round can open on ``motion`` now (empty: it can). For the chair's screen too."""
    snap = snapshot(session, motion, on)
    ctx = context(
        motion,
        snap,
        round_open=_open_round_id(session, motion) is not None,
        line_remaining_cents=line_remaining_cents,
    )
    found = rules.round_blockers(ctx)
    if not motion_rules.votable(motion.status) and "round-already-open" not in found:
        found.append("motion-not-votable")
    if motion_rules.open_amendments_block([a.status for a in motion.amendments]):
        found.append("amendments-first")
    return found


def open_round(
    session: Session,
    actor: Actor,
    motion: Motion,
    *,
    mode: RoundMode,
    now: datetime,
    on: date,
    line_remaining_cents: int | None = None,
) -> VoteRound:
    meeting = motion.agenda_item.meeting
    if not meeting_permissions.can_chair(actor, meeting.council_id):
        raise Forbidden()
    # Serialised with the meeting's own moves: a meeting closing at this moment either sees
    # this round (and stays open) or closes first (and this round is refused).
    meetings.lock(session, meeting)
    session.refresh(motion)
    # The line the amount is taken from: a transfer's source line, else its budget line.
    money_line = transfers.money_line_id(motion)
    if line_remaining_cents is None and money_line is not None:
        line_remaining_cents = budget.remaining(session, money_line)
    found = blockers(session, motion, on, line_remaining_cents)
    if motion.supplements_decision_id is not None and not transfers.top_up_open(
        session, motion.supplements_decision_id
    ):
        found.append("top-up-closed")
    if found:
        extra = {}
        if "budget-exceeded" in found:
            extra = {
                "remaining": budget_rules.dutch_euros(line_remaining_cents or 0),
                "extensions": {"remaining_cents": line_remaining_cents, "line_id": money_line},
            }
        raise Conflict(found[0], problems=", ".join(found), **extra)
    before = motion.status
    motions.move(session, actor, motion, MotionStatus.VOTING)
    snap = snapshot(session, motion, on)
    vote_round = VoteRound(
        motion=motion,
        meeting_id=meeting.id,
        council_id=meeting.council_id,
        is_confidential=motion.agenda_item.is_confidential,
        mode=mode,
        status=RoundStatus.OPEN,
        opened_at=now,
        opened_by_id=actor.user_id,
        entitled=list(snap.entitled),
        snapshot=snap,
    )
    try:
        with session.begin_nested():
            session.add(vote_round)
    except IntegrityError:
        # Another worker opened one at the same moment: the unique index decided.
        raise Conflict("round-already-open") from None
    meeting.current_item_id = motion.agenda_item_id
    audit.record(
        session,
        actor.user_id,
        "round.open",
        vote_round,
        council_id=meeting.council_id,
        motion_id=motion.id,
        mode=mode.value,
        before=before.value,
        entitled=vote_round.entitled,
    )
    return vote_round


def close_meeting(session: Session, actor: Actor, meeting: Meeting, now: datetime) -> None:
    """Closes the meeting once no vote round is open in it. Under the meeting's lock, as
    ``open_round``: a round opening at this moment is either seen here or refused, so a round
    never stays open in a closed meeting."""
    if not meeting_permissions.can_chair(actor, meeting.council_id):
        raise Forbidden()
    meetings.lock(session, meeting)
    if (refusal := close_meeting_refusal(session, meeting)) is not None:
        raise refusal
    meetings.move(session, actor, meeting, MeetingStatus.CLOSED, now)


def close_meeting_refusal(session: Session, meeting: Meeting) -> Conflict | None:
    """Why ``meeting`` cannot be closed now (what ``close_meeting`` refuses with), or None: a
    vote round still open in it, or a meeting that is not open."""
    open_round = session.scalar(
        sa.select(VoteRound.id).where(
            VoteRound.meeting_id == meeting.id, VoteRound.status == RoundStatus.OPEN
        )
    )
    if open_round is not None:
        return Conflict("round-still-open")
    return meetings.move_refusal(meeting, MeetingStatus.CLOSED)


def set_counts(session: Session, actor: Actor, vote_round: VoteRound, tally: Tally) -> None:
    """The chair enters a show of hands per group (3.9)."""
    council_id = vote_round.motion.agenda_item.meeting.council_id
    if not meeting_permissions.can_chair(actor, council_id):
        raise Forbidden()
    lock_round(session, vote_round)
    if vote_round.status is not RoundStatus.OPEN:
        raise Conflict("round-closed")
    if vote_round.mode is not RoundMode.ANALOG:
        raise Conflict("round-is-named")
    for group, seat in (("residents", Seat.RESIDENT), ("councillors", Seat.COUNCILLOR)):
        entitled = vote_round.snapshot.count(vote_round.entitled, seat)
        if getattr(tally, group).cast > entitled:
            raise Invalid("counts-exceed-entitled", field=group, entitled=entitled)
    vote_round.store_tally(tally)
    audit.record(
        session,
        actor.user_id,
        "round.counts",
        vote_round,
        council_id=council_id,
        **tally.as_dict(),
    )
