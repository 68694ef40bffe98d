"""Forms of the minutes' pages: writing the minutes, approving them, completing a decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from wijkraad.forms import optional_int
from wijkraad.messages import message_for
from wijkraad.minutes.decisions import TEXT_MAX
from wijkraad.minutes.diff import normalized
from wijkraad.minutes.rules import NOTE_MAX
from wijkraad.voting.meeting_reads import ItemRead

TOO_LONG = _l("Deze tekst is te lang (hoogstens %(max)s tekens).")


def _normalized(value: str | None) -> str | None:
    return normalized(value) if isinstance(value, str) else value


def _revision(form: FlaskForm, field: Field) -> None:
    value = field.data or ""
    if not value.isdigit() or len(value) > 9:
        raise ValidationError(message_for("minutes-based-on"))


def note_field(item_id: int) -> str:
    return f"note_{item_id}"


class MinutesForm(FlaskForm):
    """The remarks and, added per agenda item by ``minutes_form``, a note field each."""

    based_on = HiddenField(validators=[_revision])
    remarks = TextAreaField(
        _l("Algemene opmerkingen"),
        description=_l("Opening, mededelingen, rondvraag en sluiting."),
        filters=[_normalized],
        validators=[Length(max=NOTE_MAX, message=TOO_LONG)],
    )
    item_ids: tuple[int, ...] = ()

    def notes(self) -> dict[int, str]:
        return {item_id: self[note_field(item_id)].data or "" for item_id in self.item_ids}

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        texts = [self.remarks.data or "", *self.notes().values()]
        if valid and not any(text.strip() for text in texts):
            self.remarks.errors = [message_for("minutes-nothing-written")]
            return False
        return valid


def minutes_form(items: Iterable[ItemRead], **kwargs: Any) -> MinutesForm:
    """The form with a note field for each of ``items`` (those the writer may see)."""
    items = list(items)

    class Form(MinutesForm):
        item_ids = tuple(item.id for item in items)

    for item in items:
        setattr(
            Form,
            note_field(item.id),
            TextAreaField(
                _l("Verslag bij agendapunt %(number)s", number=item.number),
                filters=[_normalized],
                validators=[Length(max=NOTE_MAX, message=TOO_LONG)],
            ),
        )
    return Form(**kwargs)


class ApprovalForm(FlaskForm):
    # Any meeting id: the service says why one is refused, in words.
    meeting_id = SelectField(
        _l("Vastgesteld in de vergadering van"),
        coerce=optional_int,
        validate_choice=False,
    )


class DecisionForm(FlaskForm):
    """One decision's texts; several on one page, each with its own prefix."""

    based_on = HiddenField(validators=[InputRequired()])
    # The texts as the form showed them: after a refused save, what only the other writer
    # changed is taken over instead of undone.
    was_text = HiddenField(filters=[_normalized])
    was_explanation = HiddenField(filters=[_normalized])
    was_commitments = HiddenField(filters=[_normalized])
    text = TextAreaField(
        _l("Besluit"),
        description=_l("Wat de wijkraad besloot, in hoogstens 200 tekens."),
        filters=[_normalized],
        validators=[Length(max=TEXT_MAX, message=TOO_LONG)],
    )
    explanation = TextAreaField(
        _l("Toelichting"),
        description=_l("Waarom, in een paar alinea's: wat er besproken en afgewogen is."),
        filters=[_normalized],
        validators=[Length(max=NOTE_MAX, message=TOO_LONG)],
    )
    commitments = TextAreaField(
        _l("Toezeggingen"),
        description=_l("Wat er in de vergadering is beloofd, door wie en wanneer."),
        filters=[_normalized],
        validators=[Length(max=NOTE_MAX, message=TOO_LONG)],
    )

    FIELDS = ("text", "explanation", "commitments")

    def validate_text(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(message_for("decision-text-required"))
