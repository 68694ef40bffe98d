"""The member's home, where logging in leads: their councils, the next meeting of each, and a
large "Stem nu" while a round waits for their vote. Whoever sits on no council (the anonymous
visitor, an administrator) has the list of all councils at ``/`` instead."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.security import current_actor
from wijkraad.voting import home

bp = Blueprint("home", __name__)


@bp.get("/mijn")
@login_required
def mine() -> str | Response:
    actor = current_actor()
    if not actor.seats:
        return redirect(url_for("councils.index"))
    return render_template("home/mine.html", home=home.home(db.session, actor, clock.now()))
