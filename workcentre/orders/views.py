from datetime import date

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import held_order_or_404, visible_order_or_404
from ..attachments import send_order_attachment
from ..centres import visible_centres
from ..extensions import db
from ..hygiene import clean_text
from ..learning import suggest as learning
from ..models import OPEN_STATUSES, Company, Order, OrderStatus
from ..security import staff_only
from ..xlsx import XLSX_MIME
from . import bp, services
from .intake import parse_accept, parse_change
from .reports import monthly_workbook, workbook_name

STEPS_PER_LINE = 2


@bp.route("/")
@staff_only
def index():
    """The intake desk: new orders first, then open ones, then the rest."""
    centres = [c.id for c in visible_centres(current_user)]
    rows = list(db.session.scalars(
        select(Order).where(Order.centre_id.in_(centres) | Order.centre_id.is_(None))
        .order_by(Order.created_at.desc(), Order.id.desc())))
    new = [o for o in rows if o.status == OrderStatus.RECEIVED]
    open_ = [o for o in rows if o.status in OPEN_STATUSES or o.status == OrderStatus.READY]
    done = [o for o in rows if o not in new and o not in open_]
    companies = db.session.scalars(select(Company).order_by(Company.name))
    return render_template("orders/index.html", new=new, open_orders=open_, done=done,
                           companies=list(companies), month=date.today().strftime("%Y-%m"))


@bp.route("/<int:order_id>")
@staff_only
def detail(order_id: int):
    order = visible_order_or_404(order_id)
    centres = visible_centres(current_user)
    centre = next((c for c in centres if c.id == order.centre_id), centres[0] if centres else None)
    suggestions = {line.id: services.catalogue_product(order.company_id, centre.id,
                                                       line.product_name)
                   for line in order.lines} if centre else {}
    return render_template(
        "orders/detail.html", order=order, centre=centre, centres=centres,
        task_types=services.task_types_of(centre) if centre else [], suggestions=suggestions,
        progress=services.progress(order), planned=services.planned_completion(order),
        steps_per_line=STEPS_PER_LINE,
        learned=learning.standard_time_suggestions(centre) if centre and any(suggestions.values())
        else {})


@bp.route("/<int:order_id>/accept", methods=["POST"])
@staff_only
def accept(order_id: int):
    order = held_order_or_404(order_id)
    if order.status != OrderStatus.RECEIVED:
        flash(_("Tilaus on jo käsitelty."), "error")
        return redirect(url_for("orders.detail", order_id=order.id))
    centres = visible_centres(current_user)
    parsed = parse_accept(request.form, order, centres, STEPS_PER_LINE)
    if parsed.errors:
        for error in parsed.errors:
            flash(error, "error")
        return redirect(url_for("orders.detail", order_id=order.id))
    services.accept_order(order, parsed.centre, parsed.steps, parsed.confirmed_date,
                          current_user)
    db.session.commit()
    flash(_("Tilaus %(ref)s hyväksytty. Se on mukana seuraavassa suunnittelussa.",
            ref=order.reference), "info")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/decline", methods=["POST"])
@staff_only
def decline(order_id: int):
    order = held_order_or_404(order_id)
    reason = clean_text(request.form.get("reason") or "").strip()
    if order.status != OrderStatus.RECEIVED:
        flash(_("Tilaus on jo käsitelty."), "error")
    elif not reason or len(reason) > 2000:
        flash(_("Kirjoita yritykselle syy (enintään 2000 merkkiä)."), "error")
    else:
        services.decline_order(order, reason)
        db.session.commit()
        flash(_("Tilaus hylätty ja syy näytetään yritykselle."), "info")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/change", methods=["POST"])
@staff_only
def change(order_id: int):
    order = held_order_or_404(order_id)
    if order.status not in (*OPEN_STATUSES, OrderStatus.READY):
        flash(_("Vain hyväksyttyä tilausta voi muuttaa."), "error")
        return redirect(url_for("orders.detail", order_id=order.id))
    parsed = parse_change(request.form, order)
    if parsed.errors:
        for error in parsed.errors:
            flash(error, "error")
    elif services.change_order(order, quantities=parsed.quantities,
                               confirmed_date=parsed.confirmed_date, note=parsed.note):
        db.session.commit()
        flash(_("Muutos tallennettu ja näytetään yritykselle."), "info")
    else:
        flash(_("Ei muutoksia."), "info")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/delivered", methods=["POST"])
@staff_only
def delivered(order_id: int):
    order = held_order_or_404(order_id)
    if order.status != OrderStatus.READY:
        flash(_("Vain valmiin tilauksen voi merkitä toimitetuksi."), "error")
    else:
        services.mark_delivered(order)
        db.session.commit()
        flash(_("Tilaus merkitty toimitetuksi."), "info")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.route("/<int:order_id>/delivery-note")
@staff_only
def delivery_note(order_id: int):
    order = visible_order_or_404(order_id)
    return render_template("orders/delivery_note.html", order=order,
                           progress=services.progress(order), today=date.today())


@bp.route("/<int:order_id>/attachment")
@staff_only
def attachment(order_id: int):
    return send_order_attachment(visible_order_or_404(order_id))


@bp.route("/monthly.xlsx")
@staff_only
def monthly():
    """One company's month for invoicing: units made and delivered, with dates."""
    company = db.session.get(Company, request.args.get("company", type=int) or 0)
    month = request.args.get("month", "")
    try:
        first = date.fromisoformat(month + "-01")
    except ValueError:
        abort(404)
    if company is None:
        abort(404)
    centres = [c.id for c in visible_centres(current_user)]
    return Response(monthly_workbook(company, first, centres), mimetype=XLSX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{workbook_name(company, first)}"'})
