"""The daily register: who came this half-day, for the instructor's phone or the centre tablet."""

from flask import Blueprint

bp = Blueprint("register", __name__)

from . import views  # noqa: E402, F401
