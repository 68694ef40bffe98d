"""Draws by lot (API.md "Draws by lot"): a draw is created, its pool read from CSV, its
commitment announced, its seed entered; the public record (positions, never persons) is the
file the verifier checks; the invitations and their replies are the administrators'."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from flask import request
from pydantic import BaseModel, Field
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.api import bp
from wijkraad.api.core import body, page_query, paged, require_actor
from wijkraad.api.openapi import doc
from wijkraad.api.schemas import In, PageQuery
from wijkraad.councils.queries import council_by_slug
from wijkraad.errors import DomainError, require
from wijkraad.extensions import db
from wijkraad.sortition import kept, notify, permissions, queries, replies, services
from wijkraad.sortition.models import Draw
from wijkraad.sortition.rules import MAX_INVITE, InvitationStatus, Purpose
from wijkraad.web import write

Count = Annotated[int, Field(ge=0, le=MAX_INVITE)]


class DrawCreate(In):
    purpose: Literal["council", "panel"]
    invite: Annotated[int, Field(ge=1, le=MAX_INVITE)]
    draw_on: date
    quotas: dict[
        Annotated[str, Field(min_length=1, max_length=40)],
        dict[Annotated[str, Field(min_length=1, max_length=200)], tuple[Count, Count]],
    ] = Field(default_factory=dict, description="{column: {value: [min, max]}} over the invited")


class Announce(In):
    seed_source: Annotated[str, Field(min_length=1, max_length=services.MAX_SOURCE)] = Field(
        description="the named future source of the seed, e.g. dice thrown in public on a date"
    )


class SeedIn(In):
    seed: Annotated[str, Field(min_length=1, max_length=services.MAX_SEED)]


class OptOutIn(In):
    person_ref: Annotated[str, Field(min_length=1, max_length=200)]


class ReplyIn(In):
    reply: Literal["accepted", "declined", "no_response"]
    email: str | None = Field(default=None, max_length=254)


class DrawOut(BaseModel):
    id: int
    council: str
    purpose: str
    status: str = Field(description="open | announced | drawn | closed")
    invite: int
    draw_on: date
    pool_size: int = Field(description="rows of the pool file, the ineligible included")
    eligible: int
    pool_sha256: str | None
    procedure: str | None
    seed_source: str | None
    seed: str | None
    quotas: dict[str, dict[str, list[int]]]
    ranking: list[int] | None = Field(description="every eligible pool position, best first")


class OptOutOut(BaseModel):
    id: int
    person_ref: str


class InvitationOut(BaseModel):
    id: int
    position: int
    person_ref: str | None = Field(description="null once the draw closed and erased it")
    name: str | None
    status: str = Field(description="invited | accepted | declined | no_response | reserve")


class RankedOut(InvitationOut):
    id: int | None = Field(description="the invitation; null for a reserve not invited (yet)")


class PublicDraw(BaseModel):
    """The public record of a draw (see the README's section on draws): positions, strata and
    hashes, never persons."""

    model_config = {"extra": "allow"}
    id: int
    purpose: str
    status: str
    invite: int
    draw_on: str
    pool_size: int
    eligible: int
    pool_sha256: str | None
    procedure: str | None
    seed_source: str | None
    seed: str | None
    quotas: dict[str, Any]
    ranking: list[int] | None
    strata: dict[str, Any]


def draw_json(draw: Draw) -> dict[str, Any]:
    return DrawOut(
        id=draw.id,
        council=draw.council.slug,
        purpose=draw.purpose.value,
        status=draw.status.value,
        invite=draw.invite,
        draw_on=draw.draw_on,
        pool_size=draw.pool_size,
        eligible=draw.eligible,
        pool_sha256=draw.pool_sha256,
        procedure=draw.procedure,
        seed_source=draw.seed_source,
        seed=draw.seed,
        quotas=draw.quotas or {},
        ranking=draw.ranking,
    ).model_dump(mode="json")


ADMIN_ERRORS = {403: "forbidden", 404: "draw-not-found"}


@bp.post("/councils/<slug>/draws")
@doc(
    201,
    DrawOut,
    body=DrawCreate,
    auth="required",
    errors={403: "forbidden", 404: "council-not-found", 422: "quotas-invalid"},
)
@write()
def create_draw(slug: str) -> tuple[dict[str, Any], int]:
    """Create a draw by lot for a council's seats or its resident panel (administrators)."""
    who = require_actor()
    council = council_by_slug(db.session, slug)
    require(permissions.can_manage_draws(who))
    data = body(DrawCreate)
    draw = services.create_draw(
        db.session,
        who,
        council,
        purpose=Purpose(data.purpose),
        invite=data.invite,
        draw_on=data.draw_on,
        quotas=data.quotas,
    )
    return draw_json(draw), 201


def _draw_for_admin(draw_id: int) -> tuple[Any, Draw]:
    who = require_actor()
    require(permissions.can_manage_draws(who))
    return who, services.get_draw(db.session, draw_id)


@bp.put("/draws/<int:draw_id>/pool")
@doc(
    200,
    DrawOut,
    auth="required",
    errors={
        **ADMIN_ERRORS,
        409: "draw-announced",
        415: "unsupported-media-type (send text/csv)",
        422: "bad-pool (with `line` and `reason`)",
    },
)
@write()
def upload_pool(draw_id: int) -> dict[str, Any]:
    """Read the pool (text/csv, header person_ref,birth_date,postcode,name,address plus any
    stratification columns, ISO dates), replacing an earlier one; all or nothing."""
    who, draw = _draw_for_admin(draw_id)
    if request.mimetype != "text/csv":
        raise DomainError("unsupported-media-type", status=415)
    services.upload_pool(db.session, who, draw, request.get_data())
    return draw_json(draw)


@bp.post("/councils/<slug>/opt-outs")
@doc(
    201,
    OptOutOut,
    body=OptOutIn,
    auth="required",
    errors={403: "forbidden", 404: "council-not-found", 409: "opt-out-exists"},
)
@write()
def add_opt_out(slug: str) -> tuple[dict[str, Any], int]:
    """Put a resident on the council's opt-out register: never drawn (administrators)."""
    who = require_actor()
    council = council_by_slug(db.session, slug)
    require(permissions.can_manage_draws(who))
    data = body(OptOutIn)
    entry = services.add_opt_out(db.session, who, council, data.person_ref)
    return OptOutOut(id=entry.id, person_ref=entry.person_ref).model_dump(), 201


@bp.post("/draws/<int:draw_id>/announce")
@doc(
    200,
    DrawOut,
    body=Announce,
    auth="required",
    errors={
        **ADMIN_ERRORS,
        409: "draw-announced, pool-missing, pool-too-small",
        422: "quotas-impossible",
    },
)
@write()
def announce(draw_id: int) -> dict[str, Any]:
    """Publish the commitment: pool hash and size, numbers, quotas, procedure and the named
    future source of the seed. Pool and quotas are fixed from then on."""
    who, draw = _draw_for_admin(draw_id)
    data = body(Announce)
    services.announce(db.session, who, draw, seed_source=data.seed_source, now=clock.now())
    return draw_json(draw)


@bp.post("/draws/<int:draw_id>/seed")
@doc(
    200,
    DrawOut,
    body=SeedIn,
    auth="required",
    errors={**ADMIN_ERRORS, 409: "draw-not-announced, draw-drawn"},
)
@write()
def seed(draw_id: int) -> dict[str, Any]:
    """Enter the public seed: the ranking follows, the first `invite` are invited."""
    who, draw = _draw_for_admin(draw_id)
    data = body(SeedIn)
    services.enter_seed(db.session, who, draw, seed=data.seed, now=clock.now())
    return draw_json(draw)


@bp.post("/draws/<int:draw_id>/close")
@doc(200, DrawOut, auth="required", errors={**ADMIN_ERRORS, 409: "draw-not-drawn, draw-closed"})
@write()
def close(draw_id: int) -> dict[str, Any]:
    """Close a drawn draw: the personal data of everyone who did not accept is erased; the
    public record stays and still verifies."""
    who, draw = _draw_for_admin(draw_id)
    services.close_draw(db.session, who, draw, now=clock.now())
    return draw_json(draw)


@bp.get("/draws/<int:draw_id>")
@doc(200, PublicDraw, errors={404: "draw-not-found"})
@write()
def public_draw(draw_id: int) -> Response:
    """The public record of a draw: commitment, seed, ranking by pool position and the shares
    per stratum, no personal data. Exactly the bytes `flask draw verify FILE` checks (kept
    once made, until the draw changes)."""
    draw = services.get_draw(db.session, draw_id)
    return Response(kept.record_bytes(db.session, draw), mimetype="application/json")


@bp.get("/draws/<int:draw_id>/invitations")
@doc(200, list[RankedOut], query=PageQuery, auth="required", errors=ADMIN_ERRORS)
def invitations(draw_id: int) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The whole ranking of a drawn draw in ranking order (administrators), a page at a time:
    the invited, those who answered and the reserve list (status `reserve`, `id` null until
    invited). Once the draw is closed the erased show no `person_ref` or `name`; positions
    stay. Empty before the seed."""
    who, draw = _draw_for_admin(draw_id)
    asked = page_query()
    found = queries.ranking_window(
        db.session,
        who,
        draw,
        offset=(asked.page - 1) * asked.per_page,
        limit=asked.per_page,
    )
    items = [
        RankedOut(
            id=row.id,
            position=row.position,
            person_ref=row.person_ref,
            name=row.name,
            status=row.status.value,
        ).model_dump()
        for row in found.items
    ]
    return paged(items, found, asked)


@bp.post("/invitations/<int:invitation_id>/reply")
@doc(
    200,
    InvitationOut,
    body=ReplyIn,
    auth="required",
    errors={
        403: "forbidden",
        404: "invitation-not-found",
        409: "already-replied, seats-full, draw-closed, councillor-not-drawn",
        422: "email-required",
    },
)
@write()
def reply(invitation_id: int) -> dict[str, Any]:
    """Record a reply (administrators): an acceptance of a council draw seats the resident
    (409 seats-full when no resident seat is free); a decline or no reply invites the next
    reserve. An acceptance from the e-mail address of a sitting councillor of the council is
    refused (409 councillor-not-drawn) and the invitation stays open."""
    who = require_actor()
    require(permissions.can_manage_draws(who))
    invitation = replies.get_invitation(db.session, invitation_id)
    data = body(ReplyIn)
    replies.reply(
        db.session,
        who,
        invitation,
        InvitationStatus(data.reply),
        email=data.email,
        today=clock.today(),
        now=clock.now(),
    )
    notify.after_reply(db.session, invitation)
    entry = invitation.entry
    return InvitationOut(
        id=invitation.id,
        position=invitation.position,
        person_ref=entry.person_ref,
        name=entry.name,
        status=invitation.status.value,
    ).model_dump()
