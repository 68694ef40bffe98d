"""A drastic button never asks a question that cannot be answered with yes. When closing a
round, closing or cancelling a meeting or withdrawing a motion is impossible at that moment,
the confirmation page (its GET) answers as the confirmed post would: back (303) to where the
button was, with the same refusal. Who may not act at all still gets 403 first. Where the
action is possible, the question is asked as before."""

from __future__ import annotations

from tests.integration import test_meeting_pages as pages
from tests.integration.test_meeting_pages import (
    CHAIR,
    MEMBER,
    MOTION,
    follow,
    post,
    prepared,
    squash,
    submit_motion,
    text,
)

oost = pages.oost
named = pages.named

CONFIRMED = {"confirmed": "yes"}
SECRETARY = "Bram de Vries"


def refused_to(web, url: str, back: str, message: str) -> str:
    """Asks ``url`` as its button does (a GET): it must lead back to ``back`` with
    ``message``, asking nothing. The page it leads to, flattened."""
    response = web.get(url)
    assert response.status_code == 303, text(response)[:500]
    assert response.headers["Location"].endswith(back)
    page = squash(follow(web, response))
    assert message in page
    return page


def asks(web, url: str, heading: str) -> str:
    response = web.get(url)
    assert response.status_code == 200
    page = text(response)
    assert heading in squash(page) and 'name="confirmed" value="yes"' in page
    return page


def refused_post(web, url: str, message: str) -> None:
    """The confirmed post gives the same refusal as the question did."""
    assert message in squash(follow(web, post(web, url, CONFIRMED)))


# ------------------------------------------------------------------- a vote round


def test_a_closed_round_is_not_asked_to_close_again(oost, named):
    url = f"/stemmingen/{named.round_id}/sluiten"
    console = f"/stemmingen/{named.round_id}/voorzitter"
    asks(named.chair, url, "Stemming sluiten?")
    assert post(named.chair, url, CONFIRMED).status_code == 303

    page = refused_to(named.chair, url, console, "Deze stemming is gesloten.")
    assert "Stemming sluiten?" not in page
    refused_post(named.chair, url, "Deze stemming is gesloten.")
    # Who may not close it is still refused before anything is said about its state.
    assert oost.browser(MEMBER).get(url).status_code == 403


# -------------------------------------------------------------------- the meeting


def test_the_meeting_is_not_asked_to_close_while_a_round_is_open(oost, named):
    meeting = f"/vergaderingen/{named.meeting_id}"
    url = f"{meeting}/sluiten"
    page = refused_to(named.chair, url, meeting, "Sluit eerst de lopende stemming.")
    # No button that could only be refused: the page says when it can.
    assert 'id="vergadering-sluiten"' not in page and "Vergadering sluiten?" not in page
    assert "Na de lopende stemming kunt u de vergadering sluiten." in page
    refused_post(named.chair, url, "Sluit eerst de lopende stemming.")

    post(named.chair, f"/stemmingen/{named.round_id}/sluiten", CONFIRMED)
    page = text(named.chair.get(meeting))
    assert 'id="vergadering-sluiten"' in page
    assert "Na de lopende stemming" not in page
    asks(named.chair, url, "Vergadering sluiten?")


def test_a_meeting_not_open_is_not_asked_to_close(oost):
    meeting_id, _items = prepared(oost, ("Rondvraag", {}), open_it=False)
    chair = oost.browser(CHAIR)
    meeting = f"/vergaderingen/{meeting_id}"
    url = f"{meeting}/sluiten"
    message = "Dat kan niet: de vergadering is nu gepubliceerd."
    page = refused_to(chair, url, meeting, message)
    assert 'id="vergadering-sluiten"' not in page
    refused_post(chair, url, message)
    # Permission first: a member gets 403, not the state of the meeting.
    assert oost.browser(MEMBER).get(url).status_code == 403


def test_a_closed_meeting_is_asked_neither_to_close_nor_to_cancel(oost):
    meeting_id, _items = prepared(oost, ("Rondvraag", {}))
    chair = oost.browser(CHAIR)
    secretary = oost.browser(SECRETARY)
    meeting = f"/vergaderingen/{meeting_id}"
    # Open: it can be closed, not cancelled.
    asks(chair, f"{meeting}/sluiten", "Vergadering sluiten?")
    refused_to(
        secretary, f"{meeting}/annuleren", meeting, "Dat kan niet: de vergadering is nu geopend."
    )
    assert post(chair, f"{meeting}/sluiten", CONFIRMED).status_code == 303

    message = "Dat kan niet: de vergadering is nu gesloten."
    page = refused_to(chair, f"{meeting}/sluiten", meeting, message)
    assert "Vergadering sluiten?" not in page and "Vergadering annuleren?" not in page
    page = refused_to(secretary, f"{meeting}/annuleren", meeting, message)
    assert 'id="vergadering-annuleren"' not in page
    refused_post(secretary, f"{meeting}/annuleren", message)
    for action in ("sluiten", "annuleren"):
        assert oost.browser(MEMBER).get(f"{meeting}/{action}").status_code == 403


def test_a_cancelled_meeting_is_not_asked_to_cancel_again(oost):
    meeting_id, _items = prepared(oost, ("Rondvraag", {}), open_it=False)
    secretary = oost.browser(SECRETARY)
    meeting = f"/vergaderingen/{meeting_id}"
    url = f"{meeting}/annuleren"
    asks(secretary, url, "Vergadering annuleren?")
    assert post(secretary, url, CONFIRMED).status_code == 303

    message = "Dat kan niet: de vergadering is nu geannuleerd."
    page = refused_to(secretary, url, meeting, message)
    assert "Vergadering annuleren?" not in page
    refused_post(secretary, url, message)
    refused_to(oost.browser(CHAIR), f"{meeting}/sluiten", meeting, message)


# ---------------------------------------------------------------------- a motion


def test_a_withdrawn_motion_is_not_asked_to_withdraw_again(oost):
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}))
    author = oost.browser(MEMBER)
    motion_id = submit_motion(author, item_id, MOTION, "Twee schommels.")
    url = f"/voorstellen/{motion_id}/intrekken"
    back = f"/vergaderingen/{meeting_id}#voorstel-{motion_id}"
    asks(author, url, f"'{MOTION}' intrekken?")
    assert post(author, url, CONFIRMED).status_code == 303

    message = "Dat kan niet: het voorstel is nu ingetrokken."
    for who in (author, oost.browser(CHAIR)):
        page = refused_to(who, url, back, message)
        assert f'id="intrekken-{motion_id}"' not in page
        assert f"'{MOTION}' intrekken?" not in page
    refused_post(author, url, message)
    # Neither the submitter nor the chair: 403, whatever the motion's state.
    assert oost.browser("Daan Visser").get(url).status_code == 403


def test_a_motion_under_vote_is_not_asked_to_withdraw(oost, named):
    url = f"/voorstellen/{named.motion_id}/intrekken"
    back = f"/vergaderingen/{named.meeting_id}#voorstel-{named.motion_id}"
    message = "Dat kan niet: het voorstel is nu in stemming."
    page = refused_to(named.chair, url, back, message)
    assert f'id="intrekken-{named.motion_id}"' not in page
    refused_to(oost.browser(MEMBER), url, back, message)

    # Nobody voted: the round decided nothing and the motion is on the agenda again, where
    # it can be withdrawn.
    post(named.chair, f"/stemmingen/{named.round_id}/sluiten", CONFIRMED)
    asks(named.chair, url, f"'{MOTION}' intrekken?")
