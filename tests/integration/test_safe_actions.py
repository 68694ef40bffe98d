"""Drastic actions during a meeting ask first, on a page (without script) or in a dialog that
carries the same form: closing a round, closing or cancelling a meeting, withdrawing a motion.
Nothing happens without the confirmation; every post answers with a redirect or a form. A
member's phone vote is chosen, then confirmed. Counts typed on the console are saved with the
close, or the close is refused while they are not right, naming the group."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_from
from tests.integration import test_meeting_pages as pages
from tests.integration.test_meeting_pages import (
    CHAIR,
    COUNTS,
    MEMBER,
    MOTION,
    Round,
    counts,
    field_input,
    follow,
    open_round,
    post,
    prepared,
    squash,
    submit_motion,
    text,
)
from wijkraad.audit import AuditEvent
from wijkraad.extensions import db
from wijkraad.meetings.models import Meeting
from wijkraad.motions.models import Motion
from wijkraad.voting.models import Decision, Vote, VoteRound
from wijkraad.voting.rules import RoundStatus

# The fixtures of the meeting pages: council oost, and a named round open in its meeting.
oost = pages.oost
named = pages.named

CONFIRMED = {"confirmed": "yes"}


def round_status(app, round_id: int) -> RoundStatus:
    with app.app_context():
        return db.session.get(VoteRound, round_id).status


def audit_count(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


# ------------------------------------------------------------------ closing a round


def test_closing_a_named_round_asks_first_on_a_page_naming_what_is_at_stake(oost, named):
    console = text(named.chair.get(f"/stemmingen/{named.round_id}/voorzitter"))
    close_url = f"/stemmingen/{named.round_id}/sluiten"
    # The console's button opens the question: a GET form, its dialog next to it.
    assert f'<form class="app-inline-form" method="get" action="{close_url}">' in console
    assert 'data-confirm="stemming-sluiten"' in console and "<dialog" in console
    assert 'id="votes-in">0 van 9 stemmen binnen.' in console

    page = named.chair.get(close_url)
    assert page.status_code == 200
    flat = squash(text(page))
    assert "Stemming sluiten?" in flat and MOTION in flat
    assert "Wie nog niet stemde, kan daarna niet meer stemmen." in flat
    assert "0 van 9 stemmen binnen. Sluit u nu, dan is de stemming ongeldig." in flat
    assert 'name="confirmed" value="yes"' in text(page)
    assert f'href="/stemmingen/{named.round_id}/voorzitter">Terug</a>' in text(page)
    assert round_status(oost.app, named.round_id) is RoundStatus.OPEN

    # A post without the confirmation closes nothing: it leads to the question.
    response = post(named.chair, close_url)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(close_url)
    assert round_status(oost.app, named.round_id) is RoundStatus.OPEN
    assert audit_count(oost.app, "round.close") == 0

    response = post(named.chair, close_url, CONFIRMED)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/stemmingen/{named.round_id}/voorzitter")
    assert "De stemming is gesloten: ongeldig (te weinig deelname)." in follow(
        named.chair, response
    )
    assert round_status(oost.app, named.round_id) is RoundStatus.CLOSED
    # Once closed, the question is gone, and a second confirmed close changes nothing.
    again = named.chair.get(close_url)
    assert again.status_code == 303
    assert "Deze stemming is gesloten." in follow(
        named.chair, post(named.chair, close_url, CONFIRMED)
    )
    assert audit_count(oost.app, "round.close") == 1


def test_only_the_chair_is_asked_to_close_a_round(oost, named):
    member = oost.browser(MEMBER)
    assert member.get(f"/stemmingen/{named.round_id}/sluiten").status_code == 403
    response = post(member, f"/stemmingen/{named.round_id}/sluiten", CONFIRMED)
    assert response.status_code == 403
    assert round_status(oost.app, named.round_id) is RoundStatus.OPEN


@pytest.fixture
def analog(oost) -> Round:
    meeting_id, (item_id,) = prepared(oost, ("Verlichting", {}))
    motion_id = submit_motion(
        oost.browser(MEMBER), item_id, "Meer lantaarnpalen", "Tien palen erbij."
    )
    chair = oost.browser(CHAIR)
    return Round(meeting_id, motion_id, open_round(chair, motion_id, "analog"), chair)


def typed(*values: str) -> dict[str, str]:
    return dict(zip(COUNTS, values, strict=True))


def test_counts_typed_on_the_console_are_saved_with_the_close(oost, analog):
    console_url = f"/stemmingen/{analog.round_id}/voorzitter"
    close_url = f"/stemmingen/{analog.round_id}/sluiten"
    console = text(analog.chair.get(console_url))
    # "Stemming sluiten" is a button of the counts form itself: the typed counts come along.
    form = re.search(r'<form[^>]*id="counts-form".*?</form>', console, re.S).group(0)
    assert f'formaction="{close_url}" data-confirm="stemming-sluiten">Stemming sluiten' in form
    assert 'form="counts-form"' in console  # the dialog's confirm button submits that form

    # Confirmed (the dialog), without "Aantallen invoeren" first: saved and closed at once.
    response = analog.chair.post_form(
        close_url, {**typed("5", "1", "0", "2", "1", "0"), **CONFIRMED}, page=console_url
    )
    assert response.status_code == 303
    console = follow(analog.chair, response)
    assert "De stemming is gesloten: aangenomen. Besluit OOS-2026-001." in console
    assert counts(console)["Totaal"] == [7, 2, 0, 9]
    assert audit_count(oost.app, "round.counts") == 1


def test_without_script_the_close_keeps_the_typed_counts_and_then_asks(oost, analog):
    console_url = f"/stemmingen/{analog.round_id}/voorzitter"
    close_url = f"/stemmingen/{analog.round_id}/sluiten"
    response = analog.chair.post_form(
        close_url, typed("1", "4", "1", "0", "3", "0"), page=console_url
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(close_url)
    assert round_status(oost.app, analog.round_id) is RoundStatus.OPEN
    page = text(analog.chair.get(response.headers["Location"]))
    assert "De aantallen zijn opgeslagen. De stemming is nog open." in page
    assert "Daarna kunt u de aantallen niet meer verbeteren." in squash(page)
    # The question carries the counts, as saved; they can still be put right there.
    assert 'value="4"' in field_input(page, "residents_no")
    assert 'value="3"' in field_input(page, "councillors_no")
    fields = {
        name: re.search(r'value="(\d+)"', field_input(page, name)).group(1) for name in COUNTS
    }
    response = analog.chair.client.post(
        close_url, data={**fields, "confirmed": "yes", "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 303
    console = follow(analog.chair, response)
    assert "De stemming is gesloten: verworpen." in console
    assert counts(console)["Totaal"] == [1, 7, 1, 9]


def test_a_close_with_too_many_hands_is_refused_naming_the_group(oost, analog):
    console_url = f"/stemmingen/{analog.round_id}/voorzitter"
    close_url = f"/stemmingen/{analog.round_id}/sluiten"
    # Six residents and three councillors are entitled.
    response = analog.chair.post_form(
        close_url, {**typed("2", "2", "0", "3", "1", "0"), **CONFIRMED}, page=console_url
    )
    assert response.status_code == 422
    page = text(response)
    flat = squash(page)
    assert "De stemming is niet gesloten: verbeter eerst de aantallen." in flat
    assert "Raadsleden: samen 4 stemmen, maar er zijn 3 stemgerechtigd." in flat
    assert "Bewoners: samen" not in flat
    summary = re.search(r'<div class="utrecht-alert[^"]*app-error-summary".*?</ul>', page, re.S)
    assert summary and 'role="alert"' in summary.group(0)
    assert 'href="#councillors_yes">Raadsleden voor: Raadsleden: samen 4' in summary.group(0)
    for name in ("councillors_yes", "councillors_no", "councillors_abstain"):
        assert 'aria-invalid="true"' in field_input(page, name)
    for name in ("residents_yes", "residents_no"):
        assert "aria-invalid" not in field_input(page, name)
    assert 'value="3"' in field_input(page, "councillors_yes")  # as typed
    assert round_status(oost.app, analog.round_id) is RoundStatus.OPEN
    assert audit_count(oost.app, "round.counts") == 0

    # Not a number: refused too, on its field.
    response = analog.chair.post_form(
        close_url, {**typed("x", "2", "0", "1", "1", "0"), **CONFIRMED}, page=console_url
    )
    assert response.status_code == 422
    assert "Bewoners voor: Ongeldig getal." in squash(text(response))
    assert round_status(oost.app, analog.round_id) is RoundStatus.OPEN


def test_entering_counts_names_the_group_over_its_members(oost, analog):
    console_url = f"/stemmingen/{analog.round_id}/voorzitter"
    response = analog.chair.post_form(
        f"/stemmingen/{analog.round_id}/aantallen",
        typed("7", "0", "0", "1", "0", "0"),
        page=console_url,
    )
    assert response.status_code == 422
    page = text(response)
    assert "Bewoners: samen 7 stemmen, maar er zijn 6 stemgerechtigd." in squash(page)
    assert 'aria-invalid="true"' in field_input(page, "residents_abstain")
    assert "aria-invalid" not in field_input(page, "councillors_yes")


def test_closes_carrying_counts_at_the_same_moment_record_one_result(app, oost, analog):
    from tests.integration.test_races import together

    console_url = f"/stemmingen/{analog.round_id}/voorzitter"
    close_url = f"/stemmingen/{analog.round_id}/sluiten"
    login = oost.browser(CHAIR)
    token = csrf_from(text(login.get(console_url)))
    cookie = login.client.get_cookie("session")

    def closing(values: dict[str, str]):
        def call(client):
            client.set_cookie(cookie.key, cookie.value)
            return client.post(close_url, data={**values, **CONFIRMED, "csrf_token": token})

        return call

    answers = together(
        app,
        [
            closing(typed("5", "1", "0", "2", "1", "0")),
            closing(typed("1", "5", "0", "1", "2", "0")),
        ],
    )
    assert [a.status_code for a in answers] == [303, 303]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 1
        vote_round = db.session.get(VoteRound, analog.round_id)
        assert vote_round.status is RoundStatus.CLOSED
        stored = vote_round.stored_tally.total
    assert audit_count(app, "round.close") == 1
    assert audit_count(app, "round.counts") == 1
    # The result is the one of the counts that closed it.
    assert (stored.yes, stored.no) in {(7, 2), (2, 7)}


# ------------------------------------------------------------------- the meeting


def meeting_status(app, meeting_id: int) -> str:
    with app.app_context():
        return db.session.get(Meeting, meeting_id).status.value


def test_closing_the_meeting_asks_first(oost):
    meeting_id, _items = prepared(oost, ("Rondvraag", {}))
    chair = oost.browser(CHAIR)
    page = text(chair.get(f"/vergaderingen/{meeting_id}"))
    url = f"/vergaderingen/{meeting_id}/sluiten"
    assert f'method="get" action="{url}"' in page and 'id="vergadering-sluiten"' in page

    question = chair.get(url)
    assert question.status_code == 200
    flat = squash(text(question))
    assert "Vergadering sluiten?" in flat and "Ja, vergadering sluiten" in flat
    assert "Daarna kan in deze vergadering niet meer worden gestemd of besloten." in flat
    assert f'href="/vergaderingen/{meeting_id}">Terug</a>' in text(question)

    response = post(chair, url)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    assert meeting_status(oost.app, meeting_id) == "open"
    response = post(chair, url, CONFIRMED)
    assert response.status_code == 303
    assert "De vergadering is gesloten." in follow(chair, response)
    assert meeting_status(oost.app, meeting_id) == "closed"


def test_cancelling_the_meeting_asks_first(oost):
    meeting_id, _items = prepared(oost, ("Rondvraag", {}), open_it=False)
    secretary = oost.browser("Bram de Vries")
    url = f"/vergaderingen/{meeting_id}/annuleren"
    assert 'id="vergadering-annuleren"' in text(secretary.get(f"/vergaderingen/{meeting_id}"))
    flat = squash(text(secretary.get(url)))
    assert "Vergadering annuleren?" in flat and "krijgt bericht van de annulering" in flat

    response = post(secretary, url)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    assert meeting_status(oost.app, meeting_id) == "published"
    assert "De vergadering is geannuleerd." in follow(secretary, post(secretary, url, CONFIRMED))
    assert meeting_status(oost.app, meeting_id) == "cancelled"


def test_only_who_may_are_asked_about_the_meeting(oost):
    meeting_id, _items = prepared(oost, ("Rondvraag", {}), open_it=False)
    member = oost.browser(MEMBER)
    for action in ("annuleren", "sluiten"):
        url = f"/vergaderingen/{meeting_id}/{action}"
        assert member.get(url).status_code == 403
        assert post(member, url).status_code == 403
        assert post(member, url, CONFIRMED).status_code == 403
    assert meeting_status(oost.app, meeting_id) == "published"


# ------------------------------------------------------------------ withdrawing


def test_withdrawing_a_motion_asks_first(oost):
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}))
    author = oost.browser(MEMBER)
    motion_id = submit_motion(author, item_id, MOTION, "Twee schommels.")
    url = f"/voorstellen/{motion_id}/intrekken"
    page = text(author.get(f"/vergaderingen/{meeting_id}"))
    assert f'method="get" action="{url}"' in page and f'id="intrekken-{motion_id}"' in page

    flat = squash(text(author.get(url)))
    assert f"'{MOTION}' intrekken?" in flat
    assert "Het voorstel komt dan niet meer in stemming." in flat

    response = post(author, url)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    with oost.app.app_context():
        assert db.session.get(Motion, motion_id).status.value == "submitted"
    response = post(author, url, CONFIRMED)
    assert f"'{MOTION}' is ingetrokken." in squash(follow(author, response))
    with oost.app.app_context():
        assert db.session.get(Motion, motion_id).status.value == "withdrawn"

    other = oost.browser("Daan Visser")
    assert other.get(url).status_code == 403


# --------------------------------------------------------------- the phone vote


def votes_of(app, round_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(Vote).where(Vote.round_id == round_id)
        )


def test_a_phone_vote_is_chosen_then_confirmed_without_script(oost, named):
    member = oost.browser(MEMBER)
    page_url = f"/vergaderingen/{named.meeting_id}/stemmen"
    phone = text(member.get(page_url))
    # Choosing is a GET: it records nothing.
    assert phone.count(f'method="get" action="{page_url}"') == 3
    assert 'name="keuze" value="no"' in phone
    assert f'action="/stemmingen/{named.round_id}/stem"' not in phone

    chosen = text(member.get(page_url, query_string={"keuze": "no"}))
    flat = squash(chosen)
    assert "U kiest: Tegen" in flat and "Bevestigen: Tegen" in flat and "Andere keuze" in flat
    assert 'name="confirmed" value="yes"' in chosen
    assert votes_of(oost.app, named.round_id) == 0

    response = member.client.post(
        f"/stemmingen/{named.round_id}/stem",
        data={"choice": "no", "confirmed": "yes", "csrf_token": csrf_from(chosen)},
    )
    assert response.status_code == 303
    done = squash(follow(member, response))
    assert "U hebt gestemd: Tegen" in done
    assert "Uw stem is vastgelegd en kan niet meer worden veranderd." in done
    assert votes_of(oost.app, named.round_id) == 1


def test_a_vote_posted_without_confirmation_leads_to_the_confirm_step(oost, named):
    member = oost.browser(MEMBER)
    response = post(member, f"/stemmingen/{named.round_id}/stem", {"choice": "yes"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/vergaderingen/{named.meeting_id}/stemmen?keuze=yes"
    )
    assert "U kiest: Voor" in follow(member, response)
    assert votes_of(oost.app, named.round_id) == 0

    answer = post(
        member,
        f"/stemmingen/{named.round_id}/stem",
        {"choice": "yes"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200 and "U kiest: Voor" in text(answer)
    assert votes_of(oost.app, named.round_id) == 0


def test_the_choice_step_of_the_panel_holds_while_the_round_is_offered(oost, named):
    member = oost.browser(MEMBER)
    panel_url = f"/vergaderingen/{named.meeting_id}/stemmen/paneel"
    chosen = member.get(panel_url, query_string={"keuze": "abstain"})
    assert chosen.status_code == 200 and chosen.headers["Cache-Control"] == "no-store"
    assert chosen.headers.get("ETag")
    html = text(chosen)
    assert f'data-vote-hold="{named.round_id}"' in html and "U kiest: Onthouden" in html
    polled = text(member.get(panel_url))
    assert f'data-vote-offer="{named.round_id}"' in polled and "U kiest" not in polled

    answer = post(
        member,
        f"/stemmingen/{named.round_id}/stem",
        {"choice": "abstain", **CONFIRMED},
        headers={"HX-Request": "true"},
    )
    assert "U hebt gestemd: Onthouden" in squash(text(answer))
    assert "data-vote-offer" not in text(member.get(panel_url))
    # A choice after the vote shows the vote, not a second question.
    after = text(member.get(panel_url, query_string={"keuze": "yes"}))
    assert "U kiest" not in after and "U hebt gestemd: Onthouden" in squash(after)
