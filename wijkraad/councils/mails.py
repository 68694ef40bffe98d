"""The mail with a seat invitation's link, to the invited address: queued in the caller's
transaction whenever a link is made (an appointment, a renewed link).

It goes to every invited address alike, whether or not the address had an account, so the
appointer's answer and pages never tell the two apart. Only the invitee, who owns the
address, reads whether to choose a password or log in."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from wijkraad.auth import services as auth_services
from wijkraad.councils.models import Membership, SeatInvitation
from wijkraad.councils.rules import Role
from wijkraad.mail import outbox
from wijkraad.mail.compose import compose


def _role_label(role: Role) -> str:
    if role is Role.CHAIR:
        return _("voorzitter")
    if role is Role.SECRETARY:
        return _("secretaris")
    return _("lid")


def seat_invitation(
    session: Session,
    membership: Membership,
    invitation: SeatInvitation,
    link: str,
    *,
    now: datetime,
) -> None:
    user = auth_services.find_user(session, invitation.email)
    council = membership.council

    def subject() -> str:
        return _("Uitnodiging voor een zetel in %(council)s", council=council.name)

    message = compose(
        "seat_invitation",
        user.language if user is not None else None,
        subject,
        name=membership.person.name,
        council=council.name,
        municipality=council.municipality,
        role=lambda: _role_label(membership.role),
        seat=membership.seat.value,
        starts_on=membership.starts_on,
        link=link,
        expires_at=invitation.expires_at,
        has_password=user is not None and user.password_hash is not None,
    )
    outbox.enqueue(session, invitation.email, message, now=now)
