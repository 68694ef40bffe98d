"""The council's feeds, made from what the public may see: an iCalendar of its meetings
(RFC 5545) and the facts of an Atom feed of its decisions (RFC 4287; its XML is the template
``publishing/decisions.atom.xml``).

Both come out the same for the same record: every id and time is the record's own (a meeting's
UID its id, its stamp its last public change), never the moment of the request, so a client that
has the feed gets 304 and a calendar does not see every meeting change at each refresh. Times
are Dutch time (Europe/Amsterdam), with the time zone's definition in the calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from wijkraad.clock import AMSTERDAM
from wijkraad.publishing.queries import DecisionView
from wijkraad.publishing.site import PublicMeeting

ICS = "text/calendar"
ATOM = "application/atom+xml"
PRODID = "-//wijkraad//Vergaderingen van de wijkraad//NL"
# A meeting has a start but no recorded end; calendars show it as a block of this length.
MEETING_LENGTH = timedelta(hours=2)
REFRESH = timedelta(hours=6)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def meeting_uid(meeting_id: int, host: str) -> str:
    return f"vergadering-{meeting_id}@{host}"


def calendar(
    *,
    name: str,
    description: str,
    slug: str,
    host: str,
    url: str,
    meetings: Sequence[PublicMeeting],
    meeting_url: Callable[[int], str],
    numbered: Callable[[int, str], str] = lambda n, title: f"{n}. {title}",
) -> bytes:
    """The meetings as an iCalendar: one event each, cancelled ones marked so."""
    cal = icalendar.Calendar.new(
        name=name,
        description=description,
        prodid=PRODID,
        uid=f"wijkraad-{slug}-vergaderingen@{host}",
        url=url,
        refresh_interval=REFRESH,
    )
    for m in meetings:
        start = m.starts_at.astimezone(AMSTERDAM)
        lines = [numbered(n, title) for n, title in enumerate(m.agenda, 1)]
        page = meeting_url(m.id)
        event = icalendar.Event.new(
            uid=meeting_uid(m.id, host),
            summary=f"{name}: {m.title}",
            start=start,
            end=start + MEETING_LENGTH,
            location=m.location,
            stamp=m.changed_at.astimezone(UTC),
            last_modified=m.changed_at.astimezone(UTC),
            description="\n".join([*lines, "", page] if lines else [page]),
            url=page,
            status="CANCELLED" if m.is_cancelled else "CONFIRMED",
        )
        cal.add_component(event)
    if meetings:
        days = [m.starts_at.astimezone(AMSTERDAM).date() for m in meetings]
        cal.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1)
        )
    return cal.to_ical()


@dataclass(frozen=True)
class AtomEntry:
    id: str  # the decision's page: its permanent address
    url: str
    title: str
    summary: str
    updated: datetime  # Dutch time
    published: datetime
    outcome: str


def atom_time(value: datetime | None) -> datetime:
    return (value or EPOCH).astimezone(AMSTERDAM).replace(microsecond=0)


def atom_entries(
    decisions: Sequence[DecisionView],
    *,
    url_of: Callable[[str], str],
    summary_of: Callable[[DecisionView], str],
) -> list[AtomEntry]:
    """The decisions as the feed's entries, newest first; a decision is updated when taken."""
    return [
        AtomEntry(
            id=url_of(d.identifier),
            url=url_of(d.identifier),
            title=f"{d.identifier}: {d.title}",
            summary=summary_of(d),
            updated=atom_time(d.recorded_at),
            published=atom_time(d.recorded_at),
            outcome=d.outcome.value,
        )
        for d in decisions
    ]


def feed_updated(entries: Sequence[AtomEntry], otherwise: datetime | None) -> datetime:
    """The feed's last change: its newest entry's, or (no entries yet) ``otherwise``."""
    return max((e.updated for e in entries), default=atom_time(otherwise))
