from datetime import date

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from ..centres import visible_centres
from ..extensions import db
from ..models import WeekPlan
from ..security import staff_only
from ..weeks import planning_week
from . import bp


@bp.route("/")
@staff_only
def index():
    """The instructor's start page: this week's plans of their centres."""
    centres = visible_centres(current_user)
    week = planning_week(date.today())
    plans = db.session.scalars(
        select(WeekPlan).where(WeekPlan.centre_id.in_([c.id for c in centres]),
                               WeekPlan.week == week)
        .order_by(WeekPlan.centre_id, WeekPlan.version.desc())
    )
    return render_template("planning/index.html", centres=centres, week=week, plans=list(plans))
