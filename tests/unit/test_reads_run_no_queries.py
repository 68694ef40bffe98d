"""The meeting and motion pages and the API's meeting reads run no query of their own: they
call the query modules, which load what they need in a fixed number of statements."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "wijkraad"
QUERY = re.compile(r"db\.session\.|session\.(execute|scalar|scalars|get|query)\(")


@pytest.mark.parametrize("module", ["meetings/views.py", "motions/views.py", "api/meetings.py"])
def test_views_and_api_run_no_query_of_their_own(module):
    found = [
        f"{module}:{n}: {line.strip()}"
        for n, line in enumerate((ROOT / module).read_text().splitlines(), 1)
        if QUERY.search(line)
    ]
    assert found == []
