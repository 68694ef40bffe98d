"""The public record on the site, read without an account: a decision's page, the decisions
archive with its search and filters, the council's page and the meeting page's links. What is
confidential appears nowhere; residents are "bewoner" where the council keeps their names."""

from __future__ import annotations

import re

import pytest

from tests.integration.public_site import (
    COMMITMENTS,
    EXPLANATION,
    build_site,
    completed,
    member_client,
    text,
)
from wijkraad import clock
from wijkraad.extensions import db
from wijkraad.publishing.site_views import PER_PAGE
from wijkraad.voting.models import Decision


@pytest.fixture
def site(app):
    return build_site(app)


def identifier(site, decision_id: int) -> str:
    return site.identifiers[decision_id]


def found_identifiers(html: str) -> list[str]:
    """The decisions the archive lists, in order (each card's link)."""
    return re.findall(
        r'class="utrecht-link utrecht-link--html-a app-card__link" href="/besluiten/([^"]+)"', html
    )


def test_a_decision_page_shows_the_whole_decision(client, site):
    record = site.record
    ident = identifier(site, record.public[0])
    response = client.get(f"/besluiten/{ident}")
    assert response.status_code == 200
    page = text(response)
    for part in (ident, "Bankjes in het park 1", EXPLANATION, COMMITMENTS, "€"):
        assert part in page, part
    # The vote: per group, and named, councillors by name, residents as "bewoner".
    assert "Dirk Raadslid" in page
    assert "Anna de Voorzitter" not in page and "Carla Bewoner" not in page
    assert page.count(">bewoner</th>") == 3
    # Links: the meeting, the motion on it, the decision list (the meeting is closed), the year.
    assert f'href="/vergaderingen/{record.meeting_id}"' in page
    assert f'href="/vergaderingen/{record.meeting_id}#voorstel-' in page
    assert f'href="/vergaderingen/{record.meeting_id}/besluitenlijst.pdf"' in page
    year = ident.split("-")[1]
    assert f'href="/wijkraden/oost/besluiten/{year}.pdf"' in page
    assert f'href="/wijkraden/oost/besluiten?post={site.line_id}">Groen en spelen</a>' in page
    assert f'href="/api/v1/decisions/{record.public[0]}"' in page
    # Citable: one stable address, a canonical link to it and a line to cite.
    assert f'<link rel="canonical" href="http://localhost/besluiten/{ident}">' in page
    cite = re.search(r'id="cite-as">(.*?)</p>', page, re.S)
    assert cite and ident in cite.group(1) and f"/besluiten/{ident}" in cite.group(1)
    assert 'rel="alternate" type="application/atom+xml"' in page


def test_a_formality_says_it_had_no_vote(client, site):
    page = text(client.get(f"/besluiten/{identifier(site, site.record.formality)}"))
    assert "hamerstuk" in page and "Hoe elk lid stemde" not in page


def test_the_decision_page_is_at_one_address(client, site):
    ident = identifier(site, site.record.public[1])
    moved = client.get(f"/besluiten/{ident.lower()}")
    assert moved.status_code == 301 and moved.headers["Location"] == f"/besluiten/{ident}"
    for wrong in ("OST-1999-001", "niets", "OST-2026-%00", "x" * 300):
        assert client.get(f"/besluiten/{wrong}").status_code == 404, wrong


def test_a_confidential_decision_is_only_for_members(app, client, site):
    ident = identifier(site, site.record.confidential)
    assert client.get(f"/besluiten/{ident}").status_code == 404
    assert client.get(f"/besluiten?q={ident}").status_code == 200
    assert found_identifiers(text(client.get(f"/besluiten?q={ident}"))) == []
    assert found_identifiers(text(client.get("/wijkraden/oost/besluiten?q=Benoeming"))) == []
    assert ident not in text(client.get("/wijkraden/oost"))
    member = member_client(app, site)
    assert member.get(f"/besluiten/{ident}").status_code == 200
    assert ident in found_identifiers(text(member.get("/wijkraden/oost/besluiten?q=Benoeming")))


def test_the_archive_lists_newest_first_with_the_count(client, site):
    response = client.get("/wijkraden/oost/besluiten")
    assert response.status_code == 200
    page = text(response)
    listed = found_identifiers(page)
    numbers = [int(i.rsplit("-", 1)[1]) for i in listed]
    assert numbers == sorted(numbers, reverse=True) and len(listed) == 5  # 4 + the formality
    assert "5 besluiten" in page
    assert (
        'method="get"' in page
        and "csrf_token" not in page.split('role="search"')[1].split("</form>")[0]
    )


def test_the_archive_searches_the_words_of_title_text_and_explanation(client, site):
    record = site.record
    first = identifier(site, record.public[0])
    for q in ("vijver", "VIJVER", "Bankjes park 1", "wethouder zomer", first.lower(), "bankj"):
        listed = found_identifiers(
            text(client.get("/wijkraden/oost/besluiten", query_string={"q": q}))
        )
        assert first in listed, q
    assert found_identifiers(text(client.get("/wijkraden/oost/besluiten?q=olifant"))) == []
    assert len(found_identifiers(text(client.get("/wijkraden/oost/besluiten?q=bankjes")))) == 4
    # Query syntax of either database is only text here.
    for odd in ('"', "park*", "AND OR NOT", "a:*&!", "100%_", "(", "\\"):
        assert client.get("/wijkraden/oost/besluiten", query_string={"q": odd}).status_code == 200


def test_the_archive_filters_by_outcome_year_and_budget_line(client, site):
    record = site.record
    adopted = found_identifiers(text(client.get("/wijkraden/oost/besluiten?uitkomst=adopted")))
    assert len(adopted) == 3  # the formality, park 1 and park 3
    rejected = found_identifiers(
        text(client.get("/wijkraden/oost/besluiten?uitkomst=rejected&q=park"))
    )
    assert len(rejected) == 2
    year = clock.now().year
    assert len(found_identifiers(text(client.get(f"/wijkraden/oost/besluiten?jaar={year}")))) == 5
    on_line = found_identifiers(text(client.get(f"/wijkraden/oost/besluiten?post={site.line_id}")))
    assert on_line == [identifier(site, record.public[0])]


@pytest.mark.parametrize(
    "query",
    [
        "jaar=abc",
        "jaar=1999",
        "uitkomst=misschien",
        "post=0",
        "post=999999",
        "post=x",
        "q=" + "a" * 201,
    ],
)
def test_a_value_the_archive_cannot_take_is_a_form_error(client, site, query):
    response = client.get(f"/wijkraden/oost/besluiten?{query}")
    assert response.status_code == 422
    assert 'class="utrecht-alert utrecht-alert--error app-error-summary"' in text(response)


def test_the_archive_pages(client, site):
    first = text(client.get("/wijkraden/oost/besluiten"))
    assert 'rel="next"' not in first
    assert PER_PAGE >= 5
    page = client.get("/wijkraden/oost/besluiten?pagina=2&q=park")
    assert page.status_code == 200 and found_identifiers(text(page)) == []
    assert client.get("/wijkraden/oost/besluiten?pagina=abc").status_code == 200
    assert client.get("/wijkraden/oost/besluiten?pagina=-4").status_code == 200


def test_the_archive_across_councils(client, site):
    listed = found_identifiers(text(client.get("/besluiten")))
    assert {i.split("-")[0] for i in listed} == {"OST", "WST"}
    assert len(listed) == 5 + 3
    west = found_identifiers(text(client.get("/besluiten?q=WST")))
    assert west and all(i.startswith("WST-") for i in west)
    assert client.get("/wijkraden/nergens/besluiten").status_code == 404


def test_a_decision_edited_afterwards_is_found_by_its_new_words(app, client, site):
    """The index follows the decision: the secretary's new explanation is found, the old one
    no longer; a motion's new title too."""
    record = site.record
    second = record.public[1]
    ident = identifier(site, second)

    def found(q: str) -> list[str]:
        return found_identifiers(
            text(client.get("/wijkraden/oost/besluiten", query_string={"q": q}))
        )

    with app.app_context():
        completed(record, second, explanation="Een kastanjeboom bij de speelweide.")
    assert found("kastanjeboom") == [ident]
    with app.app_context():
        completed(record, second, explanation="Een lindeboom.", text="Lindeboom planten")
    assert found("kastanjeboom") == [] and found("lindeboom") == [ident]
    with app.app_context():
        import sqlalchemy as sa

        from wijkraad.motions.models import Motion

        motion_id = db.session.scalar(sa.select(Decision.motion_id).where(Decision.id == second))
        db.session.execute(
            sa.update(Motion).where(Motion.id == motion_id).values(title="Boomfeestdag")
        )
        db.session.commit()
    assert found("boomfeestdag") == [ident]
    assert ident not in found("Bankjes park 2")


def test_the_council_page_shows_what_is_coming_and_what_was_decided(client, site):
    page = text(client.get("/wijkraden/oost"))
    newest = identifier(site, site.record.public[-1])
    assert f'href="/besluiten/{newest}"' in page
    assert 'href="/wijkraden/oost/besluiten"' in page
    assert 'href="/wijkraden/oost/besluiten.atom"' in page
    assert 'href="/wijkraden/oost/vergaderingen.ics"' in page
    assert 'href="/wijkraden/oost/open-data/popolo.json"' in page
    assert f'href="/wijkraden/oost/besluiten/{clock.now().year}.pdf"' in page
    assert identifier(site, site.record.confidential) not in page
    assert page.count('<link rel="alternate"') == 2


def test_the_council_page_lists_the_upcoming_meetings(client, site, make):
    from datetime import timedelta

    from wijkraad.auth.actor import Actor
    from wijkraad.councils.models import Council
    from wijkraad.meetings import services as meetings

    admin = Actor(user_id=None, is_admin=True)
    with client.application.app_context():
        council = db.session.get(Council, site.record.council_id)
        later = [
            meetings.create_meeting(
                db.session,
                admin,
                council,
                title=f"Vergadering {n}",
                starts_at=clock.now() + timedelta(days=n),
                location="Buurthuis",
            )
            for n in (7, 14, 21)
        ]
        for meeting in later[:2]:
            meetings.publish(db.session, admin, meeting, clock.now())
        db.session.commit()
        ids = [m.id for m in later]
    page = text(client.get("/wijkraden/oost"))
    assert page.index("Vergadering 7") < page.index("Vergadering 14")
    assert "Vergadering 21" not in page  # a draft
    assert f'href="/vergaderingen/{ids[0]}/agenda.pdf"' in page


def test_the_meeting_page_links_its_decisions_and_documents(app, client):
    site = build_site(app, closed=False)
    record = site.record
    meeting = f"/vergaderingen/{record.meeting_id}"
    page = text(client.get(meeting))
    assert f'href="/besluiten/{identifier(site, record.public[0])}"' in page
    assert f'href="{meeting}/agenda.pdf"' in page
    assert f'href="{meeting}/besluitenlijst.pdf"' not in page  # still open
    assert identifier(site, record.confidential) not in page
    with app.app_context():
        from tests.integration.public_site import close

        close(record)
    page = text(client.get(meeting))
    assert f'href="{meeting}/besluitenlijst.pdf"' in page
    assert client.get(f"{meeting}/besluitenlijst.pdf").status_code == 200


def test_the_search_index_follows_two_edits_at_the_same_moment(app, client, site):
    """Two secretaries completing the same decision at once: one wins, and the index holds the
    winner's words and not the other's; two different decisions at once are both found."""
    import threading

    from tests.integration.minutes_pages import ANNA, BRAM, actor
    from wijkraad.errors import Conflict
    from wijkraad.minutes.decisions import complete_decision, decision_version, get_decision

    record = site.record
    same, other = record.public[1], record.public[2]
    with app.app_context():
        decision = get_decision(db.session, same)
        seen = decision_version(decision.text, decision.explanation, decision.commitments)
        writers = [actor(record, BRAM), actor(record, ANNA)]
    words = {0: "kastanjeboom", 1: "lindeboom"}
    barrier = threading.Barrier(3)
    results: dict[int, str] = {}

    def save(index: int, decision_id: int, based_on: str | None) -> None:
        with app.app_context():
            mine = get_decision(db.session, decision_id)
            barrier.wait(timeout=30)
            try:
                complete_decision(
                    db.session,
                    writers[index % 2],
                    mine,
                    text=mine.text,
                    explanation=f"Een {words.get(index, 'eikenboom')} bij de vijver.",
                    commitments="",
                    based_on=based_on,
                )
                db.session.commit()
                results[index] = "saved"
            except Conflict as refused:
                db.session.rollback()
                results[index] = refused.code
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=save, args=(0, same, seen)),
        threading.Thread(target=save, args=(1, same, seen)),
        threading.Thread(target=save, args=(2, other, None)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results[2] == "saved"
    assert sorted([results[0], results[1]]) == ["decision-changed", "saved"]
    winner = 0 if results[0] == "saved" else 1

    def found(q: str) -> list[str]:
        return found_identifiers(
            text(client.get("/wijkraden/oost/besluiten", query_string={"q": q}))
        )

    assert found(words[winner]) == [identifier(site, same)]
    assert found(words[1 - winner]) == []
    assert found("eikenboom") == [identifier(site, other)]
