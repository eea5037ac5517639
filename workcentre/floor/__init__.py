from flask import Blueprint

bp = Blueprint("floor", __name__)

from . import views  # noqa: E402, F401
