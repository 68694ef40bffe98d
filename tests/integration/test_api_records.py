"""The public record in the API answers what the public pages answer, to the same caller."""

from __future__ import annotations

import pytest

from tests.record_world import build_record
from wijkraad.extensions import db


@pytest.fixture
def record(app):
    with app.app_context():
        return build_record(db.session, public_names=False)


@pytest.mark.parametrize(
    ("api", "page", "media"),
    [
        ("popolo.json", "open-data/popolo.json", "application/json"),
        ("ods.json", "open-data/ods.json", "application/json"),
        ("decisions.csv", "open-data/besluiten.csv", "text/csv"),
    ],
)
def test_open_data_in_the_api_is_the_download_of_the_site(client, record, api, page, media):
    from_api = client.get(f"/api/v1/councils/oost/{api}")
    from_page = client.get(f"/wijkraden/oost/{page}")
    assert from_api.status_code == from_page.status_code == 200
    assert from_api.mimetype == from_page.mimetype == media
    if media == "text/csv":
        assert from_api.data == from_page.data
    else:
        assert "Bankjes in het park 1" in from_api.get_data(as_text=True)
        assert "Benoeming" not in from_api.get_data(as_text=True)  # confidential
    assert client.get(f"/api/v1/councils/nergens/{api}").status_code == 404
    assert client.get(f"/api/v1/councils/nergens/{api}").mimetype == "application/problem+json"
