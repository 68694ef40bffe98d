"""The pages and the API run no query of their own: their reads are in the domains' query
modules (a fixed number of statements, visibility decided once), their writes in the services,
committed by the one write boundary. Every view module and every API module is checked, found on
disk, so a new one is covered without being listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "wijkraad"

MODULES = sorted(
    str(path.relative_to(ROOT))
    for path in [*ROOT.rglob("views.py"), *ROOT.rglob("*_views.py"), *ROOT.glob("api/*.py")]
)

# A statement run through the session by the module itself: ``db.session.execute(...)``,
# ``session.scalars(...)``, ``db.session.get(...)``, ``.query(...)``.
QUERY = re.compile(r"\b(?:db\.)?session(?:\(\))?\.(?:execute|scalars?|get|query)\(")


def test_the_pattern_finds_a_query():
    assert QUERY.search("user = db.session.get(User, 1)")
    assert QUERY.search("rows = session.execute(sa.select(User))")
    assert QUERY.search("db.session.scalars(q).all()")
    assert not QUERY.search("services.get_council(db.session, slug)")


def test_every_page_and_api_module_is_checked():
    for module in ("meetings/views.py", "motions/views.py", "voting/views.py", "api/meetings.py"):
        assert module in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_no_query_of_its_own(module):
    source = (ROOT / module).read_text()
    found = [
        f"{module}:{number}: {line.strip()}"
        for number, line in enumerate(source.splitlines(), 1)
        if QUERY.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_hand_written_commit_or_rollback():
    """Every write goes through ``web.write``. The one commit that stands is "last seen" in
    ``auth.views.load_user``, committed by itself on purpose (see there)."""
    allowed = {("auth/views.py", "db.session.commit()")}
    found = []
    for module in MODULES:
        for number, line in enumerate((ROOT / module).read_text().splitlines(), 1):
            code = line.split("#", 1)[0].strip()
            if re.search(r"\.(commit|rollback)\(\)", code) and (module, code) not in allowed:
                found.append(f"{module}:{number}: {code}")
    assert not found, "\n".join(found)
    assert (ROOT / "auth/views.py").read_text().count("db.session.commit()") == 1
