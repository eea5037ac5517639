from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit
from ..extensions import db
from ..models import Role
from ..security import roles_required
from . import bp
from .forms import LoginForm, LogoutForm, PasswordChangeForm
from .passwords import verify_password
from .services import LoginRefused, RateLimited, authenticate, change_password

HOME_BY_ROLE = {
    Role.ADMIN: "admin.users",
    Role.INSTRUCTOR: "planning.index",
    Role.COMPANY: "company.orders",
    Role.KIOSK: "tablet.index",
}


def home_url() -> str:
    return url_for(HOME_BY_ROLE[Role(current_user.role)])


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
def index():
    """Send each role to its own start page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url())


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "-")
        except RateLimited:
            flash(_("Liian monta epäonnistunutta yritystä. Odota 15 minuuttia ja yritä uudelleen."),
                  "error")
        except LoginRefused:
            flash(_("Sähköposti tai salasana on väärin."), "error")
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            session.permanent = True
            audit.set_actor(audit.Actor(f"user:{user.id}", user.id))
            audit.record(db.session, "login", "user_account", user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or home_url())
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out and forget the remember-me cookie."""
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash(_("Olet kirjautunut ulos."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.INSTRUCTOR, Role.COMPANY)
def password():
    """Change one's own password; every other session of the account ends."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("Nykyinen salasana on väärin."))
        else:
            user = current_user._get_current_object()
            change_password(user, form.new.data)
            db.session.commit()
            login_user(user)  # this session goes on with the new token
            flash(_("Salasana vaihdettu. Muut istunnot on kirjattu ulos."), "info")
            return redirect(home_url())
    return render_template("auth/password.html", form=form)


@bp.route("/language/<code>", methods=["POST"])
def language(code: str):
    """Choose the interface language (fi, sv, en)."""
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        if current_user.is_authenticated and current_user.role != Role.KIOSK:
            current_user.language = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.index"))
