"""Messages for the refusals about budgets (see ``wijkraad.messages``)."""

from flask_babel import lazy_gettext as _l

from wijkraad.messages import register

register(
    {
        "budget-not-found": _l("Voor dat jaar heeft deze wijkraad geen begroting."),
        "budget-exists": _l("Deze wijkraad heeft voor %(year)s al een begroting."),
        "over-allocated": _l(
            "Dat past niet in de begroting: van %(total)s is al %(allocated)s verdeeld."
        ),
        "line-code-taken": _l("Deze begroting heeft al een post met deze code."),
        "budget-line-unknown": _l(
            "Kies een begrotingspost van de begroting van het jaar van de vergadering."
        ),
        "budget-exceeded": _l(
            "Het bedrag past niet in wat er op de begrotingspost over is: nog %(remaining)s."
        ),
        "no-execution": _l("Dit besluit vraagt geen geld uit het wijkbudget."),
        "execution-status": _l("Een uitvoering die %(state)s is, kan niet meer veranderen."),
        "overspent": _l(
            "Meer uitgeven dan is toegezegd kan niet: er is nog %(spendable)s over. Daarvoor "
            "is eerst een nieuw besluit nodig."
        ),
    }
)

# How an execution's status reads on the pages (and in refusals).
EXECUTION_NAMES = {
    "planned": _l("gepland"),
    "in_progress": _l("in uitvoering"),
    "done": _l("uitgevoerd"),
    "cancelled": _l("geannuleerd"),
}
