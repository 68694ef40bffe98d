"""The pure rules of a draw's pool: reading the file (every fault named by its line), age on
the draw date, eligibility, response codes and the length of a drawn resident's term."""

from __future__ import annotations

from datetime import date

import pytest

from wijkraad.sortition import procedure, rules

HEADER = "person_ref,birth_date,postcode,name,address,wijk\n"


def test_a_good_file_is_read_with_its_stratification_columns():
    pool = rules.parse_pool(
        (
            "\ufeff"
            + HEADER
            + "A1,2000-02-29,9712 AB,An,Straat 1,noord\n\nB2,1990-01-01,,Bo,,zuid\n"
        ).encode()
    )
    assert pool.columns == ("wijk",)
    assert [(r.line, r.person_ref, r.strata) for r in pool.rows] == [
        (2, "A1", {"wijk": "noord"}),
        (4, "B2", {"wijk": "zuid"}),
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (b"", 1, "empty"),
        (b"ref,birth_date,postcode,name,address\n", 1, "header"),
        (HEADER.replace("wijk", "Wijk!").encode(), 1, "column-name"),
        (b"person_ref,birth_date,postcode,name,address,a,a\n", 1, "column-twice"),
        (HEADER.encode(), 1, "no-rows"),
        ((HEADER + "A,2000-01-01,1,N,S\n").encode(), 2, "field-count"),
        (
            (HEADER + "A,2000-01-01,1,N,S,x\n,2000-01-01,1,N,S,x\n").encode(),
            3,
            "person-ref-missing",
        ),
        ((HEADER + "A,2000-01-01,1,N,S,x\nA,2000-01-01,1,M,S,x\n").encode(), 3, "person-ref-twice"),
        ((HEADER + "A,01-01-2000,1,N,S,x\n").encode(), 2, "birth-date"),
        ((HEADER + "A,2000-1-1,1,N,S,x\n").encode(), 2, "birth-date"),
        ((HEADER + "A,2000-W01-1,1,N,S,x\n").encode(), 2, "birth-date"),
        ((HEADER + "A,2000-02-30,1,N,S,x\n").encode(), 2, "birth-date"),
        ((HEADER + "A,2000-01-01,1,,S,x\n").encode(), 2, "name-missing"),
        ((HEADER + "A,2000-01-01,1,N,S,\n").encode(), 2, "stratum-missing"),
        ((HEADER + "A,2000-01-01,1,N," + "S" * 201 + ",x\n").encode(), 2, "too-long"),
        ((HEADER + "A,2000-01-01,1,N,S,x\n").encode() + b"B,\xff\n", 3, "encoding"),
        ((HEADER + 'A,2000-01-01,1,"N,S,x\n').encode(), 2, "syntax"),
    ],
)
def test_a_faulty_file_is_refused_naming_the_line(text, line, reason):
    with pytest.raises(rules.PoolError) as refused:
        rules.parse_pool(text)
    assert (refused.value.line, refused.value.reason) == (line, reason)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 12, 1), date(2026, 12, 1), 16),
        (date(2010, 12, 2), date(2026, 12, 1), 15),
        (date(2008, 2, 29), date(2024, 2, 28), 15),
        (date(2008, 2, 29), date(2024, 2, 29), 16),
        (date(2008, 2, 29), date(2025, 3, 1), 17),
    ],
)
def test_age_on_the_draw_date(born, on, age):
    assert rules.age_on(born, on) == age


def test_the_young_and_the_opted_out_are_not_eligible():
    row = rules.PoolRow(2, "A", date(2010, 12, 2), "", "N", "", {})
    assert rules.ineligibility(row, date(2026, 12, 1), set()) is rules.Ineligible.TOO_YOUNG
    older = rules.PoolRow(2, "A", date(1980, 1, 1), "", "N", "", {})
    assert rules.ineligibility(older, date(2026, 12, 1), {"A"}) is rules.Ineligible.OPTED_OUT
    assert rules.ineligibility(older, date(2026, 12, 1), {"B"}) is None


def test_codes_are_long_unique_and_read_back_as_typed():
    made = rules.new_codes(2000)
    codes = [code.printed for code in made]
    assert len(set(codes)) == 2000
    # Every character of the alphabet occurs, and nothing else.
    assert set("".join(codes).replace("-", "")) == set(rules.CODE_ALPHABET)
    for code, digest in made[:50]:
        assert digest == procedure.code_sha256(code)
        assert len(code) == 19 and code.count("-") == 3
        typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
        assert rules.normal_code(typed) == code
        # The hash the public record carries is the one of the code as typed.
        assert procedure.code_sha256(typed.replace("o", "0").replace("l", "1")) == (
            procedure.code_sha256(code)
        )
    assert rules.normal_code("too short") is None
    assert rules.normal_code("UUUU-UUUU-UUUU-UUUU") is None


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 12, 1), date(2028, 12, 1)), (date(2028, 2, 29), date(2030, 2, 28))],
)
def test_a_drawn_residents_term_is_at_most_two_years(start, end):
    assert rules.term_end(start) == end
