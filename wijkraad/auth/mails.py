"""The mails about accounts: an invitation (or, after an administrator's reset, a link to
choose a new password) and a forgotten password's link. Queued in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from wijkraad.auth.models import User
from wijkraad.auth.services import INVITE_MAX_AGE
from wijkraad.mail import outbox
from wijkraad.mail.compose import compose


def invitation(session: Session, user: User, link: str, *, reset: bool, now: datetime) -> None:
    def subject() -> str:
        if reset:
            return _("Kies een nieuw wachtwoord voor de wijkraad")
        return _("Uw account bij de wijkraad")

    message = compose(
        "invitation",
        user.language,
        subject,
        name=user.name,
        email=user.email,
        link=link,
        reset=reset,
        days=INVITE_MAX_AGE // (24 * 3600),
    )
    outbox.enqueue(session, user.email, message, now=now)


def password_reset(session: Session, user: User, link: str, *, now: datetime) -> None:
    message = compose(
        "password_reset",
        user.language,
        lambda: _("Een nieuw wachtwoord voor de wijkraad"),
        name=user.name,
        link=link,
    )
    outbox.enqueue(session, user.email, message, now=now)
