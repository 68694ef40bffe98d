"""The voting address as a QR code, drawn on the server as inline SVG: no image request, no
script, nothing for the strict Content-Security-Policy to refuse (no inline style either, the
size comes from the page's stylesheet through the class)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str, *, title: str, css_class: str = "app-qr") -> Markup:
    """``text`` as a QR code in an ``<svg role="img">`` named by its ``<title>``; dark modules
    on the light quiet zone around them, scaled to the box the stylesheet gives it."""
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(
        scale=1,
        omitsize=True,
        svgclass=css_class,
        lineclass=None,
        title=title,  # segno escapes it
        dark="#000",
        light="#fff",
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704  (segno's own SVG, title escaped)
