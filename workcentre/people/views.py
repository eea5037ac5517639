import hashlib
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from .. import audit
from ..access import participant_or_404
from ..centres import visible_centres
from ..clock import today
from ..extensions import db, file_upload_limit, upload_limit
from ..labels import slot_label, tag_label
from ..learning.decide import DecisionRefused, decide_pace
from ..learning.suggest import pace_suggestions
from ..models import SLOT_KEYS, Absence, TaskType, User
from ..photos import delete_photo, new_photo
from ..security import staff_only
from ..voice.summary import voice_of
from ..xlsx import XLSX_MIME
from ..xlsx_upload import UploadRefused
from . import bp, pending
from .erased import erased_refusal
from .forms import (
    AbsenceForm,
    ConfirmForm,
    ConfirmImportForm,
    ConsentForm,
    ImportForm,
    ParticipantForm,
)
from .importer import ImportResult, import_participants, participants_template
from .services import (
    ParticipantData,
    add_absences,
    participants_of,
    read_support,
    save_participant,
    upcoming_absences,
)

PENDING_KEY = "people_import"  # the previewed workbook's token, centre and summary digest


@bp.route("/")
@staff_only
def index():
    """The participants of the centres the instructor works in."""
    centres = visible_centres(current_user)
    people = participants_of([c.id for c in centres])
    return render_template("people/index.html", people=people, centres=centres)


@bp.route("/<int:participant_id>")
@staff_only
def detail(participant_id: int):
    """One participant, with support needs and productivity (the view is audit-logged)."""
    participant = participant_or_404(participant_id)
    support = read_support(participant, current_user.role)
    recorder = (db.session.get(User, participant.photo_consent_by_id)
                if participant.photo_consent_by_id else None)
    return render_template(
        "people/detail.html", participant=participant, support=support,
        absence_form=AbsenceForm(), consent_form=ConsentForm(), confirm_form=ConfirmForm(),
        recorder=recorder, voice=voice_of(participant.id, today()), form=FlaskForm(),
        pace=pace_suggestions(participant.centre).get(participant.id),
        absences=upcoming_absences(participant_id=participant.id, since=date.today()))


@bp.route("/<int:participant_id>/pace", methods=["POST"])
@staff_only
def pace(participant_id: int):
    """Accept the pace the person's own reports suggest, or not (health data: staff only)."""
    participant = participant_or_404(participant_id)
    decision = request.form.get("decision")
    if not FlaskForm().validate_on_submit() or decision not in ("accept", "decline"):
        abort(400)
    try:
        decide_pace(participant, request.form.get("seen", type=int), decision == "accept",
                    current_user)
    except DecisionRefused as refused:
        db.session.rollback()
        flash(refused.message, "error")
    else:
        db.session.commit()
        flash(_("Työtahti päivitetty.") if decision == "accept"
              else _("Ehdotus ohitettu: työtahti pysyy ennallaan."), "info")
    return redirect(url_for("people.detail", participant_id=participant.id))


def _task_types(centre_ids: list[int]) -> list[TaskType]:
    return list(db.session.scalars(select(TaskType).where(TaskType.centre_id.in_(centre_ids))
                                   .order_by(TaskType.name)))


def _prepare(form: ParticipantForm, own_tags: list[str] = ()) -> None:
    centres = visible_centres(current_user)
    kinds = _task_types([c.id for c in centres])
    several = len(centres) > 1
    form.centre_id.choices = [(c.id, c.name) for c in centres]
    form.attends.choices = [(k, slot_label(k)) for k in SLOT_KEYS]
    kind_choices = [(k.id, f"{k.name} ({k.centre.name})" if several else k.name) for k in kinds]
    form.skills.choices = form.likes.choices = form.dislikes.choices = kind_choices
    tags = sorted({t for k in kinds for t in k.tags} | set(own_tags))
    form.avoid_tags.choices = [(t, tag_label(t)) for t in tags]


def _data(form: ParticipantForm, *, new: bool = False) -> ParticipantData:
    return ParticipantData(
        first_name=form.first_name.data, last_name=form.last_name.data or "",
        centre_id=form.centre_id.data, attends=form.attends.data or [],
        skill_ids=form.skills.data or [], avoid_tags=form.avoid_tags.data or [],
        liked_ids=form.likes.data or [], disliked_ids=form.dislikes.data or [],
        needs_routine=form.needs_routine.data, support_points=form.support_points.data,
        productivity=form.productivity.data, notes=form.notes.data or "",
        active=True if new else form.active.data,  # a new person is always taking part
        picture_pin=tuple(p for p in (form.pin_1.data, form.pin_2.data, form.pin_3.data) if p),
        symbol=form.symbol.data or "")


def _photo(form: ParticipantForm, old: str | None) -> tuple[str | None, str | None] | None:
    """The photo after this form, or None (with the form's error) when the upload is refused."""
    try:
        return new_photo(form.photo.data, old, form.remove_photo.data)
    except UploadRefused as refused:
        form.photo.errors = [*form.photo.errors, refused.message]
        return None


def _commit_keeping_photo(photo: str | None, old: str | None) -> None:
    """Commit; if that fails, the photo just stored goes too (no file without its person)."""
    try:
        db.session.commit()
    except Exception:
        if photo != old:
            delete_photo(photo)
        raise


@bp.route("/new", methods=["GET", "POST"])
@file_upload_limit
@staff_only
def new():
    form = ParticipantForm()
    _prepare(form)
    if request.method == "GET":
        form.support_points.data, form.productivity.data = 0, 100
        form.attends.data = list(SLOT_KEYS)
    if not form.centre_id.choices:
        # Nothing to save into yet: say so on the form, which keeps what was typed.
        return render_template("people/form.html", form=form, participant=None)
    if form.validate_on_submit() and (photo := _photo(form, None)) is not None:
        participant = save_participant(None, _data(form, new=True))
        participant.photo_path = photo[0]
        _commit_keeping_photo(photo[0], None)
        flash(_("%(name)s lisätty.", name=participant.display_name), "info")
        return redirect(url_for("people.detail", participant_id=participant.id))
    return render_template("people/form.html", form=form, participant=None)


@bp.route("/<int:participant_id>/edit", methods=["GET", "POST"])
@file_upload_limit
@staff_only
def edit(participant_id: int):
    participant = participant_or_404(participant_id)
    if (refused := erased_refusal(participant)) is not None:
        return refused
    form = ParticipantForm()
    if request.method == "GET":
        support = read_support(participant, current_user.role)
        form = ParticipantForm(data={
            "first_name": participant.first_name, "last_name": participant.last_name,
            "centre_id": participant.centre_id, "attends": participant.attends,
            "skills": [k.id for k in participant.skills], "avoid_tags": participant.avoid_tags,
            "likes": [p.task_type_id for p in participant.preferences if p.likes],
            "dislikes": [p.task_type_id for p in participant.preferences if not p.likes],
            "needs_routine": participant.needs_routine, "active": participant.active,
            "support_points": support.support_points, "productivity": support.productivity,
            "notes": support.notes, "symbol": participant.symbol,
            **dict(zip(("pin_1", "pin_2", "pin_3"), participant.picture_pin or [],
                       strict=False))})
    _prepare(form, participant.avoid_tags)
    if form.validate_on_submit() and (photo := _photo(form, participant.photo_path)) is not None:
        old = participant.photo_path
        save_participant(participant, _data(form))
        participant.photo_path = photo[0]
        _commit_keeping_photo(photo[0], old)
        delete_photo(photo[1])
        flash(_("Tiedot tallennettu."), "info")
        return redirect(url_for("people.detail", participant_id=participant.id))
    return render_template("people/form.html", form=form, participant=participant)


def absence_from_form(**owner: int) -> None:
    """Mark the absence the posted form describes (for a participant or an instructor)."""
    form = AbsenceForm()
    if form.validate_on_submit():
        added = add_absences(**owner, first=form.first_day.data, last=form.last_day.data,
                             half=form.half.data or None, reason=form.reason.data or "")
        db.session.commit()
        flash(ngettext("Poissaolo merkitty (%(num)d päivä).",
                       "Poissaolo merkitty (%(num)d päivää).", added), "info")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")


@bp.route("/<int:participant_id>/absences", methods=["POST"])
@staff_only
def add_absence(participant_id: int):
    participant = participant_or_404(participant_id)
    absence_from_form(participant_id=participant.id)
    return redirect(url_for("people.detail", participant_id=participant.id) + "#absences")


@bp.route("/<int:participant_id>/absences/<int:absence_id>/delete", methods=["POST"])
@staff_only
def delete_absence(participant_id: int, absence_id: int):
    participant = participant_or_404(participant_id)
    absence = db.session.get(Absence, absence_id)
    if absence is None or absence.participant_id != participant.id:
        abort(404)
    db.session.delete(absence)
    db.session.commit()
    flash(_("Poissaolo poistettu."), "info")
    return redirect(url_for("people.detail", participant_id=participant.id) + "#absences")


@bp.route("/import", methods=["GET", "POST"])
@upload_limit
@staff_only
def import_people():
    """Participants and attendance from the Excel template: a preview first, then all rows or
    none."""
    centres = visible_centres(current_user)
    if not centres:
        flash(_("Perusta ensin työkeskus: asiakas kuuluu aina työkeskukseen."), "error")
        return redirect(url_for("people.index"))
    form = ImportForm()
    form.centre_id.choices = [(c.id, c.name) for c in centres]
    errors: list[str] = []
    if form.validate_on_submit():
        centre = next(c for c in centres if c.id == form.centre_id.data)
        data = form.file.data.read()
        result = import_participants(centre, data, save=False)
        db.session.rollback()
        if not result.errors:
            return _preview(centre, result, pending.keep(data))
        errors = result.errors
    return render_template("people/import.html", form=form, errors=errors, centres=centres)


def _preview(centre, result: ImportResult, token: str, *, changed_since: bool = False):
    """What the import will do, row by row, with the button that saves it."""
    for plan in result.plans:
        if plan.shows_support:
            audit.record(db.session, "view_support", "participant", plan.participant.id,
                         participant_id=plan.participant.id)
    db.session.commit()
    session[PENDING_KEY] = {"token": token, "centre": centre.id,
                            "summary": _digest(result)}
    confirm = ConfirmImportForm(data={"token": token, "centre_id": centre.id})
    return render_template("people/import_preview.html", result=result, centre=centre,
                           form=confirm, changed_since=changed_since)


def _digest(result: ImportResult) -> str:
    text = "\n".join(plan.summary for plan in result.plans)
    return hashlib.sha256(text.encode()).hexdigest()


@bp.route("/import/confirm", methods=["POST"])
@staff_only
def confirm_import():
    """Save the previewed workbook, if it still does what the preview said."""
    form = ConfirmImportForm()
    kept = session.get(PENDING_KEY) or {}
    centre = next((c for c in visible_centres(current_user)
                   if str(c.id) == form.centre_id.data and c.id == kept.get("centre")), None)
    data = pending.load(form.token.data) if form.validate_on_submit() else None
    if centre is None or kept.get("token") != form.token.data or data is None:
        flash(_("Esikatselu on vanhentunut. Tuo tiedosto uudelleen."), "error")
        return redirect(url_for("people.import_people"))
    result = import_participants(centre, data)
    if result.errors or _digest(result) != kept.get("summary"):
        db.session.rollback()
        if result.errors:
            flash(_("Tiedostoa ei tuotu: tiedot ovat muuttuneet. Tuo tiedosto uudelleen."),
                  "error")
            return redirect(url_for("people.import_people"))
        preview = import_participants(centre, data, save=False)
        db.session.rollback()
        return _preview(centre, preview, form.token.data, changed_since=True)
    db.session.commit()
    pending.discard(form.token.data)
    session.pop(PENDING_KEY, None)
    flash(_("Tuotu: %(new)d uutta, %(changed)d päivitetty.", new=result.created,
            changed=result.changed), "info")
    return redirect(url_for("people.index"))


@bp.route("/import/template.xlsx")
@staff_only
def import_template():
    centres = visible_centres(current_user)
    centre_id = request.args.get("centre", type=int)
    centre = next((c for c in centres if c.id == centre_id), centres[0] if centres else None)
    if centre is None:
        abort(404)
    return Response(participants_template(centre), mimetype=XLSX_MIME, headers={
        "Content-Disposition": 'attachment; filename="asiakkaat-mallipohja.xlsx"'})
