"""The admin's tablet page: every centre's tablets; take one or all of a centre out of use."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from ..extensions import db
from ..models import Centre, Kiosk, Role
from ..security import roles_required
from . import bp
from .tablets import kiosks_by_centre, revoke_centre, revoke_kiosk

admin_only = roles_required(Role.ADMIN)


@bp.route("/tablets")
@admin_only
def tablets():
    return render_template("admin/tablets.html", groups=kiosks_by_centre(), form=FlaskForm())


@bp.route("/tablets/<int:kiosk_id>/revoke", methods=["POST"])
@admin_only
def revoke_tablet(kiosk_id: int):
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None:
        abort(404)
    if FlaskForm().validate_on_submit():
        if revoke_kiosk(kiosk):
            db.session.commit()
            flash(_("Tabletti %(name)s poistettu käytöstä.", name=kiosk.name), "info")
        else:
            flash(_("Tabletti oli jo poistettu käytöstä."), "info")
    return redirect(url_for("admin.tablets"))


@bp.route("/tablets/centre/<int:centre_id>/revoke", methods=["POST"])
@admin_only
def revoke_centre_tablets(centre_id: int):
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        abort(404)
    if FlaskForm().validate_on_submit():
        count = revoke_centre(centre)
        db.session.commit()
        flash(ngettext("%(centre)s: %(num)d tabletti poistettu käytöstä.",
                       "%(centre)s: %(num)d tablettia poistettu käytöstä.", count,
                       centre=centre.name), "info")
    return redirect(url_for("admin.tablets"))
