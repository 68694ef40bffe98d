"""The voting pages, one per audience: the chair's console (open a round or adopt a formality,
enter a show of hands, close), the members' phones, and the projector for the room.

The live parts (chair's counts, voting panel, projector) poll a fragment that answers an empty
304 while its entity tag holds (see ``voting.live``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from wijkraad import clock, confirmations
from wijkraad.budget import queries as budget_queries
from wijkraad.budget import transfers
from wijkraad.councils.rules import Seat
from wijkraad.errors import Forbidden, Unauthorized
from wijkraad.extensions import db
from wijkraad.forms import ActionForm, ConfirmForm
from wijkraad.meetings import permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.meetings.views import refused
from wijkraad.messages import OUTCOME_NAMES, message_for
from wijkraad.motions import agenda
from wijkraad.motions.views import back_to, visible_motion
from wijkraad.security import current_actor
from wijkraad.voting import casting, decisions, live, queries, screens, services
from wijkraad.voting.forms import CountsForm, OpenRoundForm, VoteForm
from wijkraad.voting.models import Decision, VoteRound
from wijkraad.voting.qr import qr_svg
from wijkraad.voting.rules import Choice, GroupCounts, RoundMode, RoundStatus, Tally
from wijkraad.web import FLASH, KEEP, checked, euros, is_htmx, no_store, write

bp = Blueprint("voting", __name__)

# How often the live parts ask for news, in the hx-trigger syntax.
CHAIR_POLL = "every 1s"
PROJECTOR_POLL = "every 1s"
VOTER_POLL = "every 2s"


def _needed(entitled: int) -> int:
    """Votes needed for a valid round: more than half of the present, entitled members (3.5)."""
    return entitled // 2 + 1


def _tally_rows(tally: Tally) -> list[tuple[str, GroupCounts]]:
    return [
        (_("Bewoners"), tally.residents),
        (_("Raadsleden"), tally.councillors),
        (_("Totaal"), tally.total),
    ]


def choice_label(choice: Choice) -> str:
    return {Choice.YES: _("Voor"), Choice.NO: _("Tegen"), Choice.ABSTAIN: _("Onthouden")}[choice]


@bp.app_template_global()
def vote_choice_label(choice: Choice | str) -> str:
    return choice_label(Choice(choice))


# ---------------------------------------------------- the chair: open, decide


@bp.post("/voorstellen/<int:motion_id>/stemming")
def open_round(motion_id: int) -> Response:
    actor = current_actor()
    motion = visible_motion(motion_id)
    form = checked(OpenRoundForm())
    with write(FLASH):
        vote_round = services.open_round(
            db.session,
            actor,
            motion,
            mode=RoundMode(form.mode.data),
            now=clock.now(),
            on=clock.today(),
        )
        flash(_("De stemming over '%(title)s' is geopend.", title=motion.title), "ok")
        return redirect(url_for("voting.console", round_id=vote_round.id), code=303)
    return back_to(motion)


@bp.post("/voorstellen/<int:motion_id>/hamerslag")
def adopt_formality(motion_id: int) -> Response:
    actor = current_actor()
    motion = visible_motion(motion_id)
    checked(ActionForm())
    with write(FLASH):
        decision = decisions.adopt_formality(db.session, actor, motion, on=clock.today())
        flash(
            _(
                "Hamerslag: '%(title)s' is aangenomen (besluit %(identifier)s).",
                title=motion.title,
                identifier=decision.identifier,
            ),
            "ok",
        )
    return back_to(motion)


# ------------------------------------------------------------ chair console


def _chaired_round(round_id: int) -> VoteRound:
    vote_round = services.get_round(db.session, round_id)
    if not permissions.can_chair(current_actor(), vote_round.motion.agenda_item.meeting.council_id):
        raise Forbidden()
    return vote_round


def _console_stand(vote_round: VoteRound) -> dict[str, Any]:
    tally = queries.live_tally(db.session, vote_round)
    names = vote_round.snapshot.names
    waiting = (
        [names.get(i, "?") for i in queries.not_voted(db.session, vote_round)]
        if vote_round.mode is RoundMode.NAMED and vote_round.status is RoundStatus.OPEN
        else []
    )
    entitled = len(vote_round.snapshot.entitled)
    return {
        "votes_in": confirmations.votes_in(tally.total.cast, entitled, _needed(entitled)),
        "vote_round": vote_round,
        "tally": tally,
        "rows": _tally_rows(tally),
        "waiting": sorted(waiting),
        "entitled": entitled,
        "needed": _needed(entitled),
        "decision": queries.decision_of(db.session, vote_round)
        if vote_round.status is RoundStatus.CLOSED
        else None,
        "outcome_names": OUTCOME_NAMES,
    }


def _console_tag(round_id: int) -> tuple[str, live.Audience]:
    """The console's entity tag; 403 for anyone but the chair, before anything else is read."""
    actor = current_actor()
    marker = live.visible_marker(actor, queries.round_marker(db.session(), round_id))
    if not permissions.can_chair(actor, marker.council_id):
        raise Forbidden()
    return live.tag("console", marker, actor, round_id), live.Audience.PRIVATE


def _entitled_by_seat(vote_round: VoteRound) -> dict[str, int]:
    snap = vote_round.snapshot
    return {seat.value: snap.count(snap.entitled, seat) for seat in Seat}


def _console_page(
    vote_round: VoteRound, counts_form: CountsForm | None = None, status: int = 200
) -> tuple[str, int]:
    motion = vote_round.motion
    meeting = motion.agenda_item.meeting
    if counts_form is None:
        counts_form = CountsForm.showing(vote_round.stored_tally)
    number = meetings.numbers(meeting).get(motion.agenda_item_id, "")
    return render_template(
        "voting/console.html",
        meeting=meeting,
        motion=motion,
        number=number,
        entitled_by_seat=_entitled_by_seat(vote_round),
        close_confirmation=confirmations.close_round(named=vote_round.mode is RoundMode.NAMED),
        form=counts_form,
        counts_form=counts_form,
        poll=CHAIR_POLL,
        live_tag=_console_tag(vote_round.id)[0],
        **_console_stand(vote_round),
    ), status


@bp.get("/stemmingen/<int:round_id>/voorzitter")
def console(round_id: int) -> tuple[str, int]:
    return _console_page(_chaired_round(round_id))


@bp.get("/stemmingen/<int:round_id>/voorzitter/stand")
def console_stand(round_id: int) -> Response:
    etag, audience = _console_tag(round_id)
    if (same := live.unchanged(etag, audience)) is not None:
        return same
    stand = _console_stand(_chaired_round(round_id))
    return live.answer("voting/_console_stand.html", {"oob": True, **stand}, etag, audience)


@bp.post("/stemmingen/<int:round_id>/aantallen")
def set_counts(round_id: int) -> tuple[str, int] | Response:
    actor = current_actor()
    vote_round = _chaired_round(round_id)
    form = CountsForm()
    if form.validate_on_submit() and not form.over_entitled(_entitled_by_seat(vote_round)):
        with write(form):
            services.set_counts(db.session, actor, vote_round, form.tally())
            flash(_("De aantallen zijn ingevoerd."), "ok")
            return redirect(url_for("voting.console", round_id=vote_round.id), code=303)
    return _console_page(vote_round, form, 422)


def _close_page(vote_round: VoteRound) -> str:
    """The close's confirmation page: how far the round is, and (a show of hands) the counts,
    which the confirm form carries."""
    motion = vote_round.motion
    named = vote_round.mode is RoundMode.NAMED
    entitled = len(vote_round.snapshot.entitled)
    cast = queries.live_tally(db.session, vote_round).total.cast
    return render_template(
        "voting/close.html",
        meeting=motion.agenda_item.meeting,
        vote_round=vote_round,
        c=confirmations.close_round(named=named),
        subject=motion.title,
        action=url_for("voting.close_round", round_id=vote_round.id),
        back=url_for("voting.console", round_id=vote_round.id),
        votes_in=confirmations.votes_in(cast, entitled, _needed(entitled)) if named else "",
        counts_form=None if named else CountsForm.showing(vote_round.stored_tally),
        entitled_by_seat=_entitled_by_seat(vote_round),
    )


def _posted_counts(vote_round: VoteRound) -> CountsForm | None:
    """The counts a close of an open show of hands carries, if it carries any."""
    analog = vote_round.mode is RoundMode.ANALOG and vote_round.status is RoundStatus.OPEN
    return CountsForm() if analog and CountsForm.posted(request.form) else None


@bp.route("/stemmingen/<int:round_id>/sluiten", methods=["GET", "POST"])
def close_round(round_id: int) -> str | tuple[str, int] | Response:
    """Asks first (this page, or with script the console's dialog); closes on the confirmed
    post only. Counts typed on the console come along: they are saved with the close, or the
    close is refused while they are not right."""
    actor = current_actor()
    vote_round = _chaired_round(round_id)
    to_console = url_for("voting.console", round_id=vote_round.id)
    if request.method == "GET":
        if (refusal := decisions.close_refusal(vote_round)) is not None:
            return refused(refusal, to_console)
        return _close_page(vote_round)
    confirmed = checked(ConfirmForm()).is_confirmed()  # type: ignore[attr-defined]
    counts = _posted_counts(vote_round)
    if counts is not None and (
        not counts.validate() or counts.over_entitled(_entitled_by_seat(vote_round))
    ):
        counts.form_errors.append(_("De stemming is niet gesloten: verbeter eerst de aantallen."))
        return _console_page(vote_round, counts, 422)
    if not confirmed:
        # The first step: counts typed before are kept, then the question.
        if counts is not None:
            with write(counts) as attempt:
                services.set_counts(db.session, actor, vote_round, counts.tally())
                flash(_("De aantallen zijn opgeslagen. De stemming is nog open."), "ok")
            if counts.errors:
                return _console_page(vote_round, counts, 422)
            if attempt.refusal:
                return redirect(to_console, code=303)
        return redirect(url_for("voting.close_round", round_id=vote_round.id), code=303)
    with write(counts if counts is not None else FLASH):
        if counts is not None:
            services.set_counts(db.session, actor, vote_round, counts.tally())
        decision = decisions.close_round(
            db.session, actor, vote_round, now=clock.now(), on=clock.today()
        )
        _flash_closed(vote_round, decision)
    if counts is not None and counts.errors:
        return _console_page(vote_round, counts, 422)
    return redirect(to_console, code=303)


def _flash_closed(vote_round: VoteRound, decision: Decision | None) -> None:
    outcome = OUTCOME_NAMES[vote_round.outcome.value] if vote_round.outcome else ""
    if decision is not None:
        flash(
            _(
                "De stemming is gesloten: %(outcome)s. Besluit %(identifier)s.",
                outcome=outcome,
                identifier=decision.identifier,
            ),
            "ok",
        )
    elif vote_round.reason == decisions.BUDGET_EXCEEDED:
        motion = vote_round.motion
        line_id = transfers.money_line_id(motion) or 0
        left = budget_queries.lines_by_id(db.session, {line_id})[line_id].remaining_cents
        flash(
            _(
                "De stemming is gesloten zonder besluit: het bedrag past niet meer op de "
                "begrotingspost, waarop nog %(remaining)s over is.",
                remaining=euros(left),
            ),
            "error",
        )
    elif vote_round.reason == decisions.TOP_UP_CLOSED:
        flash(message_for(decisions.TOP_UP_CLOSED), "error")
    else:
        flash(_("De stemming is gesloten: %(outcome)s.", outcome=outcome), "ok")


# --------------------------------------------------------- members' phones


def _voter_state(meeting_id: int) -> screens.VoterView:
    """The member's panel: 401 for the anonymous, 404 for a draft the caller may not see."""
    actor = current_actor()
    if not actor.is_authenticated:
        raise Unauthorized()
    return screens.voter_view(db.session, actor, meeting_id)


def _panel_tag(meeting_id: int) -> tuple[str, live.Audience]:
    """The panel's entity tag: 401 for the anonymous, 404 for a hidden draft, first."""
    actor = current_actor()
    if not actor.is_authenticated:
        raise Unauthorized()
    marker = live.visible_marker(actor, queries.meeting_marker(db.session(), meeting_id))
    return live.tag("panel", marker, actor), live.Audience.PRIVATE


def _panel_context(state: screens.VoterView, **extra: Any) -> dict[str, Any]:
    return {
        "state": state,
        "outcome_names": OUTCOME_NAMES,
        "panel_url": url_for("voting.vote_panel", meeting_id=state.meeting.id),
        "message_for_not_entitled": message_for("not-entitled"),
        "poll": VOTER_POLL,
        **extra,
    }


def _chosen() -> Choice | None:
    """The choice a member made and has yet to confirm (``?keuze=``), if a valid one."""
    value = request.args.get("keuze", "")
    return Choice(value) if value in {c.value for c in Choice} else None


@bp.get("/vergaderingen/<int:meeting_id>/stemmen")
def vote_page(meeting_id: int) -> str:
    state = _voter_state(meeting_id)
    context = _panel_context(state, live_tag=_panel_tag(meeting_id)[0], chosen=_chosen())
    formality = agenda.formality_in_discussion(db.session, current_actor(), meeting_id)
    return render_template("voting/vote.html", formality=formality, **context)


def _panel_answer(meeting_id: int, **extra: Any) -> Response:
    """The panel as the answer to a member's own step (a choice, a vote): never cached, and
    with the panel's tag, so that the next poll does not undo it."""
    html = render_template(
        "voting/_vote_panel.html", **_panel_context(_voter_state(meeting_id), **extra)
    )
    answer = no_store(Response(html))
    answer.set_etag(_panel_tag(meeting_id)[0])
    return answer


@bp.get("/vergaderingen/<int:meeting_id>/stemmen/paneel")
def vote_panel(meeting_id: int) -> Response:
    etag, audience = _panel_tag(meeting_id)
    chosen = _chosen()
    if chosen is not None:
        # The first step of a vote: the choice, to be confirmed.
        return _panel_answer(meeting_id, chosen=chosen)
    if (same := live.unchanged(etag, audience)) is not None:
        return same
    state = _voter_state(meeting_id)
    return live.answer("voting/_vote_panel.html", _panel_context(state, oob=True), etag, audience)


@bp.post("/stemmingen/<int:round_id>/stem")
def cast_vote(round_id: int) -> Response:
    """Records a confirmed vote. A post without the confirmation (a page of before the
    confirm step) records nothing: it answers with the confirm step of its choice."""
    actor = current_actor()
    if not actor.is_authenticated:
        raise Unauthorized()
    vote_round = services.get_round(db.session, round_id)
    # A round exists only in a published or open meeting; whether the caller may vote in it is
    # the casting's to decide, under the round's lock.
    meeting_id = vote_round.meeting_id
    form = checked(VoteForm())
    choice = Choice(form.choice.data)
    if not form.is_confirmed():  # type: ignore[attr-defined]
        if is_htmx():
            return _panel_answer(meeting_id, chosen=choice)
        chosen_url = url_for("voting.vote_page", meeting_id=meeting_id, keuze=choice.value)
        return redirect(chosen_url, code=303)
    if is_htmx():
        with write(KEEP) as attempt:
            casting.cast_vote(db.session, actor, vote_round.id, choice, clock.now())
        refusal = attempt.refusal
        return _panel_answer(
            meeting_id,
            error_message=refusal.message if refusal else None,
            just_voted=None if refusal else choice,
        )
    with write(FLASH):
        casting.cast_vote(db.session, actor, vote_round.id, choice, clock.now())
        flash(_("U hebt gestemd: %(choice)s.", choice=choice_label(choice)), "ok")
    return redirect(url_for("voting.vote_page", meeting_id=meeting_id), code=303)


# ---------------------------------------------------------------- projector


def _projector_state(marker: queries.LiveMarker) -> screens.ProjectorView:
    sees_confidential = permissions.can_see_confidential(current_actor(), marker.council_id)
    return screens.projector_view(
        db.session, marker.meeting_id, sees_confidential=sees_confidential
    )


def _projector_context(state: screens.ProjectorView) -> dict[str, Any]:
    r = state.vote_round
    entitled = r.entitled if r else 0
    return {
        "state": state,
        "rows": _tally_rows(state.tally) if state.tally else [],
        "entitled": entitled,
        "needed": _needed(entitled),
        # A result stays up until the chair moves on to another agenda item or closes the
        # meeting.
        "show_round": r is not None
        and (
            r.status is RoundStatus.OPEN
            or (
                state.meeting.status is MeetingStatus.OPEN
                and (state.item is None or r.motion.agenda_item_id == state.item.id)
            )
        ),
        "decision_rule": state.meeting.council.decision_rule.value,
        "outcome_names": OUTCOME_NAMES,
        "poll": PROJECTOR_POLL,
    }


def _projector_tag(meeting_id: int) -> tuple[str, live.Audience, queries.LiveMarker]:
    """The projector's entity tag (404 for a hidden draft, first). The room's screen is public;
    a member's view of it (which shows confidential items) is for that member's browser only."""
    actor = current_actor()
    marker = live.visible_marker(actor, queries.meeting_marker(db.session(), meeting_id))
    audience = live.Audience.PRIVATE if actor.is_authenticated else live.Audience.PUBLIC
    return live.tag("projector", marker, actor), audience, marker


def voting_address(meeting_id: int) -> str:
    """Where members vote, as the room must type or scan it: on the site's configured address,
    else (a development server) the address this page was asked on."""
    base = current_app.config.get("BASE_URL")
    path = url_for("voting.vote_page", meeting_id=meeting_id)
    if base:
        return base.rstrip("/") + path.removeprefix(request.script_root)
    return url_for("voting.vote_page", meeting_id=meeting_id, _external=True)


@bp.get("/vergaderingen/<int:meeting_id>/projector")
def projector(meeting_id: int) -> str:
    etag, _audience, marker = _projector_tag(meeting_id)
    context = _projector_context(_projector_state(marker))
    address = voting_address(meeting_id)
    return render_template(
        "voting/projector.html",
        live_tag=etag,
        vote_address=address,
        vote_qr=qr_svg(address, title=_("QR-code van het stemadres %(address)s", address=address)),
        **context,
    )


@bp.get("/vergaderingen/<int:meeting_id>/projector/stand")
def projector_stand(meeting_id: int) -> Response:
    etag, audience, marker = _projector_tag(meeting_id)
    if (same := live.unchanged(etag, audience)) is not None:
        return same
    context = _projector_context(_projector_state(marker))
    return live.answer("voting/_projector_stand.html", {"oob": True, **context}, etag, audience)
