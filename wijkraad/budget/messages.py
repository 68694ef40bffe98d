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
        "transfer-needs-two-thirds": _l(
            "Geld verschuiven tussen begrotingsposten is een besluit met tweederdemeerderheid: "
            "kies tweederdemeerderheid."
        ),
        "transfer-same-line": _l(
            "Kies twee verschillende begrotingsposten om geld te verschuiven."
        ),
        "transfer-incomplete": _l(
            "Geld verschuiven vraagt een bedrag, de post waar het vandaan komt en de post waar "
            "het naartoe gaat."
        ),
        "transfer-not-by-formality": _l(
            "Over geld verschuiven tussen begrotingsposten wordt altijd gestemd: het kan geen "
            "hamerstuk zijn."
        ),
        "transfer-and-top-up": _l(
            "Een voorstel verschuift geld of vult een besluit aan, niet allebei."
        ),
        "top-up-unknown": _l(
            "Kies een aangenomen besluit van deze wijkraad met geld op dezelfde begrotingspost."
        ),
        "top-up-closed": _l(
            "De uitvoering van dat besluit is afgerond of geannuleerd: er kan geen geld meer bij."
        ),
        "top-up-incomplete": _l(
            "Een aanvulling op een besluit vraagt een bedrag en de begrotingspost van dat besluit."
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
