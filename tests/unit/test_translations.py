"""Every text in the code and templates has an English translation, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "wijkraad/translations/en/LC_MESSAGES/messages.po"
METHODS = [
    ("wijkraad/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/mail/**.txt", "jinja2"),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        method_map=METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {}, "templates/mail/**.txt": {}},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_text_is_translated_to_english():
    catalogue = read_po(CATALOGUE.open("rb"))
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(source_messages() - translated)
    assert not missing, (
        f"{len(missing)} texts lack an English translation (run make messages): {missing[:10]}"
    )


def test_translations_keep_their_placeholders():
    for message in read_po(CATALOGUE.open("rb")):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == expected, ids[0]
