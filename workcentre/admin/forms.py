from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..auth.passwords import MIN_LENGTH
from ..models import Role
from ..people.forms import CheckboxesField
from .accounts import ROLE_LABELS

# Instructor first: the safe default for a new account.
ROLE_CHOICES = [(role.value, ROLE_LABELS[role])
                for role in (Role.INSTRUCTOR, Role.COMPANY, Role.ADMIN)]


class UserForm(FlaskForm):
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Sähköposti"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Rooli"), choices=ROLE_CHOICES)
    company_id = SelectField(_l("Yritys"), coerce=int, default=0)
    password = PasswordField(
        _l("Salasana (tyhjä: tehdään linkki, jolla käyttäjä asettaa sen itse)"),
        validators=[Optional(), Length(min=MIN_LENGTH, max=200,
                                       message=_l("Vähintään 10 merkkiä."))],
    )
    submit = SubmitField(_l("Lisää käyttäjä"))


class UserEditForm(FlaskForm):
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Sähköposti"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Rooli"), choices=ROLE_CHOICES)
    company_id = SelectField(_l("Yritys (vain yrityksen käyttäjälle)"), coerce=int, default=0)
    centres = CheckboxesField(_l("Työkeskukset (vain ohjaajalle)"), coerce=int)
    version = HiddenField()
    submit = SubmitField(_l("Tallenna"))


class RetentionForm(FlaskForm):
    """A centre's retention periods (docs/privacy.md)."""

    centre_id = HiddenField(validators=[DataRequired()])
    retention_months = IntegerField(
        _l("Lähteneiden tiedot anonymisoidaan (kuukautta lähdön jälkeen)"),
        validators=[InputRequired(), NumberRange(1, 120, message=_l("Anna luku 1–120."))])
    audit_retention_months = IntegerField(
        _l("Lokitiedot säilytetään (kuukautta)"),
        validators=[InputRequired(), NumberRange(1, 120, message=_l("Anna luku 1–120."))])
