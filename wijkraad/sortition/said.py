"""What the verification of a draw's record says, in English and in Dutch.

Each line is a ``Said``: a text (English, as the code and its tests read it) that also carries
its Dutch, so ``flask draw verify`` answers a resident in Dutch (``--lang nl``, the default)
and anyone else in English (``--lang en``)."""

from __future__ import annotations

from typing import Any

# key: (English, Dutch); {name} are filled in by ``said``.
LINES: dict[str, tuple[str, str]] = {
    "not-json": (
        "the file is not JSON in UTF-8: {error}",
        "het bestand is geen JSON in UTF-8: {error}",
    ),
    "unreadable": (
        "the record cannot be checked: {error}",
        "het verslag kan niet worden gecontroleerd: {error}",
    ),
    "not-object": ("the record is not a JSON object", "het verslag is geen JSON-object"),
    "fields": (
        "the record has exactly the fields of a draw",
        "het verslag heeft precies de velden van een loting",
    ),
    "fields-wrong": (
        "fields missing: {missing}, fields unknown: {extra}",
        "ontbrekende velden: {missing}, onbekende velden: {extra}",
    ),
    "canonical": (
        "the file is the record's canonical serialisation, byte for byte",
        "het bestand is byte voor byte de canonieke vorm van het verslag",
    ),
    "canonical-wrong": (
        "the file is not the canonical serialisation of its content (changed or reformatted)",
        "het bestand is niet de canonieke vorm van zijn inhoud (gewijzigd of anders opgemaakt)",
    ),
    "procedure": ("procedure {procedure}", "procedure {procedure}"),
    "procedure-wrong": (
        "procedure {found} is not {procedure}, which this checks",
        "procedure {found} is niet {procedure}, die hier wordt gecontroleerd",
    ),
    "not-whole": ("{name} is not a whole number", "{name} is geen geheel getal"),
    "known": ("status and purpose are known", "status en doel zijn bekend"),
    "known-wrong": (
        "status {status} or purpose {purpose} is unknown",
        "status {status} of doel {purpose} is onbekend",
    ),
    "pool-hash": (
        "pool_sha256 is the hash of the published pool ({eligible} eligible)",
        "pool_sha256 is de hash van de gepubliceerde pool ({eligible} die mogen worden geloot)",
    ),
    "pool-hash-wrong": (
        "pool_sha256 is not the hash of the published pool",
        "pool_sha256 is niet de hash van de gepubliceerde pool",
    ),
    "eligible": (
        "eligible counts the pool's entries, at most pool_size",
        "eligible telt de personen in de pool, hoogstens pool_size",
    ),
    "eligible-wrong": (
        "eligible {eligible} does not fit the pool ({entries} entries, pool_size {pool_size})",
        "eligible {eligible} past niet bij de pool ({entries} personen, pool_size {pool_size})",
    ),
    "announcement": (
        "announcement_sha256 {digest} binds the announced fields",
        "announcement_sha256 {digest} legt de aangekondigde velden vast",
    ),
    "announcement-wrong": (
        "announcement_sha256 is not the hash of the announced fields",
        "announcement_sha256 is niet de hash van de aangekondigde velden",
    ),
    "announced-at": (
        "announced_at is set exactly when the draw is no longer open",
        "announced_at is ingevuld precies wanneer de loting niet meer open is",
    ),
    "announced-at-wrong": (
        "an open draw with announced_at, or a draw past open without it",
        "een open loting met announced_at, of een loting voorbij open zonder",
    ),
    "quotas": ("the quotas can be met by the pool", "de pool kan aan de quota voldoen"),
    "quotas-wrong": ("the quotas: {message}", "de quota: {message}"),
    "no-seed": ("no seed yet, so no ranking", "nog geen seed, dus geen rangorde"),
    "no-seed-wrong": (
        "a record without a seed must have no ranking and be open or announced",
        "een verslag zonder seed heeft geen rangorde en is open of aangekondigd",
    ),
    "seed-after": ("the seed came after the announcement", "de seed kwam na de aankondiging"),
    "seed-after-wrong": (
        "a seed without an announcement, or a status before the draw",
        "een seed zonder aankondiging, of een status van vóór de loting",
    ),
    "seed-normal": ("the seed is in normal form", "de seed staat in de normaalvorm"),
    "seed-normal-wrong": ("the seed is not in normal form", "de seed staat niet in de normaalvorm"),
    "ranking": (
        "the ranking follows from the seed ({positions} positions, the first {invite} invited)",
        "de rangorde volgt uit de seed ({positions} posities, de eerste {invite} uitgenodigd)",
    ),
    "ranking-wrong": (
        "the ranking does not follow from the pool, the seed and the quotas",
        "de rangorde volgt niet uit de pool, de seed en de quota",
    ),
    "strata": (
        "the strata's shares of the pool and of the drawn are counted right",
        "de aandelen van de groepen in de pool en onder de uitgenodigden zijn juist geteld",
    ),
    "strata-wrong": (
        "the strata's shares do not match the pool and the ranking",
        "de aandelen van de groepen kloppen niet met de pool en de rangorde",
    ),
}


class Said(str):
    """A line of the verification: the English text, with its Dutch as ``nl``."""

    nl: str

    def __new__(cls, english: str, dutch: str) -> Said:
        line = super().__new__(cls, english)
        line.nl = dutch
        return line

    def said_in(self, lang: str) -> str:
        return self.nl if lang == "nl" else str(self)


def said(key: str, **params: Any) -> Said:
    english, dutch = LINES[key]
    return Said(english.format(**params), dutch.format(**params))
