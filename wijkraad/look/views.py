"""The municipality's look: the administrators' page (beheer/huisstijl), the stylesheet of
its design tokens and its logo, and the privacy and accessibility statements."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.documents.storage import current_storage, storage_for
from wijkraad.errors import Forbidden
from wijkraad.extensions import db
from wijkraad.look import queries, rules, services
from wijkraad.look.forms import LookForm
from wijkraad.look.queries import Look
from wijkraad.security import current_actor
from wijkraad.web import form_status, write

log = logging.getLogger("wijkraad.look")
bp = Blueprint("look", __name__)

YEAR = 365 * 24 * 3600


def site_look() -> Look:
    """The look, read once per request (pages call it from the header, the footer, the
    title)."""
    look = g.get("site_look")
    if look is None:
        look = g.site_look = queries.shown_look(db.session)
    return look


@bp.record_once
def _globals(state) -> None:  # type: ignore[no-untyped-def]
    state.app.add_template_global(site_look, "site_look")


def _cached(response: Response, version: int) -> Response:
    """Kept a year by anyone when the address names the current version; else revalidated.
    Someone logged in keeps it in their own browser only (no shared cache sees their cookie)."""
    response.set_etag(f"look-{version}")
    if "_user_id" in session or "Authorization" in request.headers:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    elif request.args.get("v") == str(version):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.public = True
        response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/huisstijl.css")
def stylesheet() -> Response:
    look = site_look()
    response = Response(rules.stylesheet(look.colours), mimetype="text/css")
    return _cached(response, look.version)


@bp.get("/huisstijl/logo")
def logo() -> Response:
    look = site_look()
    if look.logo_sha256 is None or look.logo_media_type is None:
        abort(404)
    response = Response(mimetype=look.logo_media_type)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not request.if_none_match.contains(f"look-{look.version}"):
        try:
            with storage_for(current_app).open(look.logo_sha256) as stream:
                response.set_data(stream.read())
        except FileNotFoundError:
            log.error("logo: no file under %s", look.logo_sha256)
            abort(404)
    return _cached(response, look.version)


@bp.get("/privacy")
def privacy() -> str:
    return render_template("look/privacy.html", look=site_look())


@bp.get("/toegankelijkheid")
def accessibility() -> str:
    return render_template("look/accessibility.html", look=site_look())


@bp.route("/beheer/huisstijl", methods=["GET", "POST"])
def settings() -> tuple[str, int] | Response:
    actor = current_actor()
    if not actor.is_admin:
        raise Forbidden()
    look = site_look()
    form = LookForm(data=_form_data(look))
    if form.validate_on_submit():
        upload = form.logo.data
        data = upload.read() if upload and upload.filename else None
        with write(form):
            services.save_look(
                db.session,
                actor,
                services.LookData(
                    municipality_name=form.municipality_name.data or "",
                    colours={name: getattr(form, name).data for name in rules.COLOUR_FIELDS},
                    contact_address=form.contact_address.data or "",
                    contact_email=form.contact_email.data or "",
                    contact_phone=form.contact_phone.data or "",
                    contact_url=form.contact_url.data or "",
                    privacy_text=form.privacy_text.data or "",
                    privacy_url=form.privacy_url.data or "",
                    accessibility_text=form.accessibility_text.data or "",
                    accessibility_url=form.accessibility_url.data or "",
                ),
                seen_version=_int(form.version.data),
                now=clock.now(),
                storage=current_storage(),
                logo=data,
                remove_logo=bool(form.remove_logo.data),
            )
            flash(_("De huisstijl is bewaard."), "ok")
            return redirect(url_for("look.settings"), 303)
    return render_template("look/settings.html", form=form, look=look), form_status(form)


def _form_data(look: Look) -> dict[str, object]:
    return {
        "version": str(look.version),
        "municipality_name": look.municipality_name,
        **look.colours,
        "contact_address": look.contact_address,
        "contact_email": look.contact_email,
        "contact_phone": look.contact_phone,
        "contact_url": look.contact_url,
        "privacy_text": look.privacy_text,
        "privacy_url": look.privacy_url,
        "accessibility_text": look.accessibility_text,
        "accessibility_url": look.accessibility_url,
    }


def _int(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), 2**31 - 1))
    except ValueError:
        return -1
