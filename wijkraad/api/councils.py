from __future__ import annotations

from typing import Any

from flask import current_app

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, body, dump, page_query, paged, require_actor
from wijkraad.api.openapi import doc
from wijkraad.auth import queries as auth_queries
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.links import external_url
from wijkraad.auth.rules import ThrottlePolicy
from wijkraad.councils import invitations, permissions, queries, services
from wijkraad.councils.invitation_views import mail_invitation
from wijkraad.councils.models import Council, Membership, SeatInvitation
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.errors import require
from wijkraad.extensions import db
from wijkraad.web import client_addr, write


def council_out(council: Council | queries.CouncilSummary) -> schemas.Council:
    return schemas.Council(
        slug=council.slug,
        name=council.name,
        municipality=council.municipality,
        resident_seats=council.resident_seats,
        councillor_seats=council.councillor_seats,
        decision_rule=council.decision_rule.value,
        description=council.description,
        publishes_resident_names=council.publishes_resident_names,
        code=council.code,
    )


def _member(member: queries.Member) -> schemas.Member:
    return schemas.Member(
        id=member.id,
        name=member.name,
        seat=member.seat.value,
        role=member.role.value,
        starts_on=member.starts_on,
        ends_on=member.ends_on,
    )


def member_out(membership: Membership) -> schemas.Member:
    """A membership a write has just made or changed, as the caller may see it."""
    council = membership.council
    may_see = queries.may_see_names_in(actor(), council.id)
    return _member(queries.member(membership, council, may_see_names=may_see))


def _page(slug: str) -> queries.CouncilPage:
    return queries.council_page(
        db.session,
        slug,
        actor(),
        today=clock.today(),
        now=clock.now(),
        secret_key=current_app.config["SECRET_KEY"],
    )


def council_detail(slug: str) -> dict[str, Any]:
    page = _page(slug)
    detail = schemas.CouncilDetail(
        **council_out(page.council).model_dump(),
        members=[_member(m) for m in page.current],
        vacancies=schemas.Vacancies(
            resident=page.vacancies[Seat.RESIDENT], councillor=page.vacancies[Seat.COUNCILLOR]
        ),
    )
    return dump(detail)


@bp.post("/tokens")
@doc(
    201,
    schemas.TokenResponse,
    body=schemas.TokenRequest,
    auth="ignored",
    errors={401: "bad-credentials", 429: "too-many-attempts (see Retry-After)"},
)
@write()
def create_token() -> tuple[dict[str, Any], int]:
    """Exchange an e-mail address and password for an API token.

    A token sent along is ignored here. Failed attempts are counted and, past the limit,
    refused for a while."""
    data = body(schemas.TokenRequest)
    # A failure is counted in a transaction of its own; a 429 carries Retry-After.
    user = auth_services.authenticate(
        db.session,
        data.email,
        data.password,
        remote_addr=client_addr(),
        now=clock.now(),
        policy=ThrottlePolicy.from_config(current_app.config),
    )
    token = auth_services.issue_token(db.session, user.id, user, data.label or "API")
    return dump(schemas.TokenResponse(token=token)), 201


@bp.get("/me")
@doc(200, schemas.Me, auth="required")
def me() -> dict[str, Any]:
    """The account behind the token, with its current seats."""
    shown = queries.me(db.session, require_actor())
    return dump(
        schemas.Me(
            id=shown.id,
            name=shown.name,
            email=shown.email,
            is_admin=shown.is_admin,
            language=shown.language,
            seats=[
                schemas.SeatOut(council=s.council, seat=s.seat.value, role=s.role.value)
                for s in shown.seats
            ],
        )
    )


@bp.get("/councils")
@doc(200, list[schemas.Council], query=schemas.PageQuery)
def list_councils() -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The councils, by municipality and name, a page at a time."""
    asked = page_query()
    found = queries.council_window(db.session, offset=asked.offset, limit=asked.per_page)
    return paged([dump(council_out(c)) for c in found.items], found, asked)


@bp.post("/councils")
@doc(
    201,
    schemas.Council,
    body=schemas.CouncilCreate,
    auth="required",
    errors={
        403: "forbidden (administrators only)",
        409: "slug-taken",
        422: "invalid-input; a cooperative council needs more resident than councillor seats",
    },
)
@write()
def create_council() -> tuple[dict[str, Any], int]:
    """Create a council (administrators)."""
    who = require_actor()
    require(permissions.can_create_council(who))
    data = body(schemas.CouncilCreate)
    council = services.create_council(
        db.session,
        who,
        data.slug,
        services.CouncilData(
            name=data.name,
            municipality=data.municipality,
            resident_seats=data.resident_seats,
            councillor_seats=data.councillor_seats,
            decision_rule=DecisionRule(data.decision_rule),
            description=data.description,
            publishes_resident_names=data.publishes_resident_names,
            code=data.code,
        ),
    )
    return dump(council_out(council)), 201


@bp.get("/councils/<slug>")
@doc(200, schemas.CouncilDetail, errors={404: "council-not-found"})
def get_council(slug: str) -> dict[str, Any]:
    """A council with its current members and vacancies.

    A resident's name is null where the council does not publish residents' names, unless the
    caller is a member or an administrator. No e-mail addresses."""
    return council_detail(slug)


@bp.patch("/councils/<slug>")
@doc(
    200,
    schemas.CouncilDetail,
    body=schemas.CouncilUpdate,
    auth="required",
    errors={
        403: "forbidden",
        404: "council-not-found",
        409: "seats-below-seated",
        422: "invalid-input, or seats the decision rule does not allow",
    },
)
@write()
def update_council(slug: str) -> dict[str, Any]:
    """Change a council (administrators): only the fields sent change."""
    who = require_actor()
    council = services.get_council(db.session, slug)
    require(permissions.can_edit_council(who, council.id))
    data = body(schemas.CouncilUpdate)
    current = council_out(council).model_dump()
    changes = data.model_dump(exclude_none=True)
    merged = {**current, **changes}
    services.update_council(
        db.session,
        who,
        council,
        services.CouncilData(
            name=merged["name"],
            municipality=merged["municipality"],
            resident_seats=merged["resident_seats"],
            councillor_seats=merged["councillor_seats"],
            decision_rule=DecisionRule(merged["decision_rule"]),
            description=merged["description"],
            publishes_resident_names=merged["publishes_resident_names"],
            code=merged["code"],
        ),
        clock.today(),
    )
    return council_detail(council.slug)


@bp.get("/councils/<slug>/members")
@doc(200, list[schemas.Member], query=schemas.PageQuery, errors={404: "council-not-found"})
def list_members(slug: str) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """The council's current members, a page at a time: the chair, the secretary, then by name.

    Names are shown as in the council itself."""
    asked = page_query()
    found = queries.member_window(
        db.session, slug, actor(), today=clock.today(), offset=asked.offset, limit=asked.per_page
    )
    return paged([dump(_member(m)) for m in found.items], found, asked)


@bp.post("/councils/<slug>/members")
@doc(
    201,
    schemas.Appointment,
    body=schemas.MemberCreate,
    auth="required",
    errors={
        403: "forbidden (a secretary giving the chair role, for one)",
        404: "council-not-found",
        409: "seats-full, role-taken, already-invited",
        422: "chair-not-resident, invalid-input",
    },
)
@write()
def appoint(slug: str) -> tuple[dict[str, Any], int]:
    """Appoint a member (administrators, the council's secretary; the chair: administrators).

    The member is seated from starts_on under the given name; for a new e-mail address an
    account (without a password) is made for them. The returned link goes to the member: with
    it they choose their password, or, when the address had an account, log in and confirm the
    seat; only then is an existing account linked to the seat. The answer is the same either
    way."""
    who = require_actor()
    council = services.get_council(db.session, slug, for_update=True)
    require(permissions.can_manage_members(who, council.id))
    data = body(schemas.MemberCreate)
    membership = services.appoint_member(
        db.session,
        who,
        council,
        name=data.name,
        email=data.email,
        seat=Seat(data.seat),
        role=Role(data.role),
        starts_on=data.starts_on or clock.today(),
        ends_on=data.ends_on,
    )
    invitation = membership.invitation
    assert invitation is not None
    link = mail_invitation(membership)
    out = schemas.Appointment(
        **member_out(membership).model_dump(),
        invitation_url=link,
        invitation_expires_at=invitation.expires_at,
    )
    return dump(out), 201


@bp.post("/members/<int:membership_id>/end")
@doc(
    200,
    schemas.Member,
    body=schemas.MemberEnd,
    auth="required",
    errors={
        403: "forbidden (the chair's membership: administrators)",
        404: "member-not-found",
        409: "already-ended",
        422: "ends-before-start, invalid-input",
    },
)
@write()
def end_membership(membership_id: int) -> dict[str, Any]:
    """End a membership: by default today, or on its first day when it has not started.

    An invitation not yet answered is withdrawn with it."""
    who = require_actor()
    membership = services.get_membership(db.session, membership_id)
    require(permissions.can_manage_role(who, membership.council_id, membership.role))
    data = body(schemas.MemberEnd)
    ends_on = data.ends_on or max(clock.today(), membership.starts_on)
    services.end_membership(db.session, who, membership, ends_on)
    return dump(member_out(membership))


def invitation_out(invitation: queries.Invitation, who: Actor, council_id: int) -> dict[str, Any]:
    may_hand_over = (
        permissions.can_manage_role(who, council_id, invitation.role) and invitation.is_open
    )
    return dump(
        schemas.InvitationOut(
            member_id=invitation.member_id,
            name=invitation.name,
            email=invitation.email,
            seat=invitation.seat.value,
            role=invitation.role.value,
            starts_on=invitation.starts_on,
            ends_on=invitation.ends_on,
            status=invitation.status.value,
            expires_at=invitation.expires_at,
            invitation_url=(
                external_url("councils.seat_invitation", token=invitation.token)
                if may_hand_over
                else None
            ),
        )
    )


@bp.get("/councils/<slug>/invitations")
@doc(
    200,
    list[schemas.InvitationOut],
    query=schemas.PageQuery,
    auth="required",
    errors={403: "forbidden", 404: "council-not-found"},
)
def list_invitations(slug: str) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """Invitations not yet answered, by first day, a page at a time (administrators, the
    council's secretary)."""
    who = require_actor()
    council = queries.council_by_slug(db.session, slug)
    require(permissions.can_manage_members(who, council.id))
    asked = page_query()
    found = queries.invitation_window(
        db.session,
        council,
        now=clock.now(),
        secret_key=current_app.config["SECRET_KEY"],
        offset=asked.offset,
        limit=asked.per_page,
    )
    return paged([invitation_out(i, who, council.id) for i in found.items], found, asked)


@bp.post("/members/<int:membership_id>/invitation")
@doc(
    200,
    schemas.InvitationOut,
    auth="required",
    errors={403: "forbidden", 404: "member-not-found", 409: "not-invited"},
)
@write()
def renew_invitation(membership_id: int) -> dict[str, Any]:
    """A new link for an invitation not yet answered; the old link stops working."""
    who = require_actor()
    membership = services.get_membership(db.session, membership_id)
    require(permissions.can_manage_role(who, membership.council_id, membership.role))
    invitations.renew(db.session, who, membership, clock.now())
    mail_invitation(membership)
    shown = queries.invitation(
        membership, now=clock.now(), secret_key=current_app.config["SECRET_KEY"]
    )
    return invitation_out(shown, who, membership.council_id)


def seat_invitation_out(invitation: SeatInvitation) -> dict[str, Any]:
    membership = invitation.membership
    return dump(
        schemas.SeatInvitationOut(
            council=membership.council.slug,
            council_name=membership.council.name,
            name=membership.person.name,
            email=invitation.email,
            seat=membership.seat.value,
            role=membership.role.value,
            starts_on=membership.starts_on,
            ends_on=membership.ends_on,
            status=membership.status.value,
            is_open=invitations.is_open(invitation, clock.now()),
            expires_at=invitation.expires_at,
        )
    )


def _seat_invitation(token: str) -> SeatInvitation:
    return invitations.find(db.session, token, current_app.config["SECRET_KEY"])


@bp.get("/seat-invitations/<token>")
@doc(200, schemas.SeatInvitationOut, errors={404: "seat-invite-invalid"})
def get_seat_invitation(token: str) -> dict[str, Any]:
    """The seat an invitation link offers, for whoever holds it (the token is the secret)."""
    return seat_invitation_out(_seat_invitation(token))


@bp.post("/seat-invitations/<token>/accept")
@doc(
    200,
    schemas.Member,
    auth="required",
    errors={
        403: "seat-invite-other-account",
        404: "seat-invite-invalid",
        409: "seat-invite-closed, already-member",
    },
)
@write()
def accept_seat_invitation(token: str) -> dict[str, Any]:
    """Confirm the seat with the account of the invited address (the one behind the token),
    which is linked to the membership from then on."""
    who = require_actor()
    invitation = _seat_invitation(token)
    user = auth_queries.get_user(db.session, who.user_id)
    membership = invitations.accept(db.session, user, invitation, clock.now())
    return dump(
        schemas.Member(
            id=membership.id,
            name=membership.person.name,
            seat=membership.seat.value,
            role=membership.role.value,
            starts_on=membership.starts_on,
            ends_on=membership.ends_on,
        )
    )


@bp.post("/seat-invitations/<token>/decline")
@doc(
    200,
    schemas.SeatInvitationOut,
    errors={404: "seat-invite-invalid", 409: "seat-invite-closed"},
)
@write()
def decline_seat_invitation(token: str) -> dict[str, Any]:
    """Decline the seat (whoever holds the link): the membership ends, on its first day when it
    has not started."""
    invitation = _seat_invitation(token)
    invitations.decline(db.session, actor().user_id, invitation, clock.now(), clock.today())
    return seat_invitation_out(invitation)
