from flask import Blueprint

bp = Blueprint("people", __name__)

from . import privacy_views, views, voice_views  # noqa: E402, F401
