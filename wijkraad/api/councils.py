from __future__ import annotations

from typing import Any

from flask import current_app

from wijkraad import clock
from wijkraad.api import bp, openapi, schemas
from wijkraad.api.core import actor, body, dump, require_actor
from wijkraad.auth import queries as auth_queries
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import Actor
from wijkraad.auth.links import external_url
from wijkraad.auth.rules import ThrottlePolicy
from wijkraad.councils import invitations, permissions, queries, services
from wijkraad.councils.invitation_views import invitation_url
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
@write()
def create_token() -> tuple[dict[str, Any], int]:
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
def me() -> dict[str, Any]:
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
def list_councils() -> list[dict[str, Any]]:
    return [dump(council_out(c)) for c in queries.council_list(db.session)]


@bp.post("/councils")
@write()
def create_council() -> tuple[dict[str, Any], int]:
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
def get_council(slug: str) -> dict[str, Any]:
    return council_detail(slug)


@bp.patch("/councils/<slug>")
@write()
def update_council(slug: str) -> dict[str, Any]:
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


@bp.post("/councils/<slug>/members")
@write()
def appoint(slug: str) -> tuple[dict[str, Any], int]:
    """Seats the person and gives the invitation link: the answer is the same whether or not
    the address has an account."""
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
    out = schemas.Appointment(
        **member_out(membership).model_dump(),
        invitation_url=invitation_url(invitation),
        invitation_expires_at=invitation.expires_at,
    )
    return dump(out), 201


@bp.post("/members/<int:membership_id>/end")
@write()
def end_membership(membership_id: int) -> dict[str, Any]:
    """Ends a membership (by default today, or on its first day when it has not started); an
    invitation not yet answered is withdrawn with it."""
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
def list_invitations(slug: str) -> list[dict[str, Any]]:
    """Invitations not yet answered (administrators, the council's secretary)."""
    who = require_actor()
    page = _page(slug)
    require(permissions.can_manage_members(who, page.council.id))
    return [invitation_out(i, who, page.council.id) for i in page.invitations]


@bp.post("/members/<int:membership_id>/invitation")
@write()
def renew_invitation(membership_id: int) -> dict[str, Any]:
    """A new link for an invitation not yet answered; the old one stops working."""
    who = require_actor()
    membership = services.get_membership(db.session, membership_id)
    require(permissions.can_manage_role(who, membership.council_id, membership.role))
    invitations.renew(db.session, who, membership, clock.now())
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
def get_seat_invitation(token: str) -> dict[str, Any]:
    """What the link offers, for whoever holds it (the token is the secret)."""
    return seat_invitation_out(_seat_invitation(token))


@bp.post("/seat-invitations/<token>/accept")
@write()
def accept_seat_invitation(token: str) -> dict[str, Any]:
    """Accepts the seat with the account behind the bearer token (the invited address)."""
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
@write()
def decline_seat_invitation(token: str) -> dict[str, Any]:
    """Declines the seat; whoever holds the link may."""
    invitation = _seat_invitation(token)
    invitations.decline(db.session, actor().user_id, invitation, clock.now(), clock.today())
    return seat_invitation_out(invitation)


_TOKEN = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_INVITATIONS = {"type": "array", "items": openapi._ref(schemas.InvitationOut)}

openapi.PATHS["/councils/{slug}/members"]["post"] = openapi._op(
    "Appoint a member (administrators, the council's secretary; the chair role: administrators)."
    " The member is seated from starts_on under the given name; for a new e-mail an account "
    "(without a password) is made for them. The returned link goes to the member: with it they "
    "choose their password, or, when the address had an account, log in and confirm the seat; "
    "only then is an existing account linked to the seat. The answer is the same either way.",
    request=schemas.MemberCreate,
    ok=(201, "the member, with the invitation link", openapi._ref(schemas.Appointment)),
    auth=True,
    errors={
        403: "not allowed (a secretary giving the chair role, for one)",
        404: "no such council",
        409: "seats-full, role-taken, already-invited",
        422: "chair-not-resident or invalid input",
    },
)
openapi.PATHS["/members/{id}/end"]["post"]["summary"] = (
    "End a membership (by default today, or on its first day when it has not started); an "
    "invitation not yet answered is withdrawn with it (the chair's: administrators)"
)
openapi.PATHS.update(
    {
        "/councils/{slug}/invitations": {
            "parameters": [_SLUG],
            "get": openapi._op(
                "Invitations not yet answered (administrators, the council's secretary)",
                ok=(200, "the invitations", _INVITATIONS),
                auth=True,
                errors={403: "not allowed", 404: "no such council"},
            ),
        },
        "/members/{id}/invitation": {
            "parameters": [_ID],
            "post": openapi._op(
                "A new link for an invitation not yet answered; the old link stops working",
                ok=(200, "the invitation", openapi._ref(schemas.InvitationOut)),
                auth=True,
                errors={403: "not allowed", 404: "no such member", 409: "not-invited"},
            ),
        },
        "/seat-invitations/{token}": {
            "parameters": [_TOKEN],
            "get": openapi._op(
                "The seat an invitation link offers",
                ok=(200, "the invitation", openapi._ref(schemas.SeatInvitationOut)),
                errors={404: "seat-invite-invalid"},
            ),
        },
        "/seat-invitations/{token}/accept": {
            "parameters": [_TOKEN],
            "post": openapi._op(
                "Confirm the seat with the account of the invited address, which is linked "
                "to the membership from then on",
                ok=(200, "the membership, now the account's", openapi._ref(schemas.Member)),
                auth=True,
                errors={
                    403: "seat-invite-other-account",
                    404: "seat-invite-invalid",
                    409: "seat-invite-closed, already-member",
                },
            ),
        },
        "/seat-invitations/{token}/decline": {
            "parameters": [_TOKEN],
            "post": openapi._op(
                "Decline the seat (whoever holds the link); the membership ends, on its first "
                "day when it has not started",
                ok=(200, "the invitation", openapi._ref(schemas.SeatInvitationOut)),
                errors={404: "seat-invite-invalid", 409: "seat-invite-closed"},
            ),
        },
    }
)
