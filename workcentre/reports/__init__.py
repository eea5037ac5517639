"""Raportit: what the centre achieves, per centre and period, per participant and month, and
per company. The figures are computed by plain functions over the database (`centre`,
`person`, `company`); the pages, the workbook and the command only show them."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import views  # noqa: E402, F401
