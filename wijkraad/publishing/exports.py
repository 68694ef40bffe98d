"""A council's decisions as a spreadsheet (CSV): one row per public decision, oldest first.

Made for Dutch users who open it in Excel or LibreOffice with a double click, and still plain
for programs:

- UTF-8 **with** a byte-order mark: without it Excel reads the file as Windows-1252 and shows
  "CoÃ¶peratieve" for "Coöperatieve"; programs that read UTF-8 skip the mark (Python's
  ``utf-8-sig``, pandas, R) or see it once, before the first header.
- **Semicolons** between fields, as a Dutch Excel expects (its decimal separator is the comma,
  so its list separator is the semicolon); amounts in euros with a decimal comma
  (``1250,00``), which it reads as numbers; dates as ``2026-05-04``, which it reads as dates.
- A header row of stable column names, fields quoted where they hold a semicolon, a quote or a
  line break (RFC 4180 quoting), lines ending in CRLF.
- No formula injection: a text starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
  return) gets a leading apostrophe, so a spreadsheet shows it as text instead of running it.

Counts are empty for a formality adopted without a vote. Always the public view, whoever asks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sqlalchemy.orm import Session

from wijkraad.councils.queries import CouncilSummary
from wijkraad.publishing import queries
from wijkraad.publishing import record as records
from wijkraad.publishing.queries import DecisionView
from wijkraad.publishing.vocabulary import OUTCOME_WORDS, REQUIREMENT_SHORT, local_date
from wijkraad.voting.rules import GroupCounts, RoundMode

BOM = "\ufeff"
DELIMITER = ";"
COLUMNS = (
    "besluitnummer",
    "besluitdatum",
    "vergadering",
    "vergaderdatum",
    "agendapunt",
    "titel",
    "besluit",
    "uitkomst",
    "wijze",
    "voor",
    "tegen",
    "onthouden",
    "bewoners_voor",
    "bewoners_tegen",
    "bewoners_onthouden",
    "raadsleden_voor",
    "raadsleden_tegen",
    "raadsleden_onthouden",
    "vereiste",
    "begrotingspost",
    "bedrag_euro",
)
# What a spreadsheet takes for the start of a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decisions_csv(session: Session, slug: str) -> str:
    """The council's public decisions as CSV text (with its byte-order mark): three statements
    whatever the number of decisions; NotFound for an unknown council."""
    council = records.public_council(session, slug)
    return decisions_csv_text(council, queries.public_decisions_of(session, council.id))


def safe_cell(value: object) -> str:
    """A cell's text, with an apostrophe before what a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def euros(cents: int | None) -> str:
    """Cents as euros with a decimal comma and no thousands separator: ``1250,00``."""
    if cents is None:
        return ""
    return f"{cents // 100},{cents % 100:02d}"


def _counts(counts: GroupCounts | None) -> list[object]:
    return ["", "", ""] if counts is None else [counts.yes, counts.no, counts.abstain]


def _row(council: CouncilSummary, d: DecisionView) -> list[object]:
    how = "hamerstuk" if d.mode is None else "hoofdelijk"
    if d.mode is RoundMode.ANALOG:
        how = "handopsteken"
    tally = d.tally
    return [
        d.identifier,
        d.decided_on.isoformat(),
        d.meeting_title,
        local_date(d.meeting_starts_at),
        d.agenda_item_title,
        d.title,
        d.text,
        OUTCOME_WORDS[d.outcome],
        how,
        *_counts(tally.total if tally else None),
        *_counts(tally.residents if tally else None),
        *_counts(tally.councillors if tally else None),
        REQUIREMENT_SHORT[council.decision_rule, d.requirement],
        "" if d.budget_line_id is None else d.budget_line_id,
        euros(d.amount_cents),
    ]


def decisions_csv_text(council: CouncilSummary, decisions: Iterable[DecisionView]) -> str:
    """The CSV of these decisions (pure)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for decision in decisions:
        writer.writerow([safe_cell(cell) for cell in _row(council, decision)])
    return BOM + out.getvalue()
