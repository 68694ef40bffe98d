"""What follows a reply outside the draw itself: an accepted resident seated in the council
gets the mail of the appointment's account invitation, with the link that confirms the seat
(the same link an appointer hands over)."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from wijkraad import clock
from wijkraad.auth import mails
from wijkraad.councils.invitation_views import invitation_url
from wijkraad.councils.models import Membership
from wijkraad.errors import DomainError
from wijkraad.sortition.models import Invitation

log = logging.getLogger(__name__)


def after_reply(session: Session, invitation: Invitation) -> None:
    if invitation.membership_id is None:
        return
    membership = session.get(Membership, invitation.membership_id)
    if membership is None or membership.invitation is None:
        return
    user = membership.person.user
    # An address with an account already: its owner confirms the seat by logging in; the
    # appointment path sends them nothing either (the link is shown to the administrator).
    if user is None:
        return
    try:
        link = invitation_url(membership.invitation)
    except DomainError:
        # No BASE_URL to make the link with: the seat stands; an administrator renews the
        # invitation (which shows the link) once the address of the site is set.
        log.warning("no invitation mail for membership %s: no base URL", membership.id)
        return
    mails.invitation(session, user, link, reset=False, now=clock.now())
