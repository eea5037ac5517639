"""The admin's user pages: the list with filters and a new-user form, one user's page."""

import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..access import user_or_404
from ..auth.reset import LINK_HOURS, create_reset_link, deliver_reset_link
from ..auth.services import create_user
from ..extensions import db
from ..models import Centre, Company, Role, User
from ..security import roles_required
from ..setup.services import inserted
from . import bp
from .accounts import (
    STATUSES,
    AccountChanged,
    AccountData,
    AccountRefused,
    UserFilter,
    close_account,
    find_users,
    reopen_account,
    role_label,
    update_account,
)
from .forms import UserEditForm, UserForm

admin_only = roles_required(Role.ADMIN)
bp.add_app_template_global(role_label, "role_label")


def _company_choices() -> list[tuple[int, str]]:
    return [(0, "—")] + [(c.id, c.name) for c in
                         db.session.scalars(select(Company).order_by(Company.name))]


def _centres() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.name)))


def _filter_from_args() -> UserFilter:
    status = request.args.get("status", "active")
    return UserFilter(text=request.args.get("q", "")[:100], role=request.args.get("role", ""),
                      centre_id=request.args.get("centre", type=int),
                      status=status if status in STATUSES else "active")


@bp.route("/users", methods=["GET", "POST"])
@admin_only
def users():
    """Every user account, found by name, role, centre and status; add a new one."""
    form = UserForm()
    form.company_id.choices = _company_choices()
    if form.validate_on_submit():
        role = Role(form.role.data)
        if db.session.scalar(select(User).where(User.email == form.email.data.strip().lower())):
            form.email.errors.append(_("Tällä sähköpostilla on jo käyttäjä."))
        elif role == Role.COMPANY and not form.company_id.data:
            form.company_id.errors.append(_("Yrityksen käyttäjälle valitaan yritys."))
        else:
            return _created(role, form)
    wanted = _filter_from_args()
    return render_template("admin/users.html", users=find_users(wanted), form=form,
                           wanted=wanted, centres=_centres()), 400 if form.errors else 200


def _created(role: Role, form: UserForm):
    """Add the account; without a password the admin gets a link for the user to set one."""
    password = form.password.data or secrets.token_urlsafe(32)
    user = create_user(form.email.data, form.name.data, password, role,
                       form.company_id.data or None)
    db.session.expunge(user)
    if not inserted(user):  # another admin added the same email a moment ago
        form.email.errors.append(_("Tällä sähköpostilla on jo käyttäjä."))
        return render_template("admin/users.html", users=find_users(UserFilter()), form=form,
                               wanted=UserFilter(), centres=_centres()), 400
    token = None if form.password.data else create_reset_link(user, current_user.id)
    db.session.commit()
    flash(_("Käyttäjä lisätty."), "info")
    if token is None:
        return redirect(url_for("admin.user", user_id=user.id))
    return _user_page(user, _edit_form(user, fresh=True),
                      link=url_for("auth.reset_password", token=token, _external=True))


def _edit_form(user: User, fresh: bool) -> UserEditForm:
    """The edit form; `fresh` fills it from the account as it is saved now."""
    form = UserEditForm(formdata=None if fresh else request.form or None, obj=user)
    form.company_id.choices = _company_choices()
    form.centres.choices = [(c.id, c.name) for c in _centres()]
    if form.company_id.data is None:  # not sent: no company
        form.company_id.data = 0
    if fresh or not form.is_submitted():
        form.company_id.data = user.company_id or 0
        form.centres.data = [c.id for c in user.instructor.centres] if user.instructor else []
        form.version.data = str(user.version)
    return form


def _user_page(user: User, form: UserEditForm, link: str | None = None, status: int = 200):
    return render_template("admin/user.html", user=user, form=form, link=link,
                           link_hours=LINK_HOURS, action_form=FlaskForm()), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user(user_id: int):
    """One account: its details, roles and centres; close, reopen, a password link."""
    account = user_or_404(user_id)
    form = _edit_form(account, fresh=False)
    if not form.validate_on_submit():
        return _user_page(account, form, status=400 if form.errors else 200)
    data = AccountData(name=form.name.data, email=form.email.data, role=Role(form.role.data),
                       company_id=form.company_id.data or None,
                       centre_ids=list(form.centres.data or []))
    try:
        update_account(account, int(form.version.data or 0), data)
    except AccountChanged as changed:
        db.session.rollback()
        flash(str(changed), "error")
        return _user_page(account, _edit_form(account, fresh=True), status=409)
    except AccountRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _user_page(account, form, status=400)
    db.session.commit()
    flash(_("Tiedot tallennettu."), "info")
    return redirect(url_for("admin.user", user_id=account.id))


def _action(user_id: int, act) -> object:
    account = user_or_404(user_id)
    if FlaskForm().validate_on_submit():
        try:
            message = act(account)
        except AccountRefused as refused:
            db.session.rollback()
            flash(str(refused), "error")
        else:
            db.session.commit()
            flash(message, "info")
    return redirect(url_for("admin.user", user_id=account.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_only
def deactivate_user(user_id: int):
    """Close the account: the user is signed out everywhere at once."""
    def act(account: User) -> str:
        close_account(account, current_user._get_current_object())
        return _("%(name)s on poistettu käytöstä ja kirjattu ulos kaikilta laitteilta.",
                 name=account.name)
    return _action(user_id, act)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@admin_only
def reactivate_user(user_id: int):
    def act(account: User) -> str:
        reopen_account(account)
        return _("%(name)s on taas käytössä.", name=account.name)
    return _action(user_id, act)


@bp.route("/users/<int:user_id>/password-link", methods=["POST"])
@admin_only
def password_link(user_id: int):
    """Make a one-time link for setting a new password and show it once."""
    account = user_or_404(user_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("admin.user", user_id=account.id))
    if not account.active:
        flash(_("Ota käyttäjä ensin käyttöön."), "error")
        return redirect(url_for("admin.user", user_id=account.id))
    token = create_reset_link(account, current_user.id)
    db.session.commit()
    link = url_for("auth.reset_password", token=token, _external=True)
    if deliver_reset_link(account, link):
        flash(_("Linkki lähetettiin osoitteeseen %(email)s.", email=account.email), "info")
    return _user_page(account, _edit_form(account, fresh=True), link=link)
