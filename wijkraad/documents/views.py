"""The documents' pages: the documents of an agenda item or a motion, where they are added and
removed, and the download of a file."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.documents import queries, services
from wijkraad.documents.files import FORM_MARGIN, file_response, max_bytes
from wijkraad.documents.forms import DocumentForm
from wijkraad.documents.storage import current_storage
from wijkraad.errors import Forbidden
from wijkraad.extensions import db
from wijkraad.forms import ActionForm
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem
from wijkraad.messages import message_for
from wijkraad.motions.models import Motion
from wijkraad.security import current_actor
from wijkraad.voting import meeting_reads
from wijkraad.web import FLASH, allow_large_body, checked, form_status, write

bp = Blueprint("documents", __name__)

# The routes that take a file: their request may be as large as a document (and its form).
allow_large_body(
    lambda: max_bytes() + FORM_MARGIN,
    "documents.item_documents",
    "documents.motion_documents",
    "api.upload_item_document",
    "api.upload_motion_document",
)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> tuple[str, int]:
    megabytes = max_bytes() // (1024 * 1024)
    message = message_for("document-too-large", megabytes=megabytes)
    return render_template("errors/error.html", status=413, message=message), 413


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """A file's size as people read it: "820 kB", "2,4 MB"."""
    if size < 1024 * 1024:
        return _("%(size)s kB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


def _owner_page(owner: AgendaItem | Motion) -> str:
    if isinstance(owner, AgendaItem):
        return url_for("documents.item_documents", item_id=owner.id)
    return url_for("documents.motion_documents", motion_id=owner.id)


@bp.route("/agendapunten/<int:item_id>/documenten", methods=["GET", "POST"])
def item_documents(item_id: int) -> tuple[str, int] | Response:
    return _manage(meeting_queries.visible_item(db.session, current_actor(), item_id))


@bp.route("/voorstellen/<int:motion_id>/documenten", methods=["GET", "POST"])
def motion_documents(motion_id: int) -> tuple[str, int] | Response:
    return _manage(meeting_reads.visible_motion(db.session, current_actor(), motion_id))


def _manage(owner: AgendaItem | Motion) -> tuple[str, int] | Response:
    actor = current_actor()
    if not services.may_manage(actor, owner):
        raise Forbidden()
    meeting = services.meeting_of(owner)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(max_bytes() + 1) if upload else b""
        with write(form):
            document = services.upload(
                db.session,
                actor,
                current_storage(),
                owner,
                title=form.title.data,
                filename=upload.filename if upload else None,
                data=data,
                max_bytes=max_bytes(),
                now=clock.now(),
            )
            flash(_("Document '%(title)s' is toegevoegd.", title=document.title), "ok")
            return redirect(_owner_page(owner), code=303)
    item = owner if isinstance(owner, AgendaItem) else owner.agenda_item
    return render_template(
        "documents/manage.html",
        form=form,
        owner=owner,
        is_motion=isinstance(owner, Motion),
        item=item,
        number=meetings.numbers(meeting).get(item.id, ""),
        meeting=meeting,
        documents=queries.documents_of(db.session, owner),
        open_for_documents=services.is_open_for_documents(meeting),
        max_mb=max_bytes() // (1024 * 1024),
        remove_form=ActionForm(formdata=None),
    ), form_status(form)


@bp.post("/documenten/<int:document_id>/verwijderen")
def remove(document_id: int) -> Response:
    actor = current_actor()
    document = services.get_document(db.session, document_id)
    owner = queries.visible_owner(db.session, actor, document)
    checked(ActionForm())
    title = document.title
    unused = None
    with write(FLASH) as attempt:
        unused = services.remove(db.session, actor, document)
        flash(_("Document '%(title)s' is verwijderd.", title=title), "ok")
    if attempt.refusal is None and unused is not None:
        # Only now that the removal is committed: had it failed, the file would still be used.
        current_storage().delete(unused)
    return redirect(_owner_page(owner), code=303)


@bp.get("/documenten/<int:document_id>/<filename>")
def download(document_id: int, filename: str) -> Response:
    document = queries.visible_document(db.session, current_actor(), document_id)
    if filename != document.filename:
        return redirect(
            url_for("documents.download", document_id=document.id, filename=document.filename)
        )
    return file_response(document)
