from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..clock import today
from ..extensions import db
from ..models import AuditEvent, Centre, Role
from ..privacy import retention
from ..security import roles_required
from . import bp
from .forms import RetentionForm

PAGE_SIZE = 100


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    """The audit log, newest first; filter by participant to answer a client's request."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(PAGE_SIZE)
    participant = request.args.get("participant", type=int)
    if participant:
        query = query.where(AuditEvent.participant_id == participant)
    return render_template("admin/audit.html", events=db.session.scalars(query),
                           participant=participant)


@bp.route("/privacy", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def privacy():
    """Tietosuoja: each centre's retention periods and who is due to be anonymised (the same
    list as `workcentre retention`)."""
    form = RetentionForm()
    if form.validate_on_submit():
        centre = db.session.get(Centre, int(form.centre_id.data)) \
            if form.centre_id.data.isdigit() else None
        if centre is not None:
            centre.retention_months = form.retention_months.data
            centre.audit_retention_months = form.audit_retention_months.data
            db.session.commit()
            flash(_("Säilytysajat tallennettu: %(centre)s.", centre=centre.name), "info")
            return redirect(url_for("admin.privacy"))
    elif request.method == "POST":
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    day = today()
    centres = list(db.session.scalars(select(Centre).order_by(Centre.name)))
    rows = [(c, retention.due(c, day), RetentionForm(data={
        "centre_id": str(c.id), "retention_months": c.retention_months,
        "audit_retention_months": c.audit_retention_months})) for c in centres]
    return render_template("admin/privacy.html", rows=rows,
                           audit_cutoff=retention.audit_cutoff(day),
                           audit_due=retention.audit_due(day))
