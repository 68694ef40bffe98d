"""Whether uploaded bytes are what we take: the first bytes name the type (``rules.sniff``),
and an image must also open as that type in Pillow (a PNG header before something else is
refused), a PDF must end as a PDF does."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from wijkraad.documents import rules
from wijkraad.documents.rules import MediaType
from wijkraad.errors import Invalid

_FORMATS = {"PNG": MediaType.PNG, "JPEG": MediaType.JPEG, "WEBP": MediaType.WEBP}


def media_type_of(data: bytes) -> MediaType:
    """The file's real type; 422 ``document-type`` for anything else, ``document-damaged``
    for a file that starts as one of ours and is not."""
    media = rules.sniff(data[: rules.HEAD_BYTES])
    if media is None:
        raise Invalid("document-type", field="file")
    if media is MediaType.PDF:
        if not rules.looks_complete_pdf(data):
            raise Invalid("document-damaged", field="file")
        return media
    try:
        with warnings.catch_warnings():
            # An image that would take gigabytes to draw is refused rather than kept.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(_FORMATS)) as image:
                found = _FORMATS.get(image.format or "")
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid("document-damaged", field="file") from None
    except (OSError, SyntaxError, ValueError, EOFError):  # what Pillow raises on a broken file
        raise Invalid("document-damaged", field="file") from None
    if found is not media:
        raise Invalid("document-damaged", field="file")
    return media
