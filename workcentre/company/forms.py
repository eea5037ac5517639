"""The companies' order forms."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..closures import delivery_date_error
from ..hygiene import clean_text

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"  # the shape only: the address is for people to read


class QuantityField(IntegerField):
    """A whole number, with a message people understand when it is not one."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Anna määrä kokonaislukuna."))) from error


class OrderForm(FlaskForm):
    centre_id = SelectField(_l("Työkeskus"), coerce=int)
    product_name = StringField(_l("Mitä tehdään (tuote)"), filters=[clean_text],
                               validators=[DataRequired(), Length(max=200)])
    quantity = QuantityField(_l("Määrä (kpl)"), validators=[
        InputRequired(message=_l("Anna määrä kokonaislukuna.")),
        NumberRange(1, 10_000_000, message=_l("Määrän pitää olla 1–10 000 000."))])
    wished_date = DateField(_l("Toivottu toimituspäivä"), validators=[Optional()])
    contact_name = StringField(_l("Yhteyshenkilö"), filters=[clean_text],
                               validators=[Length(max=120)])
    contact_email = EmailField(_l("Yhteyshenkilön sähköposti"),
                               validators=[Optional(), Length(max=254),
                                           Regexp(EMAIL, message=_l("Tarkista sähköposti."))])
    notes = TextAreaField(_l("Lisätiedot"), filters=[clean_text], validators=[Length(max=2000)])
    attachment = FileField(_l("Liite: kuva tuotteesta tai PDF (vapaaehtoinen)"))

    def validate_wished_date(self, field) -> None:
        if field.data and field.data < date.today():
            raise ValidationError(_l("Päivä on jo mennyt."))
        closed = delivery_date_error(self.centre_id.data, field.data)
        if closed:
            raise ValidationError(closed)


class UploadForm(FlaskForm):
    centre_id = SelectField(_l("Työkeskus"), coerce=int)
    file = FileField(_l("Tilaus Excel-tiedostona (.xlsx)"),
                     validators=[FileRequired(message=_l("Valitse tiedosto."))])
