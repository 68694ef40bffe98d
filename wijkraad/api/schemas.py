"""Request and response shapes of the API; they also make the OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Seat = Literal["resident", "councillor"]
Role = Literal["chair", "secretary", "member"]
Rule = Literal["cooperative", "simple"]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TokenRequest(In):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1000)
    label: str = Field(default="", max_length=100)


class TokenResponse(BaseModel):
    token: str


class CouncilCreate(In):
    slug: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: str = Field(min_length=1, max_length=200)
    municipality: str = Field(min_length=1, max_length=200)
    resident_seats: int
    councillor_seats: int
    decision_rule: Rule = "cooperative"
    description: str = Field(default="", max_length=5000)
    publishes_resident_names: bool = True


class CouncilUpdate(In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    municipality: str | None = Field(default=None, min_length=1, max_length=200)
    resident_seats: int | None = None
    councillor_seats: int | None = None
    decision_rule: Rule | None = None
    description: str | None = Field(default=None, max_length=5000)
    publishes_resident_names: bool | None = None


class Council(BaseModel):
    slug: str
    name: str
    municipality: str
    resident_seats: int
    councillor_seats: int
    decision_rule: Rule
    description: str
    publishes_resident_names: bool


class Member(BaseModel):
    id: int
    name: str | None = Field(description="null where the council keeps residents' names private")
    seat: Seat
    role: Role
    starts_on: date
    ends_on: date | None


class Vacancies(BaseModel):
    resident: int
    councillor: int


class CouncilDetail(Council):
    members: list[Member]
    vacancies: Vacancies


class MemberCreate(In):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)
    seat: Seat
    role: Role = "member"
    starts_on: date | None = None
    ends_on: date | None = None


class MemberEnd(In):
    ends_on: date | None = None


class SeatOut(BaseModel):
    council: str
    seat: Seat
    role: Role


class Me(BaseModel):
    id: int
    name: str
    email: str
    is_admin: bool
    language: str
    seats: list[SeatOut]


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict[str, str]] | None = None
