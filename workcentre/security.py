"""Access rules and the HTTP hardening every response gets."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, Response, abort, has_request_context, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from .models import Role

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def roles_required(*roles: Role) -> Callable:
    """Only signed-in users (or kiosks) with one of these roles may enter the view."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if Role.KIOSK in roles:
                    return redirect(url_for("tablet.not_enrolled"))
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)  # read by the route-access tests
        return wrapped

    return decorator


def staff_only(view: Callable) -> Callable:
    """Instructors and admins: the only roles that see participants' data."""
    return roles_required(Role.INSTRUCTOR, Role.ADMIN)(view)


def _add_secure_flag(response: Response) -> None:
    # Cookies get Secure whenever the request came over HTTPS (flask-login's remember cookie
    # has no such switch of its own).
    cookies = response.headers.getlist("Set-Cookie")
    if not cookies:
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        if "; secure" not in cookie.lower():
            cookie += "; Secure"
        response.headers.add("Set-Cookie", cookie)


class SessionCookieSecureOverHttps(SecureCookieSessionInterface):
    """The session cookie gets Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )


def harden(app: Flask) -> None:
    """Security headers on every response; no caching of anything a signed-in user sees.

    Call before the extensions are bound: after-request hooks run in reverse order, so this one
    then runs last and also sees the remember cookie that flask-login sets.
    """
    app.session_interface = SessionCookieSecureOverHttps()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), geolocation=()")
        if request.endpoint != "static" and (
            current_user.is_authenticated or response.mimetype == "text/html"
        ):
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
            _add_secure_flag(response)
        return response
