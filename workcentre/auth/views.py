import time
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user, login_required, logout_user

from .. import audit
from ..extensions import db, limiter
from ..models import Role
from ..security import roles_required
from ..setup.services import no_centre_yet
from . import bp
from .forms import LoginForm, LogoutForm, PasswordChangeForm, ResetPasswordForm
from .reset import open_reset, use_reset
from .services import (
    LoginHeld,
    LoginRefused,
    authenticate,
    change_password,
    confirm_password,
    posted_by_known_device,
)
from .sessions import (
    DEVICE_COOKIE,
    DEVICE_DAYS,
    device_cookie_with,
    end_session,
    known_device,
    sign_in,
)

HOME_BY_ROLE = {
    Role.ADMIN: "admin.users",
    Role.INSTRUCTOR: "planning.index",
    Role.COMPANY: "company.orders",
    Role.KIOSK: "tablet.index",
}


def home_url() -> str:
    if current_user.role == Role.ADMIN and no_centre_yet():
        return url_for("setup.index")  # the first run: the admin starts with the set-up
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


def _held_page(seconds: int):
    """The sign-in page saying how long to wait (the same for every account, known or not)."""
    flash(_("Odota hetki: voit yrittää uudelleen %(seconds)d sekunnin kuluttua.",
            seconds=seconds), "error")
    response = make_response(render_template("auth/login.html", form=LoginForm()), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def wait_seconds(reset_at: int, now: float, window: int) -> int:
    """Seconds until a limit lets the next try in, as said to the user: the limiter rounds its
    reset time up by a second, so it can be one past the window itself; never more than it."""
    return min(window, max(1, reset_at - int(now)))


def _address_limit_reached(limit: RequestLimit):
    return _held_page(wait_seconds(limit.reset_at, time.time(), limit.limit.get_expiry()))


# Failed sign-ins per address: slows guessing from one place; the staff's own browsers are not
# counted, so an attack from a centre's shared address does not keep its staff out.
address_limit = limiter.limit(
    lambda: current_app.config["LOGIN_ADDRESS_LIMIT"], methods=["POST"], scope="login-address",
    deduct_when=lambda response: bool(g.get("login_failed")),
    exempt_when=posted_by_known_device, on_breach=_address_limit_reached)


@bp.route("/login", methods=["GET", "POST"])
@address_limit
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(home_url())
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data,
                                request.cookies.get(DEVICE_COOKIE))
        except LoginHeld as held:
            return _held_page(held.seconds)
        except LoginRefused:
            g.login_failed = True
            flash(_("Sähköposti tai salasana on väärin."), "error")
        else:
            return _signed_in(user, form.remember.data)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


def _signed_in(user, remember: bool):
    picked = session.get("language")
    session.clear()
    if picked in current_app.config["LANGUAGES"]:
        # A language chosen on the sign-in page is the user's choice on every device from now.
        session["language"] = user.language = picked
    sign_in(user, remember=remember)
    session.permanent = True
    audit.set_actor(audit.Actor(f"user:{user.id}", user.id))
    audit.record(db.session, "login", "user_account", user.id)
    db.session.commit()
    response = redirect(_safe_next(request.args.get("next")) or home_url())
    cookie = request.cookies.get(DEVICE_COOKIE)
    if known_device(cookie, user.id) is None:
        response.set_cookie(DEVICE_COOKIE, device_cookie_with(cookie, user.id), path="/login",
                            max_age=DEVICE_DAYS * 24 * 3600, httponly=True, samesite="Lax",
                            secure=request.is_secure)
    return response


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out: this sign-in ends on the server too; the user's other devices stay in."""
    form = LogoutForm()
    if form.validate_on_submit():
        if current_user.role != Role.KIOSK:
            end_session(session.get("_user_id"))
            audit.record(db.session, "logout", "user_account", current_user.id)
            db.session.commit()
        language = session.get("language") or getattr(current_user, "language", None)
        logout_user()
        session.clear()
        if language:
            session["language"] = language  # the sign-in page stays in the user's language
        flash(_("Olet kirjautunut ulos."), "info")
    return redirect(url_for("auth.login"))


def _held_password_page(form: PasswordChangeForm, seconds: int):
    flash(_("Odota hetki: voit yrittää uudelleen %(seconds)d sekunnin kuluttua.",
            seconds=seconds), "error")
    response = make_response(render_template("auth/password.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.INSTRUCTOR, Role.COMPANY)
def password():
    """Change one's own password; every other session of the account ends."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            right = confirm_password(current_user, form.current.data)
        except LoginHeld as held:
            return _held_password_page(form, held.seconds)
        if not right:
            form.current.errors.append(_("Nykyinen salasana on väärin."))
        else:
            user = current_user._get_current_object()
            change_password(user, form.new.data)
            db.session.commit()
            sign_in(user)  # this browser goes on with the new token
            db.session.commit()
            flash(_("Salasana vaihdettu. Muut istunnot on kirjattu ulos."), "info")
            return redirect(home_url())
    return render_template("auth/password.html", form=form)


@bp.route("/password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password through an admin's one-time link; every session of the user ends."""
    reset = open_reset(token)
    if reset is None:
        return render_template("auth/reset.html", form=None), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if use_reset(reset, form.new.data):
            db.session.commit()
            flash(_("Salasana on vaihdettu. Kirjaudu sisään uudella salasanalla."), "info")
        else:
            flash(_("Linkki on jo käytetty."), "error")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200


@bp.route("/language/<code>", methods=["POST"])
def language(code: str):
    """Choose the interface language (fi, sv, en)."""
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        if current_user.is_authenticated and current_user.role != Role.KIOSK:
            current_user.language = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.index"))
