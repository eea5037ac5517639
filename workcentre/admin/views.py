from flask import render_template, request
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, Role
from ..security import roles_required
from . import bp

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
