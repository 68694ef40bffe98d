"""Request and response shapes of the API; they also make the OpenAPI document."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, field_validator
from pydantic_core import PydanticCustomError

from wijkraad import clock, dates
from wijkraad.security import is_storable

# Ids and amounts fit the database's integer columns; larger numbers are invalid input.
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Cents = Annotated[int, Field(ge=0, le=2**31 - 1)]
Count = Annotated[int, Field(ge=0, le=10_000)]
Seat = Literal["resident", "councillor"]
Role = Literal["chair", "secretary", "member"]
Rule = Literal["cooperative", "simple"]

DATE_OUT_OF_RANGE = "date_out_of_range"
When = TypeVar("When", date, datetime)


def _within_window(value: When) -> When:
    window = dates.window(clock.today())
    if not window.contains(value):
        raise PydanticCustomError(
            DATE_OUT_OF_RANGE,
            "must lie between {earliest} and {latest}",
            {"earliest": window.earliest.isoformat(), "latest": window.latest.isoformat()},
        )
    return value


WINDOW = f"from {dates.EARLIEST.isoformat()} up to {dates.YEARS_AHEAD} years from today"
# Dates and moments people enter: within a sane window around today.
Day = Annotated[date, AfterValidator(_within_window), Field(description=f"a date {WINDOW}")]
Moment = Annotated[
    datetime,
    AfterValidator(_within_window),
    Field(description=f"ISO 8601 with offset, {WINDOW}"),
]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*")
    @classmethod
    def _storable_text(cls, value: object) -> object:
        if isinstance(value, str) and not is_storable(value):
            raise ValueError("text may not contain NUL characters or lone surrogates")
        return value


PER_PAGE = 50
MAX_PER_PAGE = 200


class PageQuery(BaseModel):
    """Which page of a list. The answer is the page's items as a JSON array; the header
    `X-Total-Count` has the number of items in all, and `Link` the first, previous, next and
    last pages (RFC 8288)."""

    # Query parameters are text: "2" is a number here, unlike in a JSON body.
    model_config = ConfigDict(extra="ignore")

    page: int = Field(default=1, ge=1, le=2**31 - 1, description="the page, counted from 1")
    per_page: int = Field(
        default=PER_PAGE, ge=1, le=MAX_PER_PAGE, description="how many items a page has"
    )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


class Document(RootModel[dict[str, Any]]):
    """An OpenAPI 3.1 document."""


class Export(RootModel[dict[str, Any]]):
    """An open-data export of a council's public record (Popolo or ODS)."""


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
    resident_seats: Count
    councillor_seats: Count
    decision_rule: Rule = "cooperative"
    description: str = Field(default="", max_length=5000)
    publishes_resident_names: bool = True
    code: str = Field(
        default="",
        pattern=r"^([A-Z][A-Z0-9]{1,7})?$",
        description="prefix of decision identifiers; derived from the slug when empty",
    )


class CouncilUpdate(In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    municipality: str | None = Field(default=None, min_length=1, max_length=200)
    resident_seats: Count | None = None
    councillor_seats: Count | None = None
    decision_rule: Rule | None = None
    description: str | None = Field(default=None, max_length=5000)
    publishes_resident_names: bool | None = None
    code: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9]{1,7}$")


class Council(BaseModel):
    slug: str
    name: str
    municipality: str
    resident_seats: int
    councillor_seats: int
    decision_rule: Rule
    description: str
    publishes_resident_names: bool
    code: str


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


MembershipStatus = Literal["invited", "accepted", "declined", "withdrawn"]


class Appointment(Member):
    """A new member, seated from ``starts_on``, with the link for them to confirm the seat. The
    same fields and shapes whether or not the address had an account."""

    invitation_url: str = Field(description="the link to hand to the invitee")
    invitation_expires_at: datetime


class InvitationOut(BaseModel):
    member_id: int
    name: str = Field(description="the name the appointer typed")
    email: str = Field(description="the invited address; never public")
    seat: Seat
    role: Role
    starts_on: date
    ends_on: date | None
    status: MembershipStatus
    expires_at: datetime
    invitation_url: str | None = Field(description="null once the link has expired or is used")


class SeatInvitationOut(BaseModel):
    council: str
    council_name: str
    name: str
    email: str
    seat: Seat
    role: Role
    starts_on: date
    ends_on: date | None
    status: MembershipStatus
    is_open: bool
    expires_at: datetime


class MemberCreate(In):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254)
    seat: Seat
    role: Role = "member"
    starts_on: Day | None = None
    ends_on: Day | None = None


class MemberEnd(In):
    ends_on: Day | None = None


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


class FieldProblem(BaseModel):
    field: str = Field(description="the field, nested ones joined with dots (agenda.0.title)")
    code: str
    detail: str
    reason: str | None = None


class Problem(BaseModel):
    """An error (RFC 9457, application/problem+json) with a stable machine `code`; a 422
    names the fields in `errors`."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldProblem] | None = None
    remaining_cents: int | None = Field(
        default=None, description="budget-exceeded: what remains on the budget line, in cents"
    )


# Meetings and voting


class MeetingCreate(In):
    title: str = Field(min_length=1, max_length=200)
    starts_at: Moment
    location: str = Field(min_length=1, max_length=200)
    follow_up_of: Id | None = None


class MeetingState(BaseModel):
    id: int
    status: str


class AgendaResent(BaseModel):
    id: int
    mails: int  # the mails queued, one per member who can receive mail


class MeetingCreated(MeetingState):
    pass


class MeetingSummary(MeetingState):
    title: str
    starts_at: datetime


class AgendaItemCreate(In):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    is_formality: bool = False
    is_confidential: bool = False
    parent_id: Id | None = None


class MeetingPatch(In):
    """Corrections until the meeting opens; the fields left out stay as they are."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    starts_at: Moment | None = None
    location: str | None = Field(default=None, min_length=1, max_length=200)


class AgendaItemPatch(In):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20000)
    is_formality: bool | None = None
    is_confidential: bool | None = None


class AgendaItemMove(In):
    direction: Literal["up", "down"]


class AgendaItemCreated(BaseModel):
    id: int
    number: str


class AttendanceSet(In):
    present: list[Id]
    absent_with_notice: list[Id] = []


class AttendanceOut(BaseModel):
    present: int
    seated: int
    quorum: bool
    present_ids: list[int]
    absent_with_notice_ids: list[int]


class ApologySet(In):
    reason: str | None = Field(
        default=None,
        max_length=200,
        description="optional; seen by the chair and the secretary only, never public",
    )


class ApologyOut(BaseModel):
    meeting_id: int
    member_id: int
    sent_at: datetime | None = Field(description="null: no apologies sent")
    reason: str | None
    presence: Literal["present", "absent_with_notice", "absent"]


class RecusalCreate(In):
    member_id: Id


class RecusalOut(BaseModel):
    id: int
    agenda_item_id: int
    member_id: int


class MotionCreate(In):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20000)
    requirement: Literal["majority", "two_thirds"] = "majority"
    amount_cents: Cents | None = None
    budget_line_id: Id | None = None
    source_line_id: Id | None = Field(
        default=None,
        description="a transfer: amount_cents moves from this line to budget_line_id once "
        "adopted; requirement must be two_thirds",
    )
    supplements_decision_id: Id | None = Field(
        default=None,
        description="a top-up: amount_cents is added to this adopted decision's money on "
        "budget_line_id once adopted",
    )
    amends_id: Id | None = None
    cosigners: list[Id] = []
    draft: bool = Field(
        default=False, description="keep it as a draft, seen only by its authors and the chair"
    )


class MotionSchedule(In):
    agenda_item_id: Id


class MotionCreated(BaseModel):
    id: int
    status: str


class RoundCreate(In):
    mode: Literal["named", "analog"] = "named"


class VoteCreate(In):
    choice: Literal["yes", "no", "abstain"]


class VoteOut(BaseModel):
    id: int
    round_id: int
    choice: Literal["yes", "no", "abstain"]


class Counts(In):
    yes: Count
    no: Count
    abstain: Count


class CountsSet(In):
    residents: Counts
    councillors: Counts


class CountsOut(BaseModel):
    yes: int
    no: int
    abstain: int


class Groups(BaseModel):
    residents: CountsOut
    councillors: CountsOut


class DecisionRef(BaseModel):
    id: int
    identifier: str


class Round(BaseModel):
    id: int
    motion_id: int
    status: Literal["open", "closed"]
    mode: Literal["named", "analog"]
    counts: CountsOut
    groups: Groups
    outcome: Literal["adopted", "rejected", "postponed", "invalid"] | None
    reason: str | None = None
    decision: DecisionRef | None = None


class MotionOut(BaseModel):
    id: int
    title: str
    text: str
    status: str
    requirement: Literal["majority", "two_thirds"]
    amount_cents: int | None
    budget_line_id: int | None
    source_line_id: int | None = None
    supplements_decision_id: int | None = None
    amends_id: int | None
    vote_requested: bool
    rounds: list[Round]
    decision: DecisionRef | None


class ItemOut(BaseModel):
    id: int
    number: str
    title: str
    description: str
    is_formality: bool
    is_confidential: bool
    parent_id: int | None
    motions: list[MotionOut]


class MeetingOut(BaseModel):
    id: int
    council: str
    title: str
    starts_at: datetime
    location: str
    status: str
    follow_up_of: int | None
    current_item_id: int | None
    agenda: list[ItemOut]
    # For those who manage the meeting: the published agenda changed since it was mailed.
    agenda_changed: bool | None = None
