from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.services import create_user
from ..extensions import db
from ..models import AuditEvent, Company, Role, User
from ..security import roles_required
from . import bp
from .forms import UserForm

PAGE_SIZE = 100


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def users():
    """Every user account; add a new one."""
    form = UserForm()
    form.company_id.choices = [(0, "—")] + [
        (c.id, c.name) for c in db.session.scalars(select(Company).order_by(Company.name))
    ]
    if form.validate_on_submit():
        role = Role(form.role.data)
        if db.session.scalar(select(User).where(User.email == form.email.data.strip().lower())):
            form.email.errors.append(_("Tällä sähköpostilla on jo käyttäjä."))
        elif role == Role.COMPANY and not form.company_id.data:
            form.company_id.errors.append(_("Yrityksen käyttäjälle valitaan yritys."))
        else:
            create_user(form.email.data, form.name.data, form.password.data, role,
                        form.company_id.data or None)
            db.session.commit()
            flash(_("Käyttäjä lisätty."), "info")
            return redirect(url_for("admin.users"))
    accounts = db.session.scalars(select(User).order_by(User.role, User.name))
    return render_template("admin/users.html", users=accounts, form=form)


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
