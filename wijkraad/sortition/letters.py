"""The invitation letters of a draw: one PDF, one page per invited resident who has not
answered yet, each with their personal response code and where to answer, and the
municipality's logo at its head once one is set."""

from __future__ import annotations

from collections.abc import Sequence

from flask import render_template

from wijkraad import clock
from wijkraad.publishing import letterhead as letterheads
from wijkraad.publishing.letterhead import Letterhead
from wijkraad.publishing.pdf import STATIC_BASE, render_pdf
from wijkraad.sortition.models import Draw
from wijkraad.sortition.queries import InvitationRow


def render(
    draw: Draw,
    rows: Sequence[InvitationRow],
    *,
    reply_url: str,
    letterhead: Letterhead,
) -> bytes:
    logo = letterheads.logo_of(letterhead)
    html = render_template(
        "pdf/draw_letters.html",
        draw=draw,
        council=draw.council,
        rows=rows,
        reply_url=reply_url,
        today=clock.today(),
        static_base=STATIC_BASE,
        letterhead=letterhead,
        logo_url=letterheads.LOGO_URL if logo is not None else None,
    )
    return render_pdf(html, images=letterheads.images(logo))
