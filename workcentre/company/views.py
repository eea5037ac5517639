from flask import (
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..access import own_order_or_404
from ..attachments import prepare_attachment, send_order_attachment, stored
from ..clock import today
from ..extensions import db, estimate_limit, file_upload_limit, upload_limit
from ..labels import weekday_date
from ..models import Centre, Company, Role
from ..orders import services as order_services
from ..orders.importer import order_template, read_order_workbook
from ..reports import charts
from ..reports.company import company_record
from ..security import roles_required
from ..xlsx import XLSX_MIME
from ..xlsx_upload import UploadRefused
from . import bp, services
from .forms import OrderForm, UploadForm

company_only = roles_required(Role.COMPANY)


@bp.route("/orders")
@company_only
def orders():
    """The company's own orders and their status."""
    rows = services.company_orders(current_user.company_id)
    return render_template("company/orders.html", orders=rows,
                           progress={o.id: order_services.progress(o) for o in rows})


@bp.route("/record")
@company_only
def record():
    """The company's own on-time record and delivered units, month by month."""
    rows = company_record(current_user.company_id, today())
    chart = charts.bars([(r.period.label(), r.units) for r in rows])
    return render_template("company/record.html", rows=rows, chart=chart)


@bp.route("/orders/<int:order_id>")
@company_only
def order(order_id: int):
    """One of the company's orders: lines, status and progress (never anything about people)."""
    item = own_order_or_404(order_id)
    return render_template("company/order.html", order=item,
                           progress=order_services.progress(item),
                           planned=order_services.planned_completion(item))


@bp.route("/orders/new", methods=["GET", "POST"])
@file_upload_limit
@company_only
def new_order():
    centres = services.order_centres()
    form = OrderForm()
    form.centre_id.choices = [(c.id, c.name) for c in centres]
    company = db.session.get(Company, current_user.company_id)
    if request.method == "GET":
        form.contact_name.data, form.contact_email.data = \
            services.default_contact(company, current_user)
    if form.validate_on_submit():
        try:
            attachment = prepare_attachment(form.attachment.data)
        except UploadRefused as refused:
            form.attachment.errors = [*form.attachment.errors, refused.message]
        else:
            centre = db.session.get(Centre, form.centre_id.data)
            line = order_services.LineInput(form.product_name.data, form.quantity.data,
                                            form.wished_date.data)
            item = order_services.submit_order(
                company, current_user, centre, [line], contact_name=form.contact_name.data,
                contact_email=form.contact_email.data, notes=form.notes.data,
                attachment_path=attachment.name if attachment else None)
            with stored(attachment):
                db.session.commit()
            flash(_("Tilaus %(ref)s lähetetty. Saatte vahvistuksen, kun ohjaaja on käsitellyt "
                    "sen.", ref=item.reference), "info")
            return redirect(url_for("company.order", order_id=item.id))
    return render_template("company/new_order.html", form=form,
                           catalogue=services.catalogue(current_user.company_id,
                                                        [c.id for c in centres]))


@bp.route("/orders/upload", methods=["GET", "POST"])
@upload_limit
@company_only
def upload_order():
    centres = services.order_centres()
    form = UploadForm()
    form.centre_id.choices = [(c.id, c.name) for c in centres]
    errors: list[str] = []
    if form.validate_on_submit():
        result = read_order_workbook(form.file.data.read(), centre_id=form.centre_id.data)
        errors = result.errors
        if not errors:
            company = db.session.get(Company, current_user.company_id)
            item = order_services.submit_order(
                company, current_user, db.session.get(Centre, form.centre_id.data),
                result.lines, contact_name=current_user.name, contact_email=current_user.email)
            db.session.commit()
            flash(_("Tilaus %(ref)s lähetetty (%(n)d riviä).", ref=item.reference,
                    n=len(result.lines)), "info")
            return redirect(url_for("company.order", order_id=item.id))
    return render_template("company/upload.html", form=form, errors=errors)


@bp.route("/orders/template.xlsx")
@company_only
def order_template_xlsx():
    return Response(order_template(), mimetype=XLSX_MIME, headers={
        "Content-Disposition": 'attachment; filename="tilaus-mallipohja.xlsx"'})


@bp.route("/orders/<int:order_id>/attachment")
@company_only
def attachment(order_id: int):
    return send_order_attachment(own_order_or_404(order_id))


@bp.route("/estimate")
@estimate_limit
@company_only
def estimate():
    """The earliest delivery date the centre's free capacity allows, for a catalogue product."""
    answer = services.delivery_estimate(
        current_user.company_id, request.args.get("centre", type=int),
        request.args.get("product") or "", request.args.get("quantity", type=int) or 0)
    if answer.kind == "new_product":
        return jsonify(date=None, text=_("Uusi tuote: ohjaaja arvioi toimituspäivän."))
    if answer.kind == "too_large":
        return jsonify(date=None, text=_("Määrä on suuri: ohjaaja arvioi toimituspäivän."))
    if answer.day is None:
        return jsonify(date=None, text="")
    return jsonify(date=answer.day.isoformat(), text=_("Arvioitu aikaisin valmistuminen: %(day)s",
                                                       day=weekday_date(answer.day)))

