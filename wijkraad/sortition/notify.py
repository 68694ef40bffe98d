"""What follows a reply outside the draw itself: an accepted resident seated in the council
gets the mail of the appointment's account invitation, with the link that confirms the seat
(the same link an appointer hands over)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from wijkraad import clock
from wijkraad.auth import mails
from wijkraad.councils.invitation_views import invitation_url
from wijkraad.councils.models import Membership
from wijkraad.sortition.models import Invitation


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
    mails.invitation(
        session, user, invitation_url(membership.invitation), reset=False, now=clock.now()
    )
