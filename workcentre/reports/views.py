"""Raportit: the centre's figures for a month or a chosen period (page, print, workbook)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user

from ..access import centre_or_404
from ..centres import visible_centres
from ..clock import today
from ..extensions import db
from ..models import Participant
from ..security import staff_only
from ..xlsx import XLSX_MIME
from . import bp, charts
from .centre import centre_report
from .estimate_error import estimate_errors
from .period import Period, PeriodRefused, chosen_period, month_period
from .person import read_person_month


@bp.app_context_processor
def _numbers() -> dict:
    return {"number": number, "percent": percent_text}


def number(value: float | int | None) -> str:
    """A figure in the interface language ("12,5"); a dash when there is none."""
    return "–" if value is None else format_decimal(value, format="#,##0.#")


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{number(value)} %"


def _period_from_args() -> Period:
    """?month=2026-11, or ?start=…&end=…; this month when neither is given."""
    if request.args.get("start") or request.args.get("end"):
        return chosen_period(request.args.get("start", ""), request.args.get("end", ""))
    return month_period(request.args.get("month") or f"{today():%Y-%m}")


@bp.route("/")
@staff_only
def index():
    centres = visible_centres(current_user)
    if not centres:
        return render_template("reports/no_centre.html")
    return redirect(url_for("reports.centre", centre_id=centres[0].id))


def _args(period: Period) -> dict[str, str]:
    if period == month_period(f"{period.first:%Y-%m}"):
        return {"month": f"{period.first:%Y-%m}"}
    return {"start": period.first.isoformat(), "end": period.last.isoformat()}


@bp.route("/<int:centre_id>")
@staff_only
def centre(centre_id: int):
    place = centre_or_404(current_user, centre_id)
    try:
        period = _period_from_args()
    except PeriodRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("reports.centre", centre_id=place.id))
    report = centre_report(place, period)
    return render_template(
        "reports/centre.html", report=report, centre=place, args=_args(period),
        centres=visible_centres(current_user), month=f"{period.first:%Y-%m}",
        printing=request.args.get("print") == "1", charts=_charts(report),
        estimate_errors=estimate_errors(place, period.last))


def _charts(report) -> dict:
    return {
        "weeks": charts.paired_columns([(week.split("-")[1], a.expected, a.present)
                                        for week, a in report.weeks]),
        "companies": charts.bars(list(report.units_by_company.items())),
        "task_types": charts.bars(list(report.units_by_task_type.items())),
        "instructors": charts.bars(list(report.instructor_hours.items())),
    }


@bp.route("/<int:centre_id>/report.xlsx")
@staff_only
def centre_xlsx(centre_id: int):
    from .workbook import centre_workbook

    place = centre_or_404(current_user, centre_id)
    try:
        period = _period_from_args()
    except PeriodRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("reports.centre", centre_id=place.id))
    name = "-".join(_args(period).values())
    return Response(centre_workbook(centre_report(place, period)), mimetype=XLSX_MIME,
                    headers={"Content-Disposition":
                             f'attachment; filename="raportti-{place.id}-{name}.xlsx"'})


def _month_or_redirect(place):
    try:
        return month_period(request.args.get("month") or f"{today():%Y-%m}")
    except PeriodRefused as refused:
        flash(str(refused), "error")
        return None


@bp.route("/<int:centre_id>/people")
@staff_only
def people(centre_id: int):
    """The participants whose month can be opened (names only: the figures are behind a
    logged read)."""
    from .centre import people_of

    place = centre_or_404(current_user, centre_id)
    period = _month_or_redirect(place)
    if period is None:
        return redirect(url_for("reports.people", centre_id=place.id))
    return render_template("reports/people.html", centre=place, period=period,
                           month=f"{period.first:%Y-%m}", people=people_of(place, period))


@bp.route("/<int:centre_id>/people/<int:participant_id>")
@staff_only
def person(centre_id: int, participant_id: int):
    """One participant's month, printable for the service-plan meeting; every view is logged."""
    place = centre_or_404(current_user, centre_id)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.centre_id != place.id:
        abort(404)
    period = _month_or_redirect(place)
    if period is None:
        return redirect(url_for("reports.person", centre_id=place.id,
                                participant_id=participant.id))
    row = read_person_month(place, participant, period)
    db.session.commit()
    return render_template("reports/person.html", centre=place, row=row,
                           month=f"{period.first:%Y-%m}",
                           printing=request.args.get("print") == "1")
