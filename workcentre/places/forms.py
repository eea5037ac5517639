"""Forms for work areas, task types and instructors."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..people.forms import CheckboxesField

PICTOGRAMS = [("box", _l("laatikko")), ("label", _l("tarra")), ("sort", _l("lajittelu")),
              ("wrench", _l("työkalu")), ("stapler", _l("nitoja")), ("fold", _l("taitto")),
              ("count", _l("laskeminen")), ("clean", _l("siivous"))]


class AreaForm(FlaskForm):
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    seats = IntegerField(_l("Paikkoja"), validators=[
        InputRequired(), NumberRange(0, 500, message=_l("Anna luku 0–500."))])


class TaskTypeForm(FlaskForm):
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    code = StringField(_l("Lyhenne (tunnus)"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[a-z0-9][a-z0-9_-]*$",
               message=_l("Pienet kirjaimet a–z, numerot, - ja _ (esim. pakkaus-2)."))])
    easy_name = StringField(_l("Selkokielinen kuvaus tabletille"), validators=[Length(max=200)])
    area_id = SelectField(_l("Työtila"), coerce=int)
    tags = CheckboxesField(_l("Piirteet (ihmiset voivat välttää näitä)"))
    max_workers = IntegerField(_l("Enintään tekijöitä samaan aikaan (tyhjä: ei rajaa)"),
                               validators=[Optional(), NumberRange(0, 500)])
    pictogram = SelectField(_l("Kuva"), choices=PICTOGRAMS)
    instructions = TextAreaField(_l("Työn vaiheet selkokielellä, yksi riville"),
                                 validators=[Length(max=3000)])
    photo = FileField(_l("Valokuva oikeasta työstä (JPEG, PNG tai WebP)"))
    remove_photo = BooleanField(_l("Poista nykyinen kuva"))

    def validate_instructions(self, field) -> None:
        if any(len(line) > 300 for line in (field.data or "").splitlines()):
            raise ValidationError(_l("Yksi vaihe voi olla enintään 300 merkkiä."))


class InstructorForm(FlaskForm):
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Ohjauskapasiteetti (tukipisteitä vuorossa)"), validators=[
        InputRequired(), NumberRange(0, 100, message=_l("Anna luku 0–100."))])
    attends = CheckboxesField(_l("Työvuorot"))
    areas = CheckboxesField(_l("Voi ohjata näissä työtiloissa (ei valintaa: kaikissa)"),
                            coerce=int)
    user_id = SelectField(_l("Kirjautumistunnus"), coerce=int, default=0)


class ClosureForm(FlaskForm):
    day = DateField(_l("Päivä"), validators=[InputRequired(message=_l("Valitse päivä."))])
    reason = StringField(_l("Syy (näkyy viikkosuunnitelmassa)"),
                         validators=[DataRequired(message=_l("Kerro syy, esim. inventaario.")),
                                     Length(max=120)])
