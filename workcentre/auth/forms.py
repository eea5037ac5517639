from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from .passwords import MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("Sähköposti"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Salasana"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Muista minut tällä laitteella"))
    submit = SubmitField(_l("Kirjaudu"))


class _NewPassword(FlaskForm):
    """A new password, typed twice."""

    new = PasswordField(
        _l("Uusi salasana"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=200,
                                           message=_l("Vähintään 10 merkkiä."))],
    )
    again = PasswordField(
        _l("Uusi salasana uudelleen"),
        validators=[DataRequired(), EqualTo("new", message=_l("Salasanat eivät täsmää."))],
    )


class PasswordChangeForm(_NewPassword):
    current = PasswordField(_l("Nykyinen salasana"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Vaihda salasana"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Kirjaudu ulos"))


class ResetPasswordForm(_NewPassword):
    """A new password set through an admin's one-time link."""

    submit = SubmitField(_l("Tallenna salasana"))
