from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import tablet_views, user_views, views  # noqa: E402, F401
