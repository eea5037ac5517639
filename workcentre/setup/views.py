"""The first-run pages: the checklist, a new centre, an instructor with a sign-in, companies."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..access import centre_or_404
from ..centres import visible_centres
from ..extensions import db
from ..labels import slot_label
from ..learning.decide import DecisionRefused, decide_standard_time
from ..learning.suggest import standard_time_suggestions
from ..models import SLOT_KEYS, Company, Product, Role, TaskType, User
from ..orders.pricing import PriceRefused, euros, parse_price
from ..places.services import save_instructor
from ..security import roles_required, staff_only
from . import bp
from .forms import CentreForm, CompanyForm, CompanyUserForm, InstructorAccountForm, ProductForm
from .readiness import checklist
from .services import (
    DEFAULT_SLOTS,
    SetupRefused,
    add_user,
    centre_half_days,
    centre_products,
    create_centre,
    create_company,
    parse_half_days,
    save_product,
    update_centre,
)

admin_only = roles_required(Role.ADMIN)


@bp.route("/")
@admin_only
def index():
    """The set-up checklist of every centre; with none yet, the way to the first."""
    centres = visible_centres(current_user)
    if not centres:
        return redirect(url_for("setup.centre"))
    return render_template("setup/index.html",
                           centres=[(c, checklist(c)) for c in centres])


@bp.route("/centre/new", methods=["GET", "POST"])
@bp.route("/centre/<int:centre_id>", methods=["GET", "POST"])
@admin_only
def centre(centre_id: int | None = None):
    item = centre_or_404(current_user, centre_id) if centre_id else None
    form = CentreForm()
    if not form.is_submitted():
        hours = centre_half_days(item) if item else parse_half_days(DEFAULT_SLOTS)
        (form.am_from.data, form.am_to.data), (form.pm_from.data, form.pm_to.data) = (
            part.split("-") for part in hours.text().split(","))
        if item:
            form.name.data, form.address.data = item.name, item.address
    if form.validate_on_submit():
        try:
            hours = parse_half_days(f"{form.am_from.data}-{form.am_to.data},"
                                    f"{form.pm_from.data}-{form.pm_to.data}")
            if item is None:
                item, created = create_centre(form.name.data, address=form.address.data or "",
                                              half_days=hours)
                if not created:
                    raise SetupRefused(_("Tällä nimellä on jo työkeskus."))
            else:
                update_centre(item, name=form.name.data, address=form.address.data or "",
                              half_days=hours)
        except SetupRefused as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Tiedot tallennettu."), "info")
            return redirect(url_for("setup.index"))
    return render_template("setup/centre.html", item=item, form=form)


@bp.route("/<int:centre_id>/instructors/new", methods=["GET", "POST"])
@admin_only
def instructor(centre_id: int):
    """An instructor with a sign-in, their areas and weekly pattern, in one form."""
    centre = centre_or_404(current_user, centre_id)
    form = InstructorAccountForm()
    form.attends.choices = [(k, slot_label(k)) for k in SLOT_KEYS]
    form.areas.choices = [(a.id, a.name) for a in centre.areas]
    if not form.is_submitted():
        form.attends.data = list(SLOT_KEYS)
    if form.validate_on_submit():
        try:
            user, created = add_user(form.email.data, form.name.data, form.password.data,
                                     Role.INSTRUCTOR, centre=centre)
            if not created:
                raise SetupRefused(_("Tällä sähköpostilla on jo käyttäjä."))
        except SetupRefused as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            save_instructor(user.instructor, centre, name=user.name,
                            capacity=form.capacity.data, attends=form.attends.data or [],
                            area_ids=form.areas.data or [], user_id=user.id)
            db.session.commit()
            flash(_("Ohjaaja %(name)s lisätty. Hän kirjautuu sähköpostillaan ja salasanalla.",
                    name=user.name), "info")
            return redirect(url_for("setup.index"))
    return render_template("setup/instructor.html", centre=centre, form=form)


@bp.route("/companies", methods=["GET", "POST"])
@admin_only
def companies():
    """Customer companies and their users: add a company, add a user to one."""
    company_form, user_form = CompanyForm(prefix="company"), CompanyUserForm(prefix="user")
    all_companies = list(db.session.scalars(select(Company).order_by(Company.name)))
    user_form.company_id.choices = [(c.id, c.name) for c in all_companies]
    if request.method == "POST":
        form = company_form if "company-name" in request.form else user_form
        if form.validate_on_submit():
            try:
                message = _save_company(company_form) if form is company_form \
                    else _save_company_user(user_form)
            except SetupRefused as refused:
                db.session.rollback()
                form.form_errors.append(refused.message)
            else:
                db.session.commit()
                flash(message, "info")
                return redirect(url_for("setup.companies"))
    users = db.session.scalars(select(User).where(User.role == Role.COMPANY)
                               .order_by(User.name))
    by_company: dict[int, list[User]] = {}
    for user in users:
        by_company.setdefault(user.company_id, []).append(user)
    return render_template("setup/companies.html", companies=all_companies,
                           by_company=by_company, company_form=company_form,
                           user_form=user_form)


def _save_company(form: CompanyForm) -> str:
    company, created = create_company(form.name.data)
    if not created:
        raise SetupRefused(_("Tällä nimellä on jo yritys."))
    return _("Yritys %(name)s lisätty. Lisää sille käyttäjä.", name=company.name)


def _save_company_user(form: CompanyUserForm) -> str:
    company = db.session.get(Company, form.company_id.data)
    if company is None:
        abort(400)
    user, created = add_user(form.email.data, form.name.data, form.password.data, Role.COMPANY,
                             company=company)
    if not created:
        raise SetupRefused(_("Tällä sähköpostilla on jo käyttäjä."))
    return _("Käyttäjä %(name)s lisätty yritykselle %(company)s.", name=user.name,
             company=company.name)



@bp.route("/<int:centre_id>/products", methods=["GET", "POST"])
@staff_only
def products(centre_id: int):
    """The catalogue: products with their task type and standard time."""
    centre = centre_or_404(current_user, centre_id)
    form = ProductForm()
    form.task_type_id.choices = [(k.id, k.name) for k in centre.task_types]
    companies = list(db.session.scalars(select(Company).order_by(Company.name)))
    form.company_id.choices = [(0, _("kaikki yritykset"))] + [(c.id, c.name) for c in companies]
    if centre.task_types and form.validate_on_submit():
        task_type = db.session.get(TaskType, form.task_type_id.data)
        try:
            save_product(centre, form.name.data, task_type, form.seconds_per_unit.data,
                         db.session.get(Company, form.company_id.data),
                         unit_price_cents=parse_price(form.unit_price.data),
                         hour_price_cents=parse_price(form.hour_price.data))
        except SetupRefused as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        except PriceRefused as refused:
            db.session.rollback()
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("Tiedot tallennettu."), "info")
            return redirect(url_for("setup.products", centre_id=centre.id))
    return render_template("setup/products.html", centre=centre, form=form,
                           products=centre_products(centre),
                           company_names={c.id: c.name for c in companies}, euros=euros,
                           learned=standard_time_suggestions(centre), decide_form=FlaskForm())


@bp.route("/<int:centre_id>/products/<int:product_id>/standard-time", methods=["POST"])
@staff_only
def standard_time(centre_id: int, product_id: int):
    """Accept the standard time the reports suggest, or not (`decision`: accept/decline)."""
    centre = centre_or_404(current_user, centre_id)
    product = db.session.get(Product, product_id)
    if product is None or product.centre_id != centre.id:
        abort(404)
    form = FlaskForm()
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("accept", "decline"):
        abort(400)
    try:
        decide_standard_time(product, request.form.get("seen", type=int),
                             decision == "accept", current_user)
    except DecisionRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("Vakioaika päivitetty: %(name)s %(seconds)d s/kpl.", name=product.name,
                seconds=product.seconds_per_unit) if decision == "accept"
              else _("Ehdotus ohitettu: vakioaika pysyy ennallaan."), "info")
    return redirect(url_for("setup.products", centre_id=centre.id))
