from flask import Blueprint

bp = Blueprint("planning", __name__)

from . import views  # noqa: E402, F401
