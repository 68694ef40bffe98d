from flask_babel import lazy_gettext as _l

from wijkraad.messages import register

register(
    {
        "document-not-found": _l("Dit document bestaat niet."),
        "document-file-required": _l("Kies een bestand."),
        "document-type": _l(
            "Dit bestand is geen PDF, PNG, JPEG of WebP. Alleen die soorten bestanden kunnen "
            "worden toegevoegd (de inhoud telt, niet de naam)."
        ),
        "document-damaged": _l(
            "Dit bestand is beschadigd of onvolledig en kan niet worden geopend."
        ),
        "document-too-large": _l("Dit bestand is te groot: hoogstens %(megabytes)s MB."),
        "document-title-too-long": _l("Een titel heeft hoogstens %(length)s tekens."),
        "multipart-required": _l(
            "Stuur het bestand als formulier (Content-Type: multipart/form-data), in het veld file."
        ),
        "document-exists": _l("Dit bestand is hier al toegevoegd."),
        "document-meeting-finished": _l(
            "De vergadering is gesloten of geannuleerd: er kunnen geen documenten meer worden "
            "toegevoegd of verwijderd."
        ),
    }
)
