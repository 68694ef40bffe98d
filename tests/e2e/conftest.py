"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

Without Chromium these tests are skipped, visibly; with ``WIJKRAAD_REQUIRE_BROWSER=1`` (CI)
a missing browser fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from wijkraad import clock, create_app, demo
from wijkraad.extensions import db

CHROMIUM = os.environ.get("WIJKRAAD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRE_BROWSER = os.environ.get("WIJKRAAD_REQUIRE_BROWSER") == "1"
HAVE_BROWSER = Path(CHROMIUM).exists()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.e2e)
        if not HAVE_BROWSER:
            if REQUIRE_BROWSER:
                raise pytest.UsageError(f"WIJKRAAD_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the demo council, served on a free loopback port for the whole session."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "DOCUMENTS_DIR": str(path.parent / "documents"),
            "SECRET_KEY": "e2e",
            "LOGIN_MAX_FAILURES": 50,
            "ARGON2_PROFILE": "CHEAPEST",
        }
    )
    with app.app_context():
        upgrade()
        demo.load(db.session, clock.today())
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # links leave the site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
