from flask import Blueprint

bp = Blueprint("people", __name__)

from . import privacy_views, views  # noqa: E402, F401
