from flask import Blueprint

bp = Blueprint("people", __name__)

from . import views, voice_views  # noqa: E402, F401
