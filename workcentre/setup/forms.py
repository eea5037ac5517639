"""Forms of the first-run pages: a centre, an instructor with a sign-in, a company and its user."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..auth.passwords import MIN_LENGTH
from ..people.forms import CheckboxesField

TIME_HINT = _l("esim. 08:30")


class CentreForm(FlaskForm):
    name = StringField(_l("Työkeskuksen nimi"), validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Osoite"), validators=[Length(max=200)])
    am_from = StringField(_l("Aamupäivä alkaa"), validators=[DataRequired()],
                          render_kw={"inputmode": "numeric", "placeholder": TIME_HINT})
    am_to = StringField(_l("Aamupäivä päättyy"), validators=[DataRequired()],
                        render_kw={"inputmode": "numeric"})
    pm_from = StringField(_l("Iltapäivä alkaa"), validators=[DataRequired()],
                          render_kw={"inputmode": "numeric"})
    pm_to = StringField(_l("Iltapäivä päättyy"), validators=[DataRequired()],
                        render_kw={"inputmode": "numeric"})


def _password() -> PasswordField:
    return PasswordField(_l("Salasana (vähintään 10 merkkiä)"), validators=[
        DataRequired(), Length(min=MIN_LENGTH, max=200, message=_l("Vähintään 10 merkkiä."))])


class InstructorAccountForm(FlaskForm):
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Sähköposti"), validators=[DataRequired(), Length(max=254)])
    password = _password()
    capacity = IntegerField(_l("Ohjauskapasiteetti (tukipisteitä vuorossa)"), default=6,
                            validators=[InputRequired(),
                                        NumberRange(0, 100, message=_l("Anna luku 0–100."))])
    attends = CheckboxesField(_l("Työvuorot"))
    areas = CheckboxesField(_l("Voi ohjata näissä työtiloissa (ei valintaa: kaikissa)"),
                            coerce=int)


class CompanyForm(FlaskForm):
    name = StringField(_l("Yrityksen nimi"), validators=[DataRequired(), Length(max=160)])


class CompanyUserForm(FlaskForm):
    company_id = SelectField(_l("Yritys"), coerce=int)
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Sähköposti"), validators=[DataRequired(), Length(max=254)])
    password = _password()


class ProductForm(FlaskForm):
    name = StringField(_l("Tuotteen nimi"), validators=[DataRequired(), Length(max=200)])
    task_type_id = SelectField(_l("Työtehtävä"), coerce=int)
    seconds_per_unit = IntegerField(_l("Vakioaika s/kpl"), validators=[
        InputRequired(), NumberRange(1, 36_000, message=_l("Anna luku 1–36000."))])
    company_id = SelectField(_l("Yritys"), coerce=int, default=0)
    unit_price = StringField(_l("Hinta €/kpl (laskutus)"), validators=[Length(max=20)],
                             render_kw={"inputmode": "decimal"})
    hour_price = StringField(_l("tai hinta €/h vakioajasta"), validators=[Length(max=20)],
                             render_kw={"inputmode": "decimal"})
