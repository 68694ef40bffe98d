"""Motions and amendments: submit, co-sign, withdraw, ask a vote on a formality, reschedule."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.errors import Conflict, Forbidden, Invalid, NotFound
from wijkraad.meetings import permissions as meeting_permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions import permissions as motion_permissions
from wijkraad.motions import rules
from wijkraad.motions.models import Motion, MotionSigner
from wijkraad.motions.rules import MotionStatus, Requirement


def get_motion(session: Session, motion_id: int) -> Motion:
    motion = session.get(Motion, motion_id)
    if motion is None:
        raise NotFound("motion-not-found")
    return motion


def move_refusal(motion: Motion, target: MotionStatus) -> Conflict | None:
    """Why ``motion`` cannot move to ``target`` now (what ``move`` refuses with), or None.
    A drastic button's question asks it too, so that it never asks what cannot be done."""
    formality = motion.agenda_item.is_formality and not motion.vote_requested
    if rules.may_move(motion.status, target, formality=formality):
        return None
    return Conflict("motion-status", current=motion.status.value, target=target.value)


def move(session: Session, actor: Actor, motion: Motion, target: MotionStatus, **data: Any) -> None:
    """Moves ``motion`` to ``target`` as the table allows (``rules.may_move``), with an audit
    row ``motion.<target>`` carrying ``data``; any other move is refused (409 motion-status).
    Every change of a motion's status goes through here."""
    if (refusal := move_refusal(motion, target)) is not None:
        raise refusal
    before = motion.status
    motion.status = target
    audit.record(
        session,
        actor.user_id,
        f"motion.{target.value}",
        motion,
        council_id=motion.agenda_item.meeting.council_id,
        before=before.value,
        **data,
    )


def create_meeting(
    session: Session,
    actor: Actor,
    council: Council,
    *,
    title: str,
    starts_at: datetime,
    location: str,
    follow_up_of_id: int | None = None,
) -> Meeting:
    """A new meeting, as the pages and the API create one. A follow-up (art. 20) takes over its
    original's agenda: the motions still undecided there go to the item of the same number."""
    meeting = meetings.create_meeting(
        session,
        actor,
        council,
        title=title,
        starts_at=starts_at,
        location=location,
        follow_up_of_id=follow_up_of_id,
    )
    if meeting.follow_up_of is not None:
        copies = dict(meetings.ordered_items(meeting))
        for number, item in meetings.ordered_items(meeting.follow_up_of):
            for motion in session.scalars(
                sa.select(Motion).where(Motion.agenda_item_id == item.id)
            ):
                if motion.status not in rules.FINAL:
                    motion.agenda_item_id = copies[number].id
    return meeting


def submit_motion(
    session: Session,
    actor: Actor,
    item: AgendaItem,
    *,
    title: str,
    text: str,
    requirement: Requirement = Requirement.MAJORITY,
    amount_cents: int | None = None,
    budget_line_id: int | None = None,
    source_line_id: int | None = None,
    supplements_decision_id: int | None = None,
    amends_id: int | None = None,
    cosigner_ids: Iterable[int] = (),
    on: date,
    draft: bool = False,
) -> Motion:
    meeting = item.meeting
    council_id = meeting.council_id
    if not meeting_permissions.can_submit_motion(actor, council_id):
        raise Forbidden()
    if meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise Conflict("meeting-closed")
    if not title.strip():
        raise Invalid("field-required", field="title")
    if not text.strip():
        raise Invalid("field-required", field="text")
    if amount_cents is not None and amount_cents < 0:
        raise Invalid("amount-negative", field="amount_cents")
    if (amount_cents is None) != (budget_line_id is None) and amount_cents:
        raise Invalid("budget-line-required", field="budget_line_id")
    amends = None
    if amends_id is not None:
        amends = session.get(Motion, amends_id)
        # Someone else's draft is refused as if it did not exist: its existence is not public.
        if amends is None or amends.agenda_item_id != item.id or not may_see(actor, amends):
            raise Invalid("amends-unknown", field="amends_id")
        if (
            amends.amends_id is not None
            or amends.status in rules.FINAL
            or amends.status is MotionStatus.DRAFT
        ):
            raise Conflict("amends-not-open", field="amends_id")
    seat = actor.seats.get(council_id)
    motion = Motion(
        agenda_item=item,
        title=title.strip(),
        text=text.strip(),
        requirement=requirement,
        amount_cents=amount_cents,
        budget_line_id=budget_line_id,
        source_line_id=source_line_id,
        supplements_decision_id=supplements_decision_id,
        amends=amends,
        submitted_by_id=seat.membership_id if seat else None,
        status=MotionStatus.DRAFT if draft else MotionStatus.SUBMITTED,
    )
    session.add(motion)
    session.flush()
    seated = {m.id for m in meeting.council.current_memberships(on)}
    for membership_id in set(cosigner_ids):
        if membership_id not in seated:
            raise Invalid("not-seated", field="cosigners", ids=str(membership_id))
        session.add(MotionSigner(motion=motion, membership_id=membership_id))
    audit.record(
        session,
        actor.user_id,
        "motion.submit",
        motion,
        council_id=council_id,
        item_id=item.id,
        title=motion.title,
        amends_id=amends_id,
        amount_cents=amount_cents,
        source_line_id=source_line_id,
        supplements_decision_id=supplements_decision_id,
    )
    return motion


def may_see(actor: Actor, motion: Motion) -> bool:
    """Drafts only for their authors and those who prepare meetings; the rest is public
    (within what the meeting and item allow)."""
    if motion.status is not MotionStatus.DRAFT:
        return True
    return motion_permissions.can_see_draft_motion(
        actor,
        motion.agenda_item.meeting.council_id,
        motion.submitted_by_id,
        {s.membership_id for s in motion.signers},
    )


def submit_draft(session: Session, actor: Actor, motion: Motion) -> None:
    """A draft becomes a submitted motion: from now on it is public and can be voted on."""
    council_id = motion.agenda_item.meeting.council_id
    if not motion_permissions.can_submit_draft(actor, council_id, motion.submitted_by_id):
        raise Forbidden()
    if motion.agenda_item.meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise Conflict("meeting-closed")
    move(session, actor, motion, MotionStatus.SUBMITTED)


def withdraw(session: Session, actor: Actor, motion: Motion) -> None:
    council_id = motion.agenda_item.meeting.council_id
    seat = actor.seats.get(council_id)
    is_submitter = seat is not None and seat.membership_id == motion.submitted_by_id
    if not (is_submitter or meeting_permissions.can_chair(actor, council_id)):
        raise Forbidden()
    move(session, actor, motion, MotionStatus.WITHDRAWN)


def request_vote(session: Session, actor: Actor, motion: Motion) -> None:
    """A member asks for a vote on a formality (hamerstuk), which then cannot pass unvoted."""
    council_id = motion.agenda_item.meeting.council_id
    if not actor.is_member_of(council_id):
        raise Forbidden()
    if not motion.vote_requested:
        motion.vote_requested = True
        audit.record(session, actor.user_id, "motion.vote_requested", motion, council_id=council_id)


def reschedule(session: Session, actor: Actor, motion: Motion, item: AgendaItem) -> None:
    """Puts a postponed motion on a later meeting's agenda item."""
    council_id = motion.agenda_item.meeting.council_id
    if not meeting_permissions.can_manage_meeting(actor, council_id):
        raise Forbidden()
    if item.meeting.council_id != council_id:
        raise Invalid("agenda-item-not-found", field="agenda_item_id")
    if item.meeting.starts_at <= motion.agenda_item.meeting.starts_at:
        raise Invalid("not-a-later-meeting", field="agenda_item_id")
    if item.meeting.status in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED):
        raise Conflict("meeting-closed")
    from_item_id = motion.agenda_item_id
    move(session, actor, motion, MotionStatus.SCHEDULED)
    motion.agenda_item = item
    moved = [motion]
    for amendment in motion.amendments:  # undecided amendments go along with their motion
        if amendment.status not in rules.FINAL:
            amendment.agenda_item = item
            moved.append(amendment)
    for each in moved:
        audit.record(
            session,
            actor.user_id,
            "motion.reschedule",
            each,
            council_id=council_id,
            from_item_id=from_item_id,
            item_id=item.id,
            meeting_id=item.meeting_id,
            with_motion_id=None if each is motion else motion.id,
        )
