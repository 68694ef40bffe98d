"""The resident panel (wijkpanel) of a council, for administrators: its target size, current
size and members, never public by name. Members come by panel draws (``draws``); an
administrator sets the target and ends a membership with its reason."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field

from wijkraad import clock
from wijkraad.api import bp
from wijkraad.api.core import body, require_actor
from wijkraad.api.openapi import doc
from wijkraad.api.schemas import In
from wijkraad.councils.queries import council_by_slug
from wijkraad.errors import require
from wijkraad.extensions import db
from wijkraad.sortition import permissions, queries, services
from wijkraad.sortition.models import PanelMember
from wijkraad.sortition.rules import MAX_INVITE
from wijkraad.web import write

ERRORS = {403: "forbidden", 404: "council-not-found"}


class PanelMemberOut(BaseModel):
    id: int
    name: str
    email: str
    joined_on: date
    ends_on: date | None = Field(description="the day the membership ends (exclusive), if set")
    draw_id: int | None = Field(description="the panel draw the member was drawn in")


class PanelOut(BaseModel):
    target_size: int
    size: int = Field(description="members today")
    members: list[PanelMemberOut]


class PanelTarget(In):
    target_size: Annotated[int, Field(ge=0, le=MAX_INVITE)]


class PanelEnd(In):
    reason: Annotated[str, Field(min_length=1, max_length=services.MAX_REASON)]


def member_json(member: PanelMember) -> dict[str, Any]:
    return PanelMemberOut(
        id=member.id,
        name=member.name,
        email=member.email,
        joined_on=member.joined_on,
        ends_on=member.ends_on,
        draw_id=member.draw_id,
    ).model_dump(mode="json")


def panel_json(slug: str) -> dict[str, Any]:
    who = require_actor()
    require(permissions.can_manage_draws(who))
    council = council_by_slug(db.session, slug)
    view = queries.panel(db.session, who, council, clock.today())
    return PanelOut(
        target_size=view.target_size,
        size=view.size,
        members=[member_json(m) for m in view.members],
    ).model_dump(mode="json")


@bp.get("/councils/<slug>/panel")
@doc(200, PanelOut, auth="required", errors=ERRORS)
def get_panel(slug: str) -> dict[str, Any]:
    """The council's resident panel: target size, current size and today's members, by name
    (administrators only; the panel is never public by name)."""
    return panel_json(slug)


@bp.put("/councils/<slug>/panel")
@doc(200, PanelOut, body=PanelTarget, auth="required", errors={**ERRORS, 422: "field-invalid"})
@write()
def set_panel_target(slug: str) -> dict[str, Any]:
    """Set the panel's target size (Groningen: 400); panel draws top the panel up to it."""
    who = require_actor()
    require(permissions.can_manage_draws(who))
    council = council_by_slug(db.session, slug)
    services.set_panel_target(db.session, who, council, body(PanelTarget).target_size)
    return panel_json(slug)


@bp.post("/councils/<slug>/panel/members/<int:member_id>/end")
@doc(
    200,
    PanelMemberOut,
    body=PanelEnd,
    auth="required",
    errors={
        403: "forbidden",
        404: "council-not-found, panel-member-not-found",
        409: "panel-membership-ended",
    },
)
@write()
def end_panel_membership(slug: str, member_id: int) -> dict[str, Any]:
    """End a panel membership today, with its reason (audited): the panel's size no longer
    counts the member, so a panel draw can top it up."""
    who = require_actor()
    require(permissions.can_manage_draws(who))
    council = council_by_slug(db.session, slug)
    member = services.end_panel_membership(
        db.session, who, council, member_id, reason=body(PanelEnd).reason, today=clock.today()
    )
    return member_json(member)
