"""The API's models of the public record: a meeting's minutes with who attended."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from wijkraad.api.schemas import CountsOut, DecisionRef, Groups, Role, Seat


class Attendee(BaseModel):
    id: int
    name: str | None = Field(description="null for a resident whose name is not published")
    seat: Seat
    role: Role


class Attendance(BaseModel):
    present: list[Attendee]
    absent_with_notice: list[Attendee]
    absent: list[Attendee]


class MinutesMotion(BaseModel):
    id: int
    title: str
    status: str
    outcome: Literal["adopted", "rejected", "postponed", "invalid"] | None
    counts: CountsOut | None
    groups: Groups | None
    decision: DecisionRef | None


class MinutesItem(BaseModel):
    id: int
    number: str
    title: str
    parent_id: int | None
    is_formality: bool
    notes: str
    motions: list[MinutesMotion]


class MinutesOut(BaseModel):
    """A meeting's minutes: drafted from what is known (attendance, agenda, outcomes,
    decisions) with the secretary's notes; drafts only for the council's members."""

    meeting_id: int
    status: Literal["draft", "approved"]
    approved_on: date | None
    approved_at_meeting_id: int | None
    revision: int
    remarks: str
    attendance: Attendance
    items: list[MinutesItem]
