"""The municipality's look, as administrators and visitors meet it: the settings page (admins
only, CSRF, checked colours with their contrast, a logo checked by its content, audited, one of
two saves at once), the stylesheet of design tokens, the header and footer on every page, and
the statement pages. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from tests.conftest import Web, csrf_from
from tests.integration.test_races import together
from wijkraad.audit import AuditEvent
from wijkraad.extensions import db
from wijkraad.look.models import SiteLook

ADMIN = "beheer@example.org"
PAGE = "/beheer/huisstijl"
FIELDS = {
    "version": "0",
    "municipality_name": "",
    "primary_color": "",
    "primary_text_color": "",
    "link_color": "",
    "header_background": "",
    "header_text_color": "",
    "contact_address": "",
    "contact_email": "",
    "contact_phone": "",
    "contact_url": "",
    "privacy_text": "",
    "privacy_url": "",
    "accessibility_text": "",
    "accessibility_url": "",
}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 78, 162)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def admin(app, make, web: Web) -> Web:
    with app.app_context():
        make.user(ADMIN, admin=True)
    web.login(ADMIN)
    return web


def save(web: Web, logo: tuple[bytes, str] | None = None, **values: str):
    html = web.get(PAGE).get_data(as_text=True)
    data: dict[str, object] = {**FIELDS, **values, "csrf_token": csrf_from(html)}
    if "version" not in values:
        data["version"] = _version_on(html)
    if logo is not None:
        data["logo"] = (io.BytesIO(logo[0]), logo[1])
    return web.client.post(PAGE, data=data, content_type="multipart/form-data")


def _version_on(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def visitor_language_url(client) -> str:
    html = text(client.get("/privacy"))
    return re.search(r'class="app-language" method="post" action="([^"]+)"', html).group(1)


def text(response) -> str:
    return response.get_data(as_text=True)


def look_row(app) -> SiteLook | None:
    with app.app_context():
        return db.session.get(SiteLook, 1)


def test_only_administrators_reach_the_settings_page(app, make, web, client):
    assert client.get(PAGE).status_code in (302, 401, 403)
    with app.app_context():
        make.user("lid@example.org")
    web.login("lid@example.org")
    assert web.get(PAGE).status_code == 403
    assert web.client.post(PAGE, data=FIELDS).status_code in (400, 403)
    assert look_row(app) is None


def test_a_save_without_its_csrf_token_is_refused(app, admin):
    response = admin.client.post(PAGE, data={**FIELDS, "municipality_name": "Gemeente X"})
    assert response.status_code in (400, 422)
    assert look_row(app) is None


def test_the_name_and_colours_reach_every_page_and_are_audited(app, admin):
    client = app.test_client()  # a visitor, not logged in
    response = save(
        admin,
        municipality_name="Gemeente Groningen",
        primary_color="#0B4EA2",
        link_color="#7a0019",
        header_background="#003366",
        header_text_color="#ffffff",
        contact_email="info@groningen.example",
        contact_phone="14 050",
        contact_address="Postbus 30026\n9700 RM Groningen",
    )
    assert response.status_code == 303, text(response)
    assert "De huisstijl is bewaard." in text(admin.get(PAGE))
    row = look_row(app)
    assert row.primary_color == "#0b4ea2" and row.version == 1
    with app.app_context():
        [event] = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "look.update")
        ).all()
        assert event.data["version"] == 1
        assert (
            "primary_color" in event.data["fields"] and "privacy_text" not in event.data["fields"]
        )

    page = text(client.get("/"))  # the public site, for anyone
    assert "<title>" in page and "— Gemeente Groningen</title>" in page
    assert '<span class="app-header__name">Gemeente Groningen</span>' in page
    assert 'href="/huisstijl.css?v=1"' in page
    assert 'href="mailto:info@groningen.example"' in page
    assert 'href="tel:14050"' in page
    assert "Postbus 30026<br>9700 RM Groningen" in page
    assert 'href="/privacy"' in page and 'href="/toegankelijkheid"' in page
    assert "style=" not in page

    css = client.get("/huisstijl.css?v=1")
    assert css.status_code == 200 and css.mimetype == "text/css"
    body = text(css)
    assert "--utrecht-button-primary-action-background-color: #0b4ea2;" in body
    assert "--utrecht-link-color: #7a0019;" in body
    assert "--utrecht-page-header-background-color: #003366;" in body
    assert "immutable" in css.headers["Cache-Control"]
    again = client.get("/huisstijl.css?v=1", headers={"If-None-Match": css.headers["ETag"]})
    assert again.status_code == 304


def test_the_default_look_is_the_themes_own(client):
    page = text(client.get("/"))
    assert '<a class="app-header__brand" href="/">wijkraad</a>' in page
    assert "— wijkraad</title>" in page
    assert "{" not in text(client.get("/huisstijl.css?v=0"))


def test_too_little_contrast_is_refused_with_the_contrast_found(app, admin):
    response = save(admin, municipality_name="Gemeente X", link_color="#777777")
    assert response.status_code == 422
    page = text(response)
    assert "Te weinig contrast: 4,47:1" in page
    assert 'id="link_color-error"' in page
    assert 'aria-invalid="true"' in page
    assert look_row(app) is None

    response = save(admin, primary_color="#ffcc00")  # with the theme's white text on it
    assert response.status_code == 422
    assert re.search(r"Te weinig contrast: 1,\d\d:1", text(response))

    response = save(admin, header_background="blauw")
    assert response.status_code == 422
    assert "Geef een kleur als #rrggbb" in text(response)
    assert look_row(app) is None


def test_a_logo_is_kept_only_when_its_content_is_an_image(app, admin):
    client = app.test_client()  # a visitor, not logged in
    refused = save(admin, municipality_name="Gemeente X", logo=(b"%PDF-1.4\n%%EOF\n", "logo.png"))
    assert refused.status_code == 422
    assert "Het logo moet een PNG-, JPEG- of WebP-afbeelding zijn" in text(refused)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert save(admin, logo=(svg, "logo.png")).status_code == 422
    assert look_row(app) is None

    data = png()
    assert save(admin, municipality_name="Gemeente X", logo=(data, "logo.png")).status_code == 303
    page = text(client.get("/"))
    assert '<img class="app-header__logo" src="/huisstijl/logo?v=1" alt="Gemeente X">' in page
    logo = client.get("/huisstijl/logo?v=1")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == data
    # A later save without a file keeps the logo; removing it takes it away.
    assert save(admin, municipality_name="Gemeente Y").status_code == 303
    assert client.get("/huisstijl/logo?v=2").data == data
    assert save(admin, remove_logo="y").status_code == 303
    assert client.get("/huisstijl/logo?v=3").status_code == 404
    assert "app-header__logo" not in text(client.get("/"))


def test_the_statement_pages_show_the_default_or_the_administrators_text(app, admin):
    client = app.test_client()  # a visitor, not logged in
    privacy = text(client.get("/privacy"))
    assert '<h1 class="utrecht-heading-1">Privacyverklaring</h1>' in privacy
    accessibility = text(client.get("/toegankelijkheid"))
    assert "WCAG" in accessibility and "2.1" in accessibility and "niveau AA" in accessibility
    assert "Status:" in accessibility and "contactgegevens" in accessibility

    response = save(
        admin,
        privacy_text="Eerste alinea\nloopt door.\n\nTweede <b>alinea</b>.",
        accessibility_url="https://www.groningen.example/toegankelijkheid",
    )
    assert response.status_code == 303, text(response)
    privacy = text(client.get("/privacy"))
    assert '<p class="utrecht-paragraph">Eerste alinea loopt door.</p>' in privacy
    assert "Tweede &lt;b&gt;alinea&lt;/b&gt;." in privacy
    accessibility = text(client.get("/toegankelijkheid"))
    assert 'href="https://www.groningen.example/toegankelijkheid"' in accessibility
    # In English, the administrator's Dutch text says it is Dutch.
    visitor = Web(client)
    visitor.post_form(
        visitor_language_url(client), {"lang": "en", "next": "/privacy"}, page="/privacy"
    )
    english = text(client.get("/privacy"))
    assert '<html lang="en"' in english
    assert '<div class="app-measure app-flow" lang="nl">' in english


def test_a_statement_address_must_be_a_web_address(app, admin):
    response = save(admin, privacy_url="javascript:alert(1)")
    assert response.status_code == 422
    assert "Geef een volledig webadres" in text(response)
    assert look_row(app) is None


def test_of_two_saves_from_the_same_form_one_takes_effect(app, make):
    with app.app_context():
        make.user(ADMIN, admin=True)

    def saving(name: str):
        def call(client):
            web = Web(client)
            web.login(ADMIN)
            return save(web, municipality_name=name, version="0")

        return call

    answers = together(app, [saving("Gemeente A"), saving("Gemeente B")])
    assert sorted(a.status_code for a in answers) == [303, 422] or sorted(
        a.status_code for a in answers
    ) == [303, 409]
    refused = next(a for a in answers if a.status_code != 303)
    assert "Iemand anders heeft de huisstijl intussen gewijzigd" in text(refused)
    row = look_row(app)
    assert row.version == 1
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "look.update")
            )
            == 1
        )
