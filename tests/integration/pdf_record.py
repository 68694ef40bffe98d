"""Helpers for the tests of the public record's PDFs: a meeting of ``tests.record_world``
closed (and its minutes approved), and a PDF's text, metadata and attachments read back."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pikepdf
import pypdf
import sqlalchemy as sa

from tests.record_world import Record, actor_of
from wijkraad import clock
from wijkraad.councils.models import Membership
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting
from wijkraad.minutes import services as minutes_services
from wijkraad.minutes.models import Minutes
from wijkraad.motions.models import Motion
from wijkraad.voting import services as voting
from wijkraad.voting.models import Decision

AMOUNT_CENTS = 125_000  # € 1.250,00 on the first public decision's motion


def who(record: Record, first_name: str) -> Any:
    name = next(n for n in record.members if n.startswith(first_name))
    return actor_of(db.session.get(Membership, record.members[name]))


def start_minutes(record: Record) -> int:
    """The secretary's minutes of the (open) meeting, with a remark: approvable later."""
    meeting = db.session.get(Meeting, record.meeting_id)
    minutes = minutes_services.start(db.session, who(record, "Bram"), meeting, clock.now())
    minutes_services.save(
        db.session,
        who(record, "Bram"),
        minutes,
        based_on=0,
        remarks="De vergadering verliep rustig.",
        notes={},
        now=clock.now(),
    )
    db.session.commit()
    return minutes.id


def give_amount(record: Record) -> None:
    """The first public decision's motion names an amount (no budget line exists yet)."""
    decision = db.session.get(Decision, record.public[0])
    db.session.execute(
        sa.update(Motion).where(Motion.id == decision.motion_id).values(amount_cents=AMOUNT_CENTS)
    )
    db.session.commit()


def close(record: Record) -> None:
    meeting = db.session.get(Meeting, record.meeting_id)
    voting.close_meeting(db.session, who(record, "Anna"), meeting, clock.now())
    db.session.commit()


def approve(record: Record, minutes_id: int) -> None:
    """Approves the minutes at a later meeting, opened for it."""
    anna = who(record, "Anna")
    meeting = db.session.get(Meeting, record.meeting_id)
    later = meetings.create_meeting(
        db.session,
        anna,
        meeting.council,
        title="Volgende vergadering",
        starts_at=meeting.starts_at + timedelta(days=28),
        location="Buurthuis",
    )
    meetings.publish(db.session, anna, later, clock.now())
    attendance.set_attendance(
        db.session,
        anna,
        later,
        present=set(record.members.values()),
        absent_with_notice=set(),
        now=clock.now(),
        on=clock.today(),
    )
    meetings.open_meeting(db.session, anna, later, clock.now(), clock.today())
    minutes = db.session.get(Minutes, minutes_id)
    minutes_services.approve(db.session, anna, minutes, at_meeting=later, on=clock.today())
    db.session.commit()


def pages_text(content: bytes) -> list[str]:
    """Each page's text, with non-breaking spaces as spaces."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [(page.extract_text() or "").replace("\xa0", " ") for page in reader.pages]


def text_of(content: bytes) -> str:
    return "\n".join(pages_text(content))


def attachments(content: bytes) -> dict[str, bytes]:
    with pikepdf.open(io.BytesIO(content)) as document:
        return {name: spec.get_file().read_bytes() for name, spec in document.attachments.items()}


def attached_json(content: bytes) -> tuple[str, Any]:
    files = attachments(content)
    assert len(files) == 1, files.keys()
    name, data = next(iter(files.items()))
    return name, json.loads(data)


def structure_types(document: pikepdf.Pdf) -> set[str]:
    """The structure element types (H1, Table, P, ...) in the PDF's tag tree."""
    found: set[str] = set()
    stack = [document.Root.StructTreeRoot]
    seen = 0
    while stack and seen < 100_000:
        seen += 1
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if "/S" in node:
            found.add(str(node.S).lstrip("/"))
        if "/K" in node:
            stack.append(node.K)
    return found
