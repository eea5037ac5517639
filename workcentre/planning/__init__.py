from flask import Blueprint

bp = Blueprint("planning", __name__)

from . import actuals_views, views  # noqa: E402, F401
