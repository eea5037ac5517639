"""Forms for participants and absences. Choices are filled per centre by the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..hygiene import clean_text
from ..labels import CONSENT_USES, PIN_PICTURES


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes: easier to use than a multi-select, by hand and by screen reader."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


PIN_CHOICES = [("", "—")] + [(code, label) for code, label in PIN_PICTURES.items()]


class ParticipantForm(FlaskForm):
    first_name = StringField(_l("Etunimi"), filters=[clean_text],
                             validators=[DataRequired(), Length(max=80)])
    last_name = StringField(_l("Sukunimi"), filters=[clean_text], validators=[Length(max=80)])
    centre_id = SelectField(_l("Työkeskus"), coerce=int)
    attends = CheckboxesField(_l("Viikkorytmi: milloin tulee töihin"))
    skills = CheckboxesField(_l("Osaa nämä tehtävät"), coerce=int)
    avoid_tags = CheckboxesField(_l("Vältettävät piirteet"))
    likes = CheckboxesField(_l("Mieluisat tehtävät"), coerce=int)
    dislikes = CheckboxesField(_l("Epämieluisat tehtävät"), coerce=int)
    needs_routine = BooleanField(_l("Tarvitsee rutiinia (sama tehtävä koko päivän)"))
    support_points = IntegerField(
        _l("Tuen tarve (pisteet)"),
        validators=[InputRequired(), NumberRange(0, 50, message=_l("Anna luku 0–50."))])
    productivity = IntegerField(
        _l("Työtahti (% vakioajasta)"),
        validators=[InputRequired(), NumberRange(1, 200, message=_l("Anna luku 1–200."))])
    notes = TextAreaField(_l("Muistiinpanot tuesta"), filters=[clean_text],
                          validators=[Length(max=2000)])
    active = BooleanField(_l("Mukana työkeskuksessa"), default=True)
    photo = FileField(_l("Kuva (JPEG, PNG tai WebP)"))
    pin_1 = SelectField(_l("Kuvatunnus: 1. kuva"), choices=PIN_CHOICES, default="")
    pin_2 = SelectField(_l("2. kuva"), choices=PIN_CHOICES, default="")
    pin_3 = SelectField(_l("3. kuva"), choices=PIN_CHOICES, default="")
    remove_photo = BooleanField(_l("Poista nykyinen kuva"))
    symbol = SelectField(_l("Oma symboli tabletilla (kun kuvaa ei näytetä)"),
                         choices=PIN_CHOICES, default="")

    def validate_pin_3(self, field) -> None:
        chosen = [self.pin_1.data, self.pin_2.data, field.data]
        if any(chosen) and not all(chosen):
            raise ValidationError(_l("Valitse kuvatunnukseen kolme kuvaa tai ei yhtään."))

    def validate_dislikes(self, field) -> None:
        if set(field.data or []) & set(self.likes.data or []):
            raise ValidationError(_l("Sama tehtävä ei voi olla sekä mieluisa että epämieluisa."))


HALF_CHOICES = [("", _l("koko päivä")), ("am", _l("aamupäivä")), ("pm", _l("iltapäivä"))]


class AbsenceForm(FlaskForm):
    first_day = DateField(_l("Alkaen"), validators=[InputRequired(message=_l("Anna päivä."))])
    last_day = DateField(_l("Asti (tyhjä: vain yksi päivä)"), validators=[Optional()])
    half = SelectField(_l("Osa päivästä"), choices=HALF_CHOICES, default="")
    reason = StringField(_l("Syy (vapaaehtoinen)"), filters=[clean_text],
                         validators=[Length(max=200)])

    def validate_last_day(self, field) -> None:
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("Loppupäivä on ennen alkupäivää."))
        if field.data and self.first_day.data and (field.data - self.first_day.data).days > 366:
            raise ValidationError(_l("Poissaolo voi olla enintään vuoden mittainen."))


class ImportForm(FlaskForm):
    centre_id = SelectField(_l("Työkeskus"), coerce=int)
    file = FileField(_l("Excel-tiedosto (.xlsx)"),
                     validators=[FileRequired(message=_l("Valitse tiedosto."))])


class ConfirmImportForm(FlaskForm):
    """The preview's "save" button: the kept workbook and the centre it goes into."""

    token = HiddenField(validators=[DataRequired()])
    centre_id = HiddenField(validators=[DataRequired()])


class ConsentForm(FlaskForm):
    """A photo consent as the person (or their guardian) gave it: for which uses."""

    uses = CheckboxesField(_l("Kuvaa saa käyttää"), choices=list(CONSENT_USES.items()),
                           validators=[DataRequired(message=_l("Valitse ainakin yksi käyttö."))])


class ConfirmForm(FlaskForm):
    """A button that changes something (withdraw a consent): the CSRF token only."""


class EraseForm(FlaskForm):
    understood = BooleanField(_l("Ymmärrän, että tietoja ei voi palauttaa."),
                              validators=[DataRequired(message=_l(
                                  "Vahvista, että ymmärrät poiston olevan lopullinen."))])
    remove_from_plan = BooleanField(_l("Merkitse hänet poissaolevaksi viikon loppuun."))
