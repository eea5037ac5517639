from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..auth.passwords import MIN_LENGTH

ROLE_CHOICES = [
    ("instructor", _l("Ohjaaja")),
    ("company", _l("Yrityksen käyttäjä")),
    ("admin", _l("Pääkäyttäjä")),
]


class UserForm(FlaskForm):
    name = StringField(_l("Nimi"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Sähköposti"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Rooli"), choices=ROLE_CHOICES)
    company_id = SelectField(_l("Yritys"), coerce=int, default=0)
    password = PasswordField(
        _l("Salasana"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=200,
                                           message=_l("Vähintään 10 merkkiä."))],
    )
    submit = SubmitField(_l("Lisää käyttäjä"))
