from flask import Blueprint

bp = Blueprint("company", __name__)

from . import views  # noqa: E402, F401
