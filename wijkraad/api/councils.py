from __future__ import annotations

from typing import Any

from flask import current_app, request
from sqlalchemy.orm import Session

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.api.core import actor, body, dump, require, require_actor
from wijkraad.auth import services as auth_services
from wijkraad.auth.models import User
from wijkraad.councils import permissions, services
from wijkraad.councils.models import Council, Membership
from wijkraad.councils.rules import DecisionRule, Role, Seat
from wijkraad.errors import Unauthorized
from wijkraad.extensions import db


def council_out(council: Council) -> schemas.Council:
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


def member_out(membership: Membership) -> schemas.Member:
    who = actor()
    may_see = who.is_admin or who.is_member_of(membership.council_id)
    return schemas.Member(
        id=membership.id,
        name=services.public_name(membership, viewer_may_see=may_see),
        seat=membership.seat.value,
        role=membership.role.value,
        starts_on=membership.starts_on,
        ends_on=membership.ends_on,
    )


def council_detail(council: Council) -> dict[str, Any]:
    today = clock.today()
    vacancies = services.vacancies(council, today)
    detail = schemas.CouncilDetail(
        **council_out(council).model_dump(),
        members=[member_out(m) for m in council.current_memberships(today)],
        vacancies=schemas.Vacancies(
            resident=vacancies[Seat.RESIDENT], councillor=vacancies[Seat.COUNCILLOR]
        ),
    )
    return dump(detail)


@bp.post("/tokens")
def create_token() -> tuple[dict[str, Any], int]:
    data = body(schemas.TokenRequest)
    session: Session = db.session
    try:
        user = auth_services.authenticate(
            session,
            data.email,
            data.password,
            remote_addr=request.remote_addr or "unknown",
            now=clock.now(),
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            window_seconds=current_app.config["LOGIN_WINDOW_SECONDS"],
        )
    except Unauthorized:
        session.commit()  # the failure counts towards the limit
        raise
    token = auth_services.issue_token(session, user.id, user, data.label or "API")
    session.commit()
    return dump(schemas.TokenResponse(token=token)), 201


@bp.get("/me")
def me() -> dict[str, Any]:
    who = require_actor()
    user = db.session.get(User, who.user_id)
    councils = {c.id: c.slug for c in services.list_councils(db.session)}
    seats = [
        schemas.SeatOut(council=councils[cid], seat=s.seat.value, role=s.role.value)
        for cid, s in who.seats.items()
    ]
    return dump(
        schemas.Me(
            id=user.id,
            name=user.name,
            email=user.email,
            is_admin=user.is_admin,
            language=user.language,
            seats=seats,
        )
    )


@bp.get("/councils")
def list_councils() -> list[dict[str, Any]]:
    return [dump(council_out(c)) for c in services.list_councils(db.session)]


@bp.post("/councils")
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
    db.session.commit()
    return dump(council_out(council)), 201


@bp.get("/councils/<slug>")
def get_council(slug: str) -> dict[str, Any]:
    return council_detail(services.get_council(db.session, slug))


@bp.patch("/councils/<slug>")
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
    db.session.commit()
    return council_detail(council)


@bp.post("/councils/<slug>/members")
def appoint(slug: str) -> tuple[dict[str, Any], int]:
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
    db.session.commit()
    return dump(member_out(membership)), 201


@bp.post("/members/<int:membership_id>/end")
def end_membership(membership_id: int) -> dict[str, Any]:
    who = require_actor()
    membership = services.get_membership(db.session, membership_id)
    require(permissions.can_manage_role(who, membership.council_id, membership.role))
    data = body(schemas.MemberEnd)
    services.end_membership(db.session, who, membership, data.ends_on or clock.today())
    db.session.commit()
    return dump(member_out(membership))
