"""What a document may be: recognised by its first bytes, never by its name or by what the
browser says it is; and the name it is downloaded under. Pure functions, no I/O."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class MediaType(StrEnum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"
    WEBP = "image/webp"

    @property
    def extension(self) -> str:
        return EXTENSIONS[self]

    @property
    def is_image(self) -> bool:
        return self is not MediaType.PDF


EXTENSIONS = {
    MediaType.PDF: "pdf",
    MediaType.PNG: "png",
    MediaType.JPEG: "jpg",
    MediaType.WEBP: "webp",
}
# Other names under which a type is commonly saved: kept as they were given.
_ALSO = {MediaType.JPEG: {"jpeg", "jpe"}}

# How many bytes ``sniff`` needs to see.
HEAD_BYTES = 16
TITLE_MAX = 200
FILENAME_MAX = 120


def sniff(head: bytes) -> MediaType | None:
    """The type that the file's first bytes (its magic number) say, or None for anything we
    do not take. A PDF must start with its header: one with something before it (an HTML page
    with "%PDF-" somewhere in it) is not taken."""
    if head.startswith(b"%PDF-"):
        return MediaType.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return MediaType.WEBP
    return None


def looks_complete_pdf(data: bytes) -> bool:
    """A PDF ends with its end-of-file marker (some writers add a little after it)."""
    return b"%%EOF" in data[-1024:]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(given: str | None, media_type: MediaType, fallback: str = "document") -> str:
    """The name to download the file under: the given name's last part, reduced to letters,
    digits, dots, dashes and underscores, with the extension of what the file really is."""
    name = (given or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = _UNSAFE.sub("-", stem).strip("-._")[: FILENAME_MAX - 6] or fallback
    extension = extension.lower()
    if extension != media_type.extension and extension not in _ALSO.get(media_type, ()):
        extension = media_type.extension
    return f"{stem}.{extension}"


def title_from(given_title: str | None, filename: str) -> str:
    """The title as typed, or the file's name without its extension."""
    title = " ".join((given_title or "").split())
    if title:
        return title
    return filename.rsplit(".", 1)[0].replace("-", " ").replace("_", " ").strip() or filename
