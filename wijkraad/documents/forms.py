"""The form that adds a document."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import Length, Optional


class DocumentForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leeg laten: de naam van het bestand."),
    )
    # What the file is, and its size, the service decides from its content.
    file = FileField(_l("Bestand"))
