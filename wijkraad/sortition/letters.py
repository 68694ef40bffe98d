"""The invitation letters of a draw: one PDF, one page per invited resident who has not
answered yet, each with their personal response code and where to answer."""

from __future__ import annotations

from collections.abc import Sequence

from flask import render_template

from wijkraad import clock
from wijkraad.publishing.pdf import STATIC_BASE, render_pdf
from wijkraad.sortition.models import Draw
from wijkraad.sortition.queries import InvitationRow


def render(draw: Draw, rows: Sequence[InvitationRow], *, reply_url: str) -> bytes:
    html = render_template(
        "pdf/draw_letters.html",
        draw=draw,
        council=draw.council,
        rows=rows,
        reply_url=reply_url,
        today=clock.today(),
        static_base=STATIC_BASE,
    )
    return render_pdf(html)
