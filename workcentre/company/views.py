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
from sqlalchemy import select

from ..access import own_order_or_404
from ..attachments import prepare_attachment, send_order_attachment, stored
from ..extensions import db, estimate_limit, file_upload_limit, upload_limit
from ..labels import weekday_date
from ..models import Centre, Company, Order, Product, Role
from ..orders import services
from ..orders.estimate import estimate_ready
from ..orders.importer import order_template, read_order_workbook
from ..security import roles_required
from ..xlsx import XLSX_MIME
from ..xlsx_upload import UploadRefused
from . import bp
from .forms import OrderForm, UploadForm

company_only = roles_required(Role.COMPANY)


def _centres() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.name)))


def _catalogue(centre_ids: list[int]) -> list[Product]:
    return list(db.session.scalars(select(Product).where(
        Product.centre_id.in_(centre_ids),
        (Product.company_id == current_user.company_id) | Product.company_id.is_(None))
        .order_by(Product.name)))


@bp.route("/orders")
@company_only
def orders():
    """The company's own orders and their status."""
    rows = list(db.session.scalars(
        select(Order).where(Order.company_id == current_user.company_id)
        .order_by(Order.created_at.desc(), Order.id.desc())))
    return render_template("company/orders.html", orders=rows,
                           progress={o.id: services.progress(o) for o in rows})


@bp.route("/record")
@company_only
def record():
    """The company's own on-time record and delivered units, month by month."""
    from ..clock import today
    from ..reports import charts
    from ..reports.company import company_record

    rows = company_record(current_user.company_id, today())
    chart = charts.bars([(r.period.label(), r.units) for r in rows])
    return render_template("company/record.html", rows=rows, chart=chart)


@bp.route("/orders/<int:order_id>")
@company_only
def order(order_id: int):
    """One of the company's orders: lines, status and progress (never anything about people)."""
    item = own_order_or_404(order_id)
    return render_template("company/order.html", order=item, progress=services.progress(item),
                           planned=services.planned_completion(item))


@bp.route("/orders/new", methods=["GET", "POST"])
@file_upload_limit
@company_only
def new_order():
    centres = _centres()
    form = OrderForm()
    form.centre_id.choices = [(c.id, c.name) for c in centres]
    company = db.session.get(Company, current_user.company_id)
    if request.method == "GET":
        form.contact_name.data = company.contact_name or current_user.name
        form.contact_email.data = company.contact_email or current_user.email
    if form.validate_on_submit():
        try:
            attachment = prepare_attachment(form.attachment.data)
        except UploadRefused as refused:
            form.attachment.errors = [*form.attachment.errors, refused.message]
        else:
            centre = db.session.get(Centre, form.centre_id.data)
            line = services.LineInput(form.product_name.data, form.quantity.data,
                                      form.wished_date.data)
            item = services.submit_order(
                company, current_user, centre, [line], contact_name=form.contact_name.data,
                contact_email=form.contact_email.data, notes=form.notes.data,
                attachment_path=attachment.name if attachment else None)
            with stored(attachment):
                db.session.commit()
            flash(_("Tilaus %(ref)s lähetetty. Saatte vahvistuksen, kun ohjaaja on käsitellyt "
                    "sen.", ref=item.reference), "info")
            return redirect(url_for("company.order", order_id=item.id))
    return render_template("company/new_order.html", form=form,
                           catalogue=_catalogue([c.id for c in centres]))


@bp.route("/orders/upload", methods=["GET", "POST"])
@upload_limit
@company_only
def upload_order():
    centres = _centres()
    form = UploadForm()
    form.centre_id.choices = [(c.id, c.name) for c in centres]
    errors: list[str] = []
    if form.validate_on_submit():
        result = read_order_workbook(form.file.data.read(), centre_id=form.centre_id.data)
        errors = result.errors
        if not errors:
            company = db.session.get(Company, current_user.company_id)
            item = services.submit_order(company, current_user,
                                         db.session.get(Centre, form.centre_id.data),
                                         result.lines, contact_name=current_user.name,
                                         contact_email=current_user.email)
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
    centre = db.session.get(Centre, request.args.get("centre", type=int) or 0)
    quantity = request.args.get("quantity", type=int) or 0
    name = (request.args.get("product") or "").strip()
    if centre is None or quantity <= 0 or not name:
        return jsonify(date=None, text="")
    product = services.catalogue_product(current_user.company_id, centre.id, name)
    if product is None:
        return jsonify(date=None, text=_("Uusi tuote: ohjaaja arvioi toimituspäivän."))
    minutes = -(-quantity * product.seconds_per_unit // 60)
    ready = estimate_ready(centre, product.task_type, minutes)
    if ready is None:
        return jsonify(date=None, text=_("Määrä on suuri: ohjaaja arvioi toimituspäivän."))
    return jsonify(date=ready.isoformat(),
                   text=_("Arvioitu aikaisin valmistuminen: %(day)s", day=weekday_date(ready)))

