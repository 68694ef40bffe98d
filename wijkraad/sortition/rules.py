"""Pure rules of a draw by lot (DOMAIN section 7): reading the pool file, who is eligible, the
personal response codes, and which moves a draw may make. No Flask, no database, no clock."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

# The columns every pool file starts with, in this order; any further column is a
# stratification column (district, age group, ...).
BASE_COLUMNS = ("person_ref", "birth_date", "postcode", "name", "address")
MIN_AGE = 16
MAX_INVITE = 100_000
MAX_FIELD = 200
# A pool of a whole city district (100,000 residents) is some megabytes of CSV: its upload (the
# API's body, or the page's form with the file) may be this large.
POOL_MAX_BYTES = 64 * 1024 * 1024
COLUMN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# The code on a letter: 16 characters of Crockford's base32 (no I, L, O or U to misread),
# 80 random bits: guessing one of the codes of a draw is hopeless, so no lock-out is needed.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_CODE_OF_BYTE = bytes(CODE_ALPHABET.encode("ascii")[b % len(CODE_ALPHABET)] for b in range(256))
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


class Purpose(StrEnum):
    COUNCIL = "council"
    PANEL = "panel"


class DrawStatus(StrEnum):
    OPEN = "open"  # the pool may still be (re)uploaded
    ANNOUNCED = "announced"  # the commitment is published; pool and quotas are fixed
    DRAWN = "drawn"  # the seed is in, the ranking follows from it
    CLOSED = "closed"  # personal data of those not drawn is erased


class InvitationStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_RESPONSE = "no_response"
    RESERVE = "reserve"


REPLIES = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.NO_RESPONSE)


class Ineligible(StrEnum):
    TOO_YOUNG = "too_young"
    OPTED_OUT = "opted_out"


class PoolRow(NamedTuple):
    """One row of a pool file (a tuple: a pool has 100,000 of them, made at once)."""

    line: int  # the line of the file, the header being line 1
    person_ref: str
    birth_date: date
    postcode: str
    name: str
    address: str
    strata: dict[str, str]


@dataclass(frozen=True)
class Pool:
    columns: tuple[str, ...]  # the stratification columns
    rows: list[PoolRow]


class PoolError(Exception):
    """A pool file that cannot be read: the line (1 = the header) and the reason, in Dutch
    words the admin reads (the code says which reason)."""

    def __init__(self, line: int, reason: str, **params: object) -> None:
        self.line = line
        self.reason = reason
        self.params = params
        super().__init__(f"line {line}: {reason}")


def parse_pool(data: bytes) -> Pool:
    """The rows of a pool file (CSV, UTF-8, header ``person_ref,birth_date,postcode,name,
    address`` plus stratification columns, ISO dates). The first fault found refuses the
    whole file (``PoolError`` naming its line): nothing is half read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PoolError(line, "encoding") from None
    if "\x00" in text:
        raise PoolError(text[: text.index("\x00")].count("\n") + 1, "encoding")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error:
        raise PoolError(1, "syntax") from None
    if header is None:
        raise PoolError(1, "empty")
    header = [h.strip() for h in header]
    if tuple(header[: len(BASE_COLUMNS)]) != BASE_COLUMNS:
        raise PoolError(1, "header")
    columns = tuple(header[len(BASE_COLUMNS) :])
    for column in columns:
        if not COLUMN_NAME.match(column):
            raise PoolError(1, "column-name", column=column)
    if len(set(columns)) != len(columns):
        raise PoolError(1, "column-twice")
    rows: list[PoolRow] = []
    seen: set[str] = set()
    width = len(header)
    base = len(BASE_COLUMNS)
    # Rows share their strata: a pool has a few dozen distinct ones, each made once.
    shared: dict[tuple[str, ...], dict[str, str]] = {}
    fromisoformat = date.fromisoformat
    try:
        for fields in reader:
            line = reader.line_num
            if len(fields) != width:
                if not fields or fields == [""]:
                    continue  # an empty line (the last one, often)
                raise PoolError(line, "field-count", expected=width, found=len(fields))
            fields = list(map(str.strip, fields))
            if max(map(len, fields)) > MAX_FIELD:
                raise PoolError(line, "too-long")
            ref, born, postcode, name, address = fields[:base]
            if not ref:
                raise PoolError(line, "person-ref-missing")
            if ref in seen:
                raise PoolError(line, "person-ref-twice")
            seen.add(ref)
            # Only YYYY-MM-DD: the other forms ISO 8601 allows are no register's dates.
            if len(born) != 10 or born[4] != "-" or born[7] != "-":
                raise PoolError(line, "birth-date")
            try:
                birth = fromisoformat(born)
            except ValueError:
                raise PoolError(line, "birth-date") from None
            if not name:
                raise PoolError(line, "name-missing")
            key = tuple(fields[base:])
            strata = shared.get(key)
            if strata is None:
                if "" in key:
                    raise PoolError(line, "stratum-missing")
                strata = shared[key] = dict(zip(columns, key, strict=True))
            rows.append(PoolRow(line, ref, birth, postcode, name, address, strata))
    except csv.Error:
        raise PoolError(reader.line_num, "syntax") from None
    if not rows:
        raise PoolError(1, "no-rows")
    return Pool(columns, rows)


def age_on(birth: date, on: date) -> int:
    """Whole years of age on ``on`` (someone born on 29 February turns a year older on
    1 March in common years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def ineligibility(row: PoolRow, draw_on: date, opted_out: Collection[str]) -> Ineligible | None:
    """Why a person of the pool may not be drawn (DOMAIN 7.1), or None when they may."""
    if age_on(row.birth_date, draw_on) < MIN_AGE:
        return Ineligible.TOO_YOUNG
    if row.person_ref in opted_out:
        return Ineligible.OPTED_OUT
    return None


class Code(NamedTuple):
    printed: str  # as on the letter: 7KQ2-M9XD-4HRT-0B6W
    sha256: str  # hex SHA-256 of it without the dashes, as the public pool carries it


def new_codes(count: int) -> list[Code]:
    """``count`` personal response codes as printed on a letter, 4 groups of 4 characters of
    ``CODE_ALPHABET``, each with its hash (``procedure.code_sha256``). Made in one go: every
    random byte gives one character (its value modulo 32: 256 is a multiple of 32, so each
    character is equally likely), 16 bytes a code of 80 random bits."""
    raw = secrets.token_bytes(CODE_LENGTH * count).translate(_CODE_OF_BYTE)
    codes = []
    for i in range(0, CODE_LENGTH * count, CODE_LENGTH):
        chunk = raw[i : i + CODE_LENGTH]
        text = chunk.decode("ascii")
        codes.append(
            Code(
                f"{text[:4]}-{text[4:8]}-{text[8:12]}-{text[12:]}",
                hashlib.sha256(chunk).hexdigest(),
            )
        )
    return codes


def normal_code(typed: str) -> str | None:
    """A code as typed (spaces, lower case, without or with dashes, O for 0) in its printed
    form, or None when it cannot be one."""
    raw = re.sub(r"[\s\-]", "", typed).upper().translate(_MISREAD)
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def term_end(starts_on: date) -> date:
    """The last day a drawn resident may sit: two years after the start (DOMAIN 7.5), the
    membership ending (exclusive) on the day two years on."""
    try:
        return starts_on.replace(year=starts_on.year + 2)
    except ValueError:  # 29 February
        return starts_on.replace(year=starts_on.year + 2, day=28)
