"""What a drastic button asks before it acts: the heading, the consequence and the confirm
label that both its confirmation page (without script) and its dialog (with script) show."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _


@dataclass(frozen=True)
class Confirmation:
    heading: str
    lines: list[str] = field(default_factory=list)
    confirm_label: str = ""
    back_label: str = ""

    def __post_init__(self) -> None:
        if not self.back_label:
            object.__setattr__(self, "back_label", _("Terug"))


def cancel_meeting() -> Confirmation:
    return Confirmation(
        _("Vergadering annuleren?"),
        [
            _(
                "De vergadering gaat niet door. Wie de agenda kreeg, krijgt bericht van de "
                "annulering."
            ),
            _("Dit kunt u niet ongedaan maken."),
        ],
        _("Ja, vergadering annuleren"),
    )


def close_meeting() -> Confirmation:
    return Confirmation(
        _("Vergadering sluiten?"),
        [
            _("Daarna kan in deze vergadering niet meer worden gestemd of besloten."),
            _("Dit kunt u niet ongedaan maken."),
        ],
        _("Ja, vergadering sluiten"),
    )


def withdraw_motion(title: str) -> Confirmation:
    return Confirmation(
        _("'%(title)s' intrekken?", title=title),
        [
            _("Het voorstel komt dan niet meer in stemming."),
            _("Dit kunt u niet ongedaan maken."),
        ],
        _("Ja, intrekken"),
    )


def close_round(*, named: bool) -> Confirmation:
    lines = []
    if named:
        lines.append(_("Wie nog niet stemde, kan daarna niet meer stemmen."))
    else:
        lines.append(_("Daarna kunt u de aantallen niet meer verbeteren."))
    return Confirmation(_("Stemming sluiten?"), lines, _("Ja, stemming sluiten"))


def votes_in(cast: int, entitled: int, needed: int) -> str:
    """How far a named round is, as the chair's confirmation says it."""
    text = _("%(cast)d van %(entitled)d stemmen binnen.", cast=cast, entitled=entitled)
    if cast < needed:
        text += " " + _("Sluit u nu, dan is de stemming ongeldig.")
    return text
