from flask import Blueprint

bp = Blueprint("setup", __name__)

from . import views  # noqa: E402, F401
