"""The minutes' pages: the minutes of a meeting (public once approved, a draft for members), its
earlier revisions and what changed between them, the secretary's edit page, the chair's
approval at a later meeting, and the page where the secretary completes the meeting's decisions.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock
from wijkraad.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from wijkraad.extensions import db
from wijkraad.forms import choices
from wijkraad.meetings import permissions
from wijkraad.meetings import services as meeting_services
from wijkraad.messages import OUTCOME_NAMES
from wijkraad.minutes import decisions, queries, reads, services
from wijkraad.minutes.diff import text_diff
from wijkraad.minutes.forms import (
    ApprovalForm,
    DecisionForm,
    MinutesForm,
    minutes_form,
    note_field,
)
from wijkraad.minutes.queries import MinutesView
from wijkraad.minutes.reads import MeetingFacts, RevisionRead
from wijkraad.publishing import queries as published
from wijkraad.publishing.queries import DecisionView
from wijkraad.security import current_actor
from wijkraad.web import FLASH, KEEP, form_status, moment, show_error, write

bp = Blueprint("minutes", __name__)

HELPERS: dict[str, Any] = {
    "outcome_names": OUTCOME_NAMES,
    "motion_outcome": reads.motion_outcome,
    "last_tally": reads.last_tally,
    "note_field": note_field,
}


def _decision_url(identifier: str) -> str:
    """The public page of a decision (the decisions archive's)."""
    return f"/besluiten/{identifier}"


# ------------------------------------------------------------------- reading


@bp.get("/vergaderingen/<int:meeting_id>/verslag")
def show(meeting_id: int) -> str:
    actor = current_actor()
    page = reads.minutes_page(db.session, actor, meeting_id)
    shown = published.decisions_of_meeting(db.session, actor, meeting_id)
    form = ApprovalForm(formdata=None)
    form.meeting_id.choices = choices(
        (m.id, f"{m.title} ({moment(m.starts_at)})") for m in page.candidates
    )
    return render_template(
        "minutes/show.html",
        page=page,
        view=page.view,
        decisions={d.motion_id: d for d in shown},
        decision_url=_decision_url,
        approval_form=form,
        can_edit=permissions.can_manage_meeting(actor, page.council_id),
        can_chair=permissions.can_chair(actor, page.council_id),
        **HELPERS,
    )


def _parts(view: MinutesView) -> list[tuple[str, str | int]]:
    """The parts of the minutes' text: the general remarks, then each agenda item's notes."""
    return [(_("Algemeen"), "remarks")] + [
        (f"{i.item.number}. {i.item.title}", i.item.id) for i in view.items
    ]


def _text(revision: RevisionRead, key: str | int) -> str:
    return revision.remarks if key == "remarks" else revision.note(int(key))


@bp.get("/vergaderingen/<int:meeting_id>/verslag/versies/<int:number>")
def version(meeting_id: int, number: int) -> str:
    actor = current_actor()
    page = reads.minutes_page(db.session, actor, meeting_id)
    asked = request.args.get("vergelijk", "")
    if asked and (not asked.isdigit() or len(asked) > 9):
        abort(400)
    compare = int(asked) if asked else number - 1
    found = reads.revisions(db.session, actor, page.view, page.council_id, {number, compare})
    if number == 0 or number not in found or compare not in found:
        raise NotFound("minutes-revision-not-found")
    shown, base = found[number], found[compare]
    changes = []
    for label, key in _parts(page.view):
        before, after = _text(base, key), _text(shown, key)
        if before != after:
            changes.append((label, text_diff(before, after)))
    return render_template(
        "minutes/version.html",
        page=page,
        view=page.view,
        shown=shown,
        base=base,
        parts=[(label, _text(shown, key)) for label, key in _parts(page.view)],
        changes=changes,
        numbers=[r.number for r in page.view.revisions],
    )


# ------------------------------------------------------------------- writing


def _editor(meeting_id: int) -> MeetingFacts:
    """The meeting whose minutes the actor writes: 404 when hidden, 403 without the right."""
    actor = current_actor()
    facts = reads.meeting_facts(db.session, actor, meeting_id)
    if not permissions.can_manage_meeting(actor, facts.council_id):
        raise Forbidden()
    return facts


def _edit_page(
    facts: MeetingFacts,
    view: MinutesView | None,
    form: MinutesForm | None,
    *,
    refusal: DomainError | None = None,
    theirs: RevisionRead | None = None,
    changed: frozenset[str | int] = frozenset(),
    taken: frozenset[str | int] = frozenset(),
    status: int = 200,
) -> tuple[str, int]:
    """The edit page; after a refused save, ``theirs`` is the text saved meanwhile, ``changed``
    the parts both writers changed (shown side by side) and ``taken`` the parts only the other
    writer changed (their text is in the field)."""
    return render_template(
        "minutes/edit.html",
        facts=facts,
        view=view,
        form=form,
        refusal=refusal,
        theirs=theirs,
        changed=changed,
        taken=taken,
        **HELPERS,
    ), status


@bp.route("/vergaderingen/<int:meeting_id>/verslag/bewerken", methods=["GET", "POST"])
def edit(meeting_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    facts = _editor(meeting_id)
    if facts.frozen:
        return _edit_page(facts, None, None, refusal=Conflict("minutes-approved"), status=409)
    meeting = meeting_services.get_meeting(db.session, meeting_id)
    if request.method == "GET":
        # The secretary's first visit once the meeting is open begins the minutes.
        with write(KEEP) as attempt:
            services.start(db.session, actor, meeting, clock.now())
        if attempt.refusal is not None:
            return _edit_page(facts, None, None, refusal=attempt.refusal, status=409)
    view = queries.minutes_view(db.session, actor, meeting_id)
    items = [entry.item for entry in view.items]
    if request.method == "GET":
        data = {note_field(entry.item.id): entry.notes for entry in view.items}
        form = minutes_form(
            items, formdata=None, based_on=str(view.revision), remarks=view.remarks, **data
        )
        return _edit_page(facts, view, form)

    form = minutes_form(items)
    if not form.validate_on_submit():
        return _edit_page(facts, view, form, status=form_status(form))
    based_on = int(form.based_on.data)
    with write(KEEP) as attempt:
        minutes = services.start(db.session, actor, meeting, clock.now())
        saved = services.save(
            db.session,
            actor,
            minutes,
            based_on=based_on,
            remarks=form.remarks.data or "",
            notes=form.notes(),
            now=clock.now(),
        )
        flash(_("Het verslag is opgeslagen als versie %(number)d.", number=saved.revision), "ok")
        return redirect(url_for("minutes.edit", meeting_id=meeting_id), code=303)
    refusal = attempt.refusal
    assert refusal is not None
    if refusal.code == "minutes-approved":
        return _edit_page(facts, None, None, refusal=refusal, status=409)
    if refusal.code != "minutes-changed":
        show_error(form, refusal)
        return _edit_page(facts, view, form, status=refusal.status)
    # Someone saved in between: keep what this writer typed, show what the other one saved
    # beside each part they changed, and let the next save start from their revision.
    view = queries.minutes_view(db.session, actor, meeting_id)
    theirs = reads.latest(view)
    base = reads.revisions(db.session, actor, view, facts.council_id, {based_on}).get(
        based_on, RevisionRead(based_on, None, None, "")
    )
    mine = RevisionRead(based_on, None, None, form.remarks.data or "", form.notes())
    changed, taken = set(), set()
    for _label, key in _parts(view):
        other = _text(theirs, key)
        if other in (_text(base, key), _text(mine, key)):
            continue
        if _text(mine, key) == _text(base, key):
            # Only the other writer changed this part: their text, or this save would undo it.
            form["remarks" if key == "remarks" else note_field(int(key))].data = other
            taken.add(key)
        else:
            changed.add(key)
    form.based_on.data = str(view.revision)
    return _edit_page(
        facts,
        view,
        form,
        refusal=refusal,
        theirs=theirs,
        changed=frozenset(changed),
        taken=frozenset(taken),
        status=409,
    )


@bp.post("/vergaderingen/<int:meeting_id>/verslag/vaststellen")
def approve(meeting_id: int) -> Response:
    actor = current_actor()
    facts = reads.meeting_facts(db.session, actor, meeting_id)
    form = ApprovalForm()
    if not form.validate_on_submit():
        abort(400)
    with write(FLASH):
        if not permissions.can_chair(actor, facts.council_id):
            raise Forbidden()
        at = None
        if form.meeting_id.data is not None:
            at = reads.meeting_of_council(db.session, facts.council_id, form.meeting_id.data)
        if at is None:
            raise Invalid("approve-at-later-meeting", field="meeting_id")
        minutes = services.minutes_of(db.session, meeting_id)
        if minutes is None:
            raise Conflict("minutes-empty")
        services.approve(db.session, actor, minutes, at_meeting=at, on=clock.today())
        flash(_("Het verslag is vastgesteld en gepubliceerd."), "ok")
    return redirect(url_for("minutes.show", meeting_id=meeting_id), code=303)


# ------------------------------------------------------------------ decisions


def _decisions_page(
    facts: MeetingFacts,
    *,
    bound: DecisionForm | None = None,
    bound_id: int | None = None,
    theirs: DecisionView | None = None,
    changed: frozenset[str] = frozenset(),
    taken: frozenset[str] = frozenset(),
    status: int = 200,
) -> tuple[str, int]:
    """The meeting's decisions, each with its form; ``bound`` the one just posted. After a
    refused save, ``theirs`` is the decision as saved meanwhile, ``changed`` the fields both
    writers changed (shown side by side), ``taken`` those only the other changed."""
    shown = published.decisions_of_meeting(db.session, current_actor(), facts.id)
    forms = {}
    for d in shown:
        if bound is not None and d.id == bound_id:
            forms[d.id] = bound
            continue
        texts = {"text": d.text, "explanation": d.explanation, "commitments": d.commitments}
        forms[d.id] = DecisionForm(
            formdata=None,
            prefix=f"besluit-{d.id}",
            based_on=decisions.decision_version(d.text, d.explanation, d.commitments),
            **texts,
            **{f"was_{name}": value for name, value in texts.items()},
        )
    return render_template(
        "minutes/decisions.html",
        facts=facts,
        decisions=shown,
        forms=forms,
        form=bound,
        bound_id=bound_id,
        theirs=theirs,
        changed=changed,
        taken=taken,
        decision_url=_decision_url,
        outcome_names=OUTCOME_NAMES,
    ), status


@bp.get("/vergaderingen/<int:meeting_id>/besluiten/aanvullen")
def decisions_page(meeting_id: int) -> tuple[str, int]:
    return _decisions_page(_editor(meeting_id))


@bp.post("/besluiten/<int:decision_id>/aanvullen")
def complete(decision_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    shown = published.decision_view(db.session, actor, decision_id)
    facts = _editor(shown.meeting_id)
    form = DecisionForm(prefix=f"besluit-{decision_id}")
    if facts.frozen:
        flash(Conflict("decision-frozen").message, "error")
        return _decisions_page(facts, status=409)
    if not form.validate_on_submit():
        return _decisions_page(facts, bound=form, bound_id=decision_id, status=form_status(form))
    with write(KEEP) as attempt:
        decisions.complete_decision(
            db.session,
            actor,
            decisions.get_decision(db.session, decision_id),
            text=form.text.data or "",
            explanation=form.explanation.data or "",
            commitments=form.commitments.data or "",
            based_on=form.based_on.data,
        )
        flash(_("Besluit %(identifier)s is bijgewerkt.", identifier=shown.identifier), "ok")
        return redirect(
            url_for(
                "minutes.decisions_page",
                meeting_id=shown.meeting_id,
                _anchor=f"besluit-{decision_id}",
            ),
            code=303,
        )
    refusal = attempt.refusal
    assert refusal is not None
    if refusal.code == "decision-frozen":
        flash(refusal.message, "error")
        facts = reads.meeting_facts(db.session, actor, shown.meeting_id)
        return _decisions_page(facts, status=409)
    if refusal.code == "decision-changed":
        # Keep what this secretary typed; show what the other one saved beside it.
        current = published.decision_view(db.session, actor, decision_id)
        changed, taken = set(), set()
        for name in DecisionForm.FIELDS:
            other, was = getattr(current, name), form[f"was_{name}"].data or ""
            if other not in (was, form[name].data or ""):
                if (form[name].data or "") == was:
                    form[name].data = other
                    taken.add(name)
                else:
                    changed.add(name)
            form[f"was_{name}"].data = other
        form.based_on.data = decisions.decision_version(
            current.text, current.explanation, current.commitments
        )
        return _decisions_page(
            facts,
            bound=form,
            bound_id=decision_id,
            theirs=current,
            changed=frozenset(changed),
            taken=frozenset(taken),
            status=409,
        )
    show_error(form, refusal)
    return _decisions_page(facts, bound=form, bound_id=decision_id, status=refusal.status)
