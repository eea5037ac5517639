from flask import Blueprint

bp = Blueprint("tablet", __name__)

from . import staff_views, views, voice_views  # noqa: E402, F401
