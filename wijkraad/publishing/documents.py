"""The public record's documents as view models: a meeting's decision list (besluitenlijst),
a council's decisions of a year, a meeting's agenda. Built from the record's own reads
(``publishing.queries`` for decisions, ``minutes.queries`` for the agenda and the attendance
register), always as the public sees them: these are public documents, one for everyone, so a
confidential item, its sub-items and their decisions are in none of them, and residents' names
only where the council publishes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from wijkraad.auth.actor import ANONYMOUS, Actor
from wijkraad.budget import queries as budget_queries
from wijkraad.budget.queries import LineAfter
from wijkraad.councils import services as councils
from wijkraad.documents import queries as document_queries
from wijkraad.errors import Conflict, NotFound
from wijkraad.meetings.rules import MeetingStatus, Presence
from wijkraad.minutes import queries as minutes_queries
from wijkraad.minutes.queries import AttendeeView, MeetingRecordView
from wijkraad.minutes.rules import MinutesStatus
from wijkraad.publishing import queries
from wijkraad.publishing.queries import DecisionFilters, DecisionView

# More decisions than any council takes in a year; the annual list reads them in one page.
ANNUAL_MAX = 5000


@dataclass(frozen=True)
class ListedDecision:
    decision: DecisionView
    # The decision's budget line, and what remained on it after this decision (commitments
    # taken before it as they stand now). None: a decision without money.
    budget_line_name: str | None = None
    remaining_cents: int | None = None


@dataclass(frozen=True)
class ListedItem:
    number: str
    title: str
    is_formality: bool
    decisions: tuple[ListedDecision, ...]

    @property
    def depth(self) -> int:
        return self.number.count(".")


@dataclass(frozen=True)
class DecisionList:
    """A meeting's decision list: until its minutes are approved, a draft (concept)."""

    council_name: str
    council_slug: str
    council_code: str
    meeting_id: int
    meeting_title: str
    starts_at: datetime
    meeting_date: date
    location: str
    is_draft: bool
    approved_on: date | None
    chair: AttendeeView | None
    secretary: AttendeeView | None
    present: tuple[AttendeeView, ...]
    absent_with_notice: tuple[AttendeeView, ...]
    absent: tuple[AttendeeView, ...]
    items: tuple[ListedItem, ...]

    @property
    def decisions(self) -> tuple[ListedDecision, ...]:
        return tuple(d for item in self.items for d in item.decisions)

    @property
    def prefix(self) -> str:
        """The start of the file names: ``OST-2026-vergadering-12``."""
        return f"{_code(self.council_code, self.council_slug)}-{self.meeting_date.year}-vergadering-{self.meeting_id}"


@dataclass(frozen=True)
class MeetingDecisions:
    meeting_id: int
    meeting_title: str
    starts_at: datetime
    decisions: tuple[ListedDecision, ...]


@dataclass(frozen=True)
class AnnualList:
    council_name: str
    council_slug: str
    council_code: str
    year: int
    meetings: tuple[MeetingDecisions, ...]

    @property
    def decisions(self) -> tuple[ListedDecision, ...]:
        return tuple(d for m in self.meetings for d in m.decisions)

    @property
    def prefix(self) -> str:
        return f"{_code(self.council_code, self.council_slug)}-{self.year}"


@dataclass(frozen=True)
class AgendaEntry:
    number: str
    title: str
    description: str
    is_formality: bool
    motions: tuple[str, ...]  # the titles of the motions submitted on it
    documents: tuple[str, ...] = ()  # the titles of the documents attached to it

    @property
    def depth(self) -> int:
        return self.number.count(".")


@dataclass(frozen=True)
class Agenda:
    council_name: str
    council_slug: str
    council_code: str
    meeting_id: int
    meeting_title: str
    starts_at: datetime
    meeting_date: date
    location: str
    status: MeetingStatus
    items: tuple[AgendaEntry, ...]

    @property
    def is_draft(self) -> bool:
        return self.status is MeetingStatus.DRAFT

    @property
    def prefix(self) -> str:
        return f"{_code(self.council_code, self.council_slug)}-{self.meeting_date.year}-vergadering-{self.meeting_id}"


def _code(code: str, slug: str) -> str:
    return code or slug.upper()


def _money(session: Session, decisions: Iterable[DecisionView]) -> dict[int, LineAfter]:
    """Per decision with money: its line and what remained on it (two statements)."""
    return budget_queries.remaining_after(session, [d.id for d in decisions])


def _listed(
    decisions: Iterable[DecisionView], money: dict[int, LineAfter]
) -> tuple[ListedDecision, ...]:
    def listed(d: DecisionView) -> ListedDecision:
        after = money.get(d.id)
        if after is None:
            return ListedDecision(d)
        return ListedDecision(d, f"{after.code} {after.name}", after.remaining_after_cents)

    return tuple(listed(d) for d in decisions)


def decision_list(session: Session, actor: Actor, meeting_id: int) -> DecisionList:
    """The meeting's decision list: NotFound for a meeting ``actor`` may not see, Conflict
    (409 meeting-not-closed) before the meeting is closed. The same list for everyone."""
    try:
        record = minutes_queries.meeting_record_view(session, ANONYMOUS, meeting_id)
    except NotFound:
        # A draft meeting: not closed, which those who prepare it may know; hidden from others.
        minutes_queries.meeting_record_view(session, actor, meeting_id)
        raise Conflict("meeting-not-closed") from None
    if record.meeting.status != MeetingStatus.CLOSED.value:
        raise Conflict("meeting-not-closed")
    decisions = queries.decisions_of_meeting(session, ANONYMOUS, meeting_id)
    return _decision_list(record, decisions, _money(session, decisions))


def _decision_list(
    record: MeetingRecordView,
    decisions: tuple[DecisionView, ...],
    money: dict[int, LineAfter],
) -> DecisionList:
    by_item: dict[int, list[DecisionView]] = {}
    for decision in decisions:
        by_item.setdefault(decision.agenda_item_id, []).append(decision)
    items = [
        ListedItem(
            item.number, item.title, item.is_formality, _listed(by_item.pop(item.id, []), money)
        )
        for item in record.meeting.agenda
    ]
    # A decision on an item no longer on this agenda (its motion moved on) is not left out.
    rest = [d for ds in by_item.values() for d in ds]
    if rest:
        items.append(ListedItem("", "", False, _listed(rest, money)))
    meeting = record.meeting
    return DecisionList(
        council_name=record.council_name,
        council_slug=record.council_slug,
        council_code=record.council_code,
        meeting_id=meeting.id,
        meeting_title=meeting.title,
        starts_at=meeting.starts_at,
        meeting_date=record.meeting_date,
        location=meeting.location,
        is_draft=record.minutes_status is not MinutesStatus.APPROVED,
        approved_on=record.minutes_approved_on,
        chair=record.chair,
        secretary=record.secretary,
        present=record.with_presence(Presence.PRESENT),
        absent_with_notice=record.with_presence(Presence.ABSENT_WITH_NOTICE),
        absent=record.with_presence(Presence.ABSENT),
        items=tuple(items),
    )


def annual_list(session: Session, slug: str, year: int) -> AnnualList:
    """The council's public decisions of ``year``, grouped by meeting in the order they were
    taken; NotFound for a council or a year without any."""
    council = councils.get_council(session, slug)
    if year not in queries.decision_years(session, ANONYMOUS, council.id):
        raise NotFound("decisions-not-found")
    page = queries.decisions_of(
        session, ANONYMOUS, council.id, DecisionFilters(year=year), per_page=ANNUAL_MAX
    )
    ordered = sorted(page.decisions, key=lambda d: (d.meeting_starts_at, d.meeting_id, d.id))
    money = _money(session, ordered)
    meetings: dict[int, list[DecisionView]] = {}
    for decision in ordered:
        meetings.setdefault(decision.meeting_id, []).append(decision)
    return AnnualList(
        council_name=council.name,
        council_slug=council.slug,
        council_code=council.code,
        year=year,
        meetings=tuple(
            MeetingDecisions(
                ds[0].meeting_id, ds[0].meeting_title, ds[0].meeting_starts_at, _listed(ds, money)
            )
            for ds in meetings.values()
        ),
    )


def agenda(session: Session, actor: Actor, meeting_id: int) -> Agenda:
    """The meeting's agenda as published: NotFound for a meeting ``actor`` may not see (a
    draft, for whoever does not prepare it). Confidential items and draft motions are left out."""
    record = minutes_queries.meeting_record_view(session, actor, meeting_id)
    meeting = record.meeting
    confidential = {i.id for i in meeting.agenda if i.is_confidential}
    shown = [
        item
        for item in meeting.agenda
        if item.id not in confidential and item.parent_id not in confidential
    ]
    attached = document_queries.listing(session, [item.id for item in shown])
    entries = tuple(
        AgendaEntry(
            number=item.number,
            title=item.title,
            description=item.description,
            is_formality=item.is_formality,
            motions=tuple(m.title for m in item.motions if m.status != "draft"),
            documents=tuple(d.title for d in attached.of_item(item.id)),
        )
        for item in shown
    )
    return Agenda(
        council_name=record.council_name,
        council_slug=record.council_slug,
        council_code=record.council_code,
        meeting_id=meeting.id,
        meeting_title=meeting.title,
        starts_at=meeting.starts_at,
        meeting_date=record.meeting_date,
        location=meeting.location,
        status=MeetingStatus(meeting.status),
        items=entries,
    )
