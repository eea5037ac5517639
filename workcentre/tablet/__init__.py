from flask import Blueprint

bp = Blueprint("tablet", __name__)

from . import views  # noqa: E402, F401
