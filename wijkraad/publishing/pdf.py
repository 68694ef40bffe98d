"""The public record's documents as PDF (PDF/A-3u, tagged, in Dutch), rendered once and served
again until what they show changes.

A document is first *prepared*: its view model is read and its digest computed (SHA-256 of the
view model and of the templates, styles and renderer it is made with), which costs a few
statements and no rendering. The digest is the document's ETag. The PDF itself is kept in
``RenderedFile`` (one row per kind and subject); it is rendered only when the stored one has
another digest, and then replaces it. Two requests rendering the same document at once both
succeed: the row is written with an upsert, the later one wins.

The renderer fetches nothing but the app's own static files for PDFs (``static/pdf/``), by
name, and the images it is handed for this one document by address (the municipality's logo,
``letterhead``): no ``file://``, no outside URL, whatever a template or a text in it names.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import weasyprint
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Session
from weasyprint.urls import URLFetcher, URLFetcherResponse

from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.budget import charts
from wijkraad.budget import report as budget_reports
from wijkraad.budget.messages import EXECUTION_NAMES
from wijkraad.messages import OUTCOME_NAMES
from wijkraad.publishing import documents, popolo, rendered
from wijkraad.publishing import letterhead as letterheads
from wijkraad.publishing import record as records
from wijkraad.publishing.letterhead import Letterhead
from wijkraad.publishing.models import RenderedFile

MEDIA_TYPE = "application/pdf"
LANGUAGE = "nl"
# Bump when the rendering changes in a way the templates and styles do not show (an option).
RENDERING = "1"
OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/a-3u", "pdf_tags": True}

_PACKAGE = Path(__file__).resolve().parent.parent
STATIC = _PACKAGE / "static" / "pdf"
TEMPLATES = _PACKAGE.parent / "templates" / "pdf"
# The base of every URL in a PDF's HTML: a name that never resolves (RFC 2606), served from disk.
STATIC_BASE = "https://wijkraad.invalid/static/pdf/"
_STATIC_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.(?:css|woff2?|ttf|otf|svg|png)")


class OwnStaticFiles(URLFetcher):
    """Serves the files in ``static/pdf/`` by name, under ``STATIC_BASE``, and each of
    ``images`` (bytes in memory) under exactly its own address; refuses every other URL
    (``file:``, ``data:``, any host), so the renderer reads nothing else and never calls out.
    A refused resource is left out; the document still renders."""

    def __init__(self, images: Mapping[str, letterheads.Image] | None = None) -> None:
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.images = dict(images or {})

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if (image := self.images.get(url)) is not None:
            return URLFetcherResponse(
                url, image.content, headers={"Content-Type": image.media_type}
            )
        name = url[len(STATIC_BASE) :] if url.startswith(STATIC_BASE) else ""
        if not _STATIC_NAME.fullmatch(name) or not (STATIC / name).is_file():
            raise ValueError(f"not one of the app's own files for PDFs: {url[:200]}")
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, (STATIC / name).read_bytes(), headers={"Content-Type": media_type}
        )


@dataclass(frozen=True)
class Attached:
    """A file embedded in the PDF (PDF/A-3 associated file)."""

    name: str
    content: bytes
    description: object  # a lazy text, in the document's language when rendered
    media_type: str = "application/json"


@dataclass(frozen=True, eq=False)
class PdfDocument:
    """A prepared document: what it shows and its digest, not yet rendered."""

    kind: str  # "decision-list", "annual-decision-list", "agenda", "budget-report"
    subject: str  # "meeting:12", "council:oost:2026"
    digest: str
    filename: str
    # Final: will not change any more (an approved decision list, the agenda of a past
    # meeting); a draft is for no public cache.
    is_final: bool
    is_draft: bool
    template: str
    context: dict[str, Any] = field(repr=False)
    # The municipality's name and logo at the document's head (part of the digest).
    letterhead: Letterhead = field(default_factory=Letterhead)
    # Made only when the document is rendered, not for a stored one or a 304.
    attachment: Callable[[], Attached] | None = field(repr=False, default=None)


@dataclass(frozen=True)
class PdfFile:
    """A rendered document: the answer of the pages and the API."""

    filename: str
    content: bytes
    digest: str
    is_final: bool
    is_draft: bool
    media_type: str = MEDIA_TYPE


# --- rendering ---------------------------------------------------------------------------------


def render_pdf(
    html: str,
    attachment: Attached | None = None,
    images: Mapping[str, letterheads.Image] | None = None,
) -> bytes:
    """HTML to PDF/A-3u, tagged, with ``attachment`` embedded and ``images`` readable by their
    addresses: the one place a PDF is made."""
    fetcher = OwnStaticFiles(images)
    attachments = []
    if attachment is not None:
        attachments.append(
            weasyprint.Attachment(
                string=attachment.content,
                name=attachment.name,
                description=str(attachment.description),
                relationship="Data",
                url_fetcher=fetcher,
            )
        )
    html_document = weasyprint.HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher)
    return html_document.write_pdf(attachments=attachments, **OPTIONS)


def css_string(value: object) -> Markup:
    """``value`` as a CSS string literal for a ``<style>`` element: every character but letters,
    digits and a few harmless marks as a hex escape, so no text ends the string or the element."""
    out = []
    for ch in str(value):
        out.append(ch if ch.isalnum() or ch in " .,-'()" else f"\\{ord(ch):x} ")
    # Safe: nothing but letters, digits, spaces, ".,-'()" and hex escapes is left.
    return Markup('"' + "".join(out) + '"')  # noqa: S704


def page_counter(text: str) -> Markup:
    """A text like "pagina %(page)s van %(pages)s" as CSS ``content`` with the page counters."""
    parts = re.split(r"(%\((?:page|pages)\)s)", text)
    out = []
    for part in parts:
        if part == "%(page)s":
            out.append("counter(page)")
        elif part == "%(pages)s":
            out.append("counter(pages)")
        elif part:
            out.append(css_string(part))
    return Markup(" ".join(out))  # noqa: S704 (css_string's output and counter() only)


def html_of(document: PdfDocument, *, with_logo: bool | None = None) -> str:
    """The document's HTML, in Dutch whatever the request's language; with the logo at its
    head when its letterhead has one (unless ``with_logo`` is False: its file is missing)."""
    if with_logo is None:
        with_logo = document.letterhead.has_logo
    with force_locale(LANGUAGE):
        template = current_app.jinja_env.get_template(document.template)
        return template.render(
            **document.context,
            letterhead=document.letterhead,
            logo_url=letterheads.LOGO_URL if with_logo else None,
            lang=LANGUAGE,
            static_base=STATIC_BASE,
            css_string=css_string,
            page_counter=page_counter(_("pagina %(page)s van %(pages)s")),
            is_draft=document.is_draft,
            outcome_names=OUTCOME_NAMES,
        )


def render(document: PdfDocument, logo: letterheads.Image | None = None) -> bytes:
    """The document as PDF, with ``logo`` (its letterhead's, read from the storage) if any."""
    html = html_of(document, with_logo=logo is not None)
    with force_locale(LANGUAGE):
        attachment = document.attachment() if document.attachment else None
        return render_pdf(html, attachment, letterheads.images(logo))


# --- digests -----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


@functools.cache
def fingerprint() -> str:
    """The templates, styles, renderer and options a document is made with."""
    digest = hashlib.sha256()
    digest.update(f"{RENDERING}|{weasyprint.__version__}|{LANGUAGE}|{OPTIONS}".encode())
    for path in sorted([*TEMPLATES.glob("*.html"), *STATIC.glob("*")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def digest_of(kind: str, view: Any) -> str:
    """SHA-256 of what a document is rendered from: its kind, its view model, the fingerprint.
    A view model is frozen dataclasses, tuples, text, numbers, dates and enums all the way
    down, whose ``repr`` names every field and value: equal views, equal ``repr``."""
    return hashlib.sha256(f"{fingerprint()}|{kind}|{view!r}".encode()).hexdigest()


# --- the documents -----------------------------------------------------------------------------


def _popolo_file(
    session: Session, view: documents.DecisionList | documents.AnnualList, description: object
) -> Attached:
    """The document's decisions as the council's Popolo export holds them (the same format,
    which ``flask verify outcomes`` checks), named after the document."""
    record = records.restricted(
        records.council_record(session, view.council_slug),
        {listed.decision.id for listed in view.decisions},
    )
    data = popolo.popolo_document(record)
    return Attached(
        name=f"{view.prefix}-besluiten.json",
        content=json.dumps(data, ensure_ascii=False, indent=2, default=_plain).encode(),
        description=description,
    )


def decision_list_document(session: Session, actor: Actor, meeting_id: int) -> PdfDocument:
    """The meeting's decision list, prepared: NotFound for a meeting ``actor`` may not see,
    Conflict (409 meeting-not-closed) before it is closed."""
    view = documents.decision_list(session, actor, meeting_id)
    kind = "decision-list"
    head = letterheads.current(session)
    return PdfDocument(
        kind=kind,
        subject=f"meeting:{meeting_id}",
        digest=digest_of(kind, (view, head)),
        filename=f"{view.prefix}-besluitenlijst{'-concept' if view.is_draft else ''}.pdf",
        is_final=not view.is_draft,
        is_draft=view.is_draft,
        template="pdf/decision_list.html",
        context={"list": view},
        letterhead=head,
        attachment=lambda: _popolo_file(
            session, view, _l("De besluiten van deze vergadering in Popolo-formaat (JSON)")
        ),
    )


def annual_list_document(session: Session, slug: str, year: int) -> PdfDocument:
    """The council's decisions of ``year``, prepared; NotFound for a year without any."""
    view = documents.annual_list(session, slug, year)
    kind = "annual-decision-list"
    head = letterheads.current(session)
    return PdfDocument(
        kind=kind,
        subject=f"council:{view.council_slug}:{year}",
        digest=digest_of(kind, (view, head)),
        filename=f"{view.prefix}-besluiten.pdf",
        # Until the year is over, its later decisions still change it.
        is_final=year < clock.today().year,
        is_draft=False,
        template="pdf/annual_list.html",
        context={"list": view},
        letterhead=head,
        attachment=lambda: _popolo_file(
            session, view, _l("De besluiten van dit jaar in Popolo-formaat (JSON)")
        ),
    )


def agenda_document(session: Session, actor: Actor, meeting_id: int) -> PdfDocument:
    """The meeting's agenda, prepared: NotFound for a meeting ``actor`` may not see."""
    view = documents.agenda(session, actor, meeting_id)
    kind = "agenda"
    head = letterheads.current(session)
    return PdfDocument(
        kind=kind,
        subject=f"meeting:{meeting_id}",
        digest=digest_of(kind, (view, head)),
        filename=f"{view.prefix}-agenda{'-concept' if view.is_draft else ''}.pdf",
        is_final=view.status.value in ("closed", "cancelled"),
        is_draft=view.is_draft,
        template="pdf/agenda.html",
        context={"agenda": view},
        letterhead=head,
    )


def _report_file(view: budget_reports.BudgetReport) -> Attached:
    """The report's figures as JSON: the same view the PDF shows, amounts in integer cents."""
    data = dataclasses.asdict(view)
    data["figures"]["remaining_cents"] = view.figures.remaining_cents
    for line, shown in zip(data["lines"], view.lines, strict=True):
        line["figures"]["remaining_cents"] = shown.figures.remaining_cents
    return Attached(
        name=f"{view.council_slug}-verantwoording-{view.year}.json",
        content=json.dumps(data, ensure_ascii=False, indent=2, default=_plain).encode(),
        description=_l("De cijfers van deze verantwoording als gegevens (JSON)"),
    )


def budget_report_document(session: Session, slug: str, year: int) -> PdfDocument:
    """The accountability report of the council's budget of ``year``, prepared: NotFound for
    a council or a year without a budget. Public: the same for every reader."""
    view = budget_reports.budget_report(session, slug, year)
    kind = "budget-report"
    lines = [line.figures for line in view.lines]
    head = letterheads.current(session)
    return PdfDocument(
        kind=kind,
        subject=f"council:{view.council_slug}:{year}",
        digest=digest_of(kind, (view, head)),
        filename=f"{view.council_slug}-verantwoording-{year}.pdf",
        # Decisions of the year are carried out, and noted, after it ends.
        is_final=False,
        is_draft=False,
        template="pdf/budget_report.html",
        context={
            "report": view,
            "line_bars": list(zip(view.lines, charts.bars(lines), strict=True)),
            "chart_width": charts.WIDTH,
            "chart_height": charts.height(len(lines)),
            "status_names": EXECUTION_NAMES,
        },
        attachment=lambda: _report_file(view),
        letterhead=head,
    )


# --- kept once rendered ------------------------------------------------------------------------


def _store(session: Session, document: PdfDocument, content: bytes) -> None:
    rendered.keep(
        session,
        kind=document.kind,
        subject=document.subject,
        digest=document.digest,
        media_type=MEDIA_TYPE,
        content=content,
    )


def stored_or_rendered(session: Session, document: PdfDocument) -> PdfFile:
    """The document's PDF: the stored one when its digest matches (one statement), otherwise
    rendered now and stored in place of the old one (the caller commits). Two requests doing
    this at once both succeed; the row ends with one of their renderings. One rendered without
    its logo, as the logo's file is missing, is served but not kept."""
    content = session.scalar(
        sa.select(RenderedFile.content).where(
            RenderedFile.kind == document.kind,
            RenderedFile.subject == document.subject,
            RenderedFile.digest == document.digest,
        )
    )
    if content is None:
        logo = letterheads.logo_of(document.letterhead)
        content = render(document, logo)
        if logo is not None or not document.letterhead.has_logo:
            _store(session, document, content)
    return PdfFile(
        filename=document.filename,
        content=content,
        digest=document.digest,
        is_final=document.is_final,
        is_draft=document.is_draft,
    )


# --- one function per answer (the pages and the API) -------------------------------------------


def decision_list_pdf(session: Session, actor: Actor, meeting_id: int) -> PdfFile:
    """``GET /api/v1/meetings/{id}/decision-list.pdf``: 404 for a meeting the actor may not see,
    409 meeting-not-closed before it is closed, else the PDF (a draft until the minutes are
    approved). Writes the stored file when it renders: the caller commits."""
    return stored_or_rendered(session, decision_list_document(session, actor, meeting_id))


def annual_list_pdf(session: Session, slug: str, year: int) -> PdfFile:
    return stored_or_rendered(session, annual_list_document(session, slug, year))


def agenda_pdf(session: Session, actor: Actor, meeting_id: int) -> PdfFile:
    return stored_or_rendered(session, agenda_document(session, actor, meeting_id))


def budget_report_pdf(session: Session, slug: str, year: int) -> PdfFile:
    return stored_or_rendered(session, budget_report_document(session, slug, year))
