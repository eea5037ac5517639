from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from .. import closures
from ..access import centre_item_or_404, centre_or_404
from ..clock import today
from ..extensions import db, file_upload_limit
from ..labels import slot_label, tag_label
from ..models import SLOT_KEYS, Absence, Area, Centre, Instructor, Kiosk, TaskType
from ..people.forms import AbsenceForm
from ..people.services import upcoming_absences
from ..people.views import absence_from_form
from ..photos import delete_photo, new_photo
from ..security import staff_only
from ..tablet.services import revoke, start_enrolment
from ..xlsx_upload import UploadRefused
from . import bp, services
from .forms import AreaForm, ClosureForm, InstructorForm, TaskTypeForm

KNOWN_TAGS = ("noise", "sharp", "standing", "heavy", "chemicals", "fine_motor", "dust")


def _back(centre: Centre):
    return redirect(url_for("places.index", centre_id=centre.id))


@bp.route("/<int:centre_id>/")
@staff_only
def index(centre_id: int):
    """The centre's work areas, task types and instructors."""
    centre = centre_or_404(current_user, centre_id)
    return render_template("places/index.html", centre=centre,
                           instructors=services.centre_instructors(centre))


@bp.route("/<int:centre_id>/areas/new", methods=["GET", "POST"])
@bp.route("/<int:centre_id>/areas/<int:area_id>", methods=["GET", "POST"])
@staff_only
def area(centre_id: int, area_id: int | None = None):
    centre = centre_or_404(current_user, centre_id)
    item = centre_item_or_404(Area, area_id, centre) if area_id else None
    form = AreaForm(obj=item)
    if form.validate_on_submit():
        if services.area_name_taken(centre, form.name.data, item):
            form.name.errors.append(_("Tällä nimellä on jo työtila."))
        else:
            item = item or Area(centre=centre)
            item.name, item.seats = form.name.data.strip(), form.seats.data
            db.session.add(item)
            db.session.commit()
            flash(_("Tiedot tallennettu."), "info")
            return _back(centre)
    return render_template("places/area.html", centre=centre, item=item, form=form)


@bp.route("/<int:centre_id>/task-types/new", methods=["GET", "POST"])
@bp.route("/<int:centre_id>/task-types/<int:task_type_id>", methods=["GET", "POST"])
@file_upload_limit
@staff_only
def task_type(centre_id: int, task_type_id: int | None = None):
    centre = centre_or_404(current_user, centre_id)
    item = centre_item_or_404(TaskType, task_type_id, centre) if task_type_id else None
    form = TaskTypeForm(obj=item)
    form.area_id.choices = [(a.id, a.name) for a in centre.areas]
    tags = sorted(set(KNOWN_TAGS) | set(item.tags if item else []))
    form.tags.choices = [(t, tag_label(t)) for t in tags]
    if item is not None and "instructions" not in request.form:  # a form sent without it keeps them
        form.instructions.data = "\n".join(i.text for i in item.instructions)
    if not centre.areas:
        flash(_("Lisää ensin työtila."), "error")
        return _back(centre)
    if form.validate_on_submit():
        photo = None
        if services.code_taken(centre, form.code.data, item):
            form.code.errors.append(_("Tällä tunnuksella on jo tehtävä."))
        else:
            try:
                photo = new_photo(form.photo.data, item.photo_path if item else None,
                                  form.remove_photo.data)
            except UploadRefused as refused:
                form.photo.errors = [*form.photo.errors, refused.message]
        if photo is not None:
            item = item or TaskType(centre=centre)
            item.name, item.code = form.name.data.strip(), form.code.data
            item.easy_name = (form.easy_name.data or "").strip()
            item.area_id, item.tags = form.area_id.data, sorted(form.tags.data or [])
            item.max_workers, item.pictogram = form.max_workers.data, form.pictogram.data
            services.set_instructions(item, form.instructions.data or "")
            item.photo_path = photo[0]
            db.session.add(item)
            db.session.commit()
            delete_photo(photo[1])
            flash(_("Tiedot tallennettu."), "info")
            return _back(centre)
    return render_template("places/task_type.html", centre=centre, item=item, form=form)


@bp.route("/<int:centre_id>/instructors/new", methods=["GET", "POST"])
@bp.route("/<int:centre_id>/instructors/<int:instructor_id>", methods=["GET", "POST"])
@staff_only
def instructor(centre_id: int, instructor_id: int | None = None):
    centre = centre_or_404(current_user, centre_id)
    item = db.session.get(Instructor, instructor_id) if instructor_id else None
    if instructor_id and (item is None or centre not in item.centres):
        abort(404)
    form = InstructorForm(obj=item)
    if item is not None and not form.is_submitted():
        form.areas.data = [a.id for a in item.areas if a.centre_id == centre.id]
    elif item is None and not form.is_submitted():
        form.attends.data, form.capacity.data = list(SLOT_KEYS), 6
    form.attends.choices = [(k, slot_label(k)) for k in SLOT_KEYS]
    form.areas.choices = [(a.id, a.name) for a in centre.areas]
    users = services.free_instructor_users()
    form.user_id.choices = [(0, "—")] + [(u.id, f"{u.name} ({u.email})") for u in users]
    if item is not None and item.user is not None:
        form.user_id.choices.append((item.user.id, f"{item.user.name} ({item.user.email})"))
        if not form.is_submitted():
            form.user_id.data = item.user.id
    if form.validate_on_submit():
        item = services.save_instructor(
            item, centre, name=form.name.data, capacity=form.capacity.data,
            attends=form.attends.data or [], area_ids=form.areas.data or [],
            user_id=form.user_id.data or None)
        db.session.commit()
        flash(_("Tiedot tallennettu."), "info")
        return redirect(url_for("places.instructor", centre_id=centre.id,
                                instructor_id=item.id))
    absences = upcoming_absences(instructor_id=item.id, since=date.today()) if item else []
    return render_template("places/instructor.html", centre=centre, item=item, form=form,
                           absence_form=AbsenceForm(), absences=absences)


@bp.route("/<int:centre_id>/instructors/<int:instructor_id>/absences", methods=["POST"])
@staff_only
def instructor_absence(centre_id: int, instructor_id: int):
    centre = centre_or_404(current_user, centre_id)
    item = db.session.get(Instructor, instructor_id)
    if item is None or centre not in item.centres:
        abort(404)
    absence_from_form(instructor_id=item.id)
    return redirect(url_for("places.instructor", centre_id=centre.id, instructor_id=item.id))


@bp.route("/<int:centre_id>/instructors/<int:instructor_id>/absences/<int:absence_id>/delete",
          methods=["POST"])
@staff_only
def delete_instructor_absence(centre_id: int, instructor_id: int, absence_id: int):
    centre = centre_or_404(current_user, centre_id)
    absence = db.session.get(Absence, absence_id)
    item = db.session.get(Instructor, instructor_id)
    if item is None or centre not in item.centres or absence is None \
            or absence.instructor_id != item.id:
        abort(404)
    db.session.delete(absence)
    db.session.commit()
    flash(_("Poissaolo poistettu."), "info")
    return redirect(url_for("places.instructor", centre_id=centre.id, instructor_id=item.id))


@bp.route("/<int:centre_id>/tablets", methods=["GET", "POST"])
@staff_only
def tablets(centre_id: int):
    """The centre's tablets: add one (its link is shown once), or revoke one."""
    centre = centre_or_404(current_user, centre_id)
    form = FlaskForm()
    link = None
    if request.method == "POST" and form.validate_on_submit():
        name = (request.form.get("name") or "").strip()
        if not name or len(name) > 80:
            flash(_("Anna tabletille nimi (enintään 80 merkkiä)."), "error")
        else:
            token = start_enrolment(centre, name, current_user.id)[1]
            db.session.commit()
            link = url_for("tablet.enroll", token=token, _external=True)
    kiosks = db.session.scalars(select(Kiosk).where(Kiosk.centre_id == centre.id)
                                .order_by(Kiosk.created_at.desc()))
    return render_template("places/tablets.html", centre=centre, kiosks=list(kiosks),
                           form=form, link=link)


@bp.route("/<int:centre_id>/tablets/<int:kiosk_id>/revoke", methods=["POST"])
@staff_only
def revoke_tablet(centre_id: int, kiosk_id: int):
    centre = centre_or_404(current_user, centre_id)
    kiosk = centre_item_or_404(Kiosk, kiosk_id, centre)
    if FlaskForm().validate_on_submit():
        revoke(kiosk)
        db.session.commit()
        flash(_("Tabletti %(name)s poistettu käytöstä.", name=kiosk.name), "info")
    return redirect(url_for("places.tablets", centre_id=centre.id))


@bp.route("/<int:centre_id>/closures", methods=["GET", "POST"])
@staff_only
def closure_days(centre_id: int):
    """The centre's own closure days, and the public holidays ahead (no work on either)."""
    centre = centre_or_404(current_user, centre_id)
    form = ClosureForm()
    if form.validate_on_submit():
        error = closures.add_closure(centre.id, form.day.data, form.reason.data)
        if error:
            form.day.errors.append(error)
        else:
            db.session.commit()
            flash(_("Suljettu päivä tallennettu."), "info")
            return redirect(url_for("places.closure_days", centre_id=centre.id))
    start = today()
    return render_template("places/closures.html", centre=centre, form=form,
                           own=closures.upcoming_closures(centre.id, start),
                           holidays=closures.closed_days(None, start, start + timedelta(days=365)))


@bp.route("/<int:centre_id>/closures/<int:closure_id>/delete", methods=["POST"])
@staff_only
def delete_closure(centre_id: int, closure_id: int):
    centre = centre_or_404(current_user, centre_id)
    if FlaskForm().validate_on_submit() and closures.remove_closure(centre.id, closure_id):
        db.session.commit()
        flash(_("Suljettu päivä poistettu."), "info")
    return redirect(url_for("places.closure_days", centre_id=centre.id))
