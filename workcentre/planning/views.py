import json
from datetime import date, timedelta

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..access import centre_or_404, plan_edit_or_404, week_or_404
from ..centres import visible_centres
from ..extensions import db
from ..floor.services import answer_call, open_help_calls
from ..labels import slot_label
from ..models import (
    SLOT_KEYS,
    Centre,
    HelpRequest,
    Participant,
    Role,
    WeekPlan,
)
from ..security import staff_only
from ..setup.readiness import admin_contacts, missing_for_plan
from ..weeks import iso_week, planning_week, week_monday
from ..xlsx import XLSX_MIME
from . import bp, edits, export, queue, runs, store
from .plain_words import cell_situation, wish_words
from .week_view import chart, week_view

TIME_LIMITS = (10, 30, 60, 120)


def _neighbour(week: str, days: int) -> str:
    return iso_week(week_monday(week) + timedelta(days=days))


@bp.route("/")
@staff_only
def index():
    """The instructor's start page: this week's plans of their centres and what each still
    lacks; an admin with no centre yet starts the set-up."""
    centres = visible_centres(current_user)
    if not centres and current_user.role == Role.ADMIN:
        return redirect(url_for("setup.index"))
    week = planning_week(date.today())
    plans = db.session.scalars(
        select(WeekPlan).where(WeekPlan.centre_id.in_([c.id for c in centres]),
                               WeekPlan.week == week)
        .order_by(WeekPlan.centre_id, WeekPlan.version.desc())
    )
    return render_template("planning/index.html", centres=centres, week=week, plans=list(plans),
                           missing={c.id: missing_for_plan(c) for c in centres},
                           admins=[] if centres else admin_contacts())


@bp.route("/<int:centre_id>/<week>")
@staff_only
def week(centre_id: int, week: str):
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    versions = store.plan_versions(centre, week)
    shown = _chosen_version(versions)
    view = week_view(centre, week, shown,
                     focus=(request.args.get("day") or None, request.args.get("area") or None))
    published = next((v for v in versions if v.state == "published"), None)
    changes = store.diff(published, shown) if shown and published and shown.id != published.id \
        else []
    run = runs.active_run(centre, week)
    return render_template(
        "planning/week.html", view=view, versions=versions, published=published,
        changes=changes, run=run, last=runs.last_run(centre, week), chart=chart(view.demand),
        previous_week=_neighbour(week, -7), next_week=_neighbour(week, 7),
        time_limits=TIME_LIMITS, default_limit=_default_limit(), slot_keys=SLOT_KEYS,
        names=view.names, help_calls=open_help_calls([centre.id]), run_summary=run_summary,
        missing_steps=missing_for_plan(centre),
        replan_from=runs.replan_start(centre, week), week_over=runs.WEEK_OVER,
        undo=edits.undoable(centre, week))


def _chosen_version(versions: list[WeekPlan]) -> WeekPlan | None:
    wanted = request.args.get("version", type=int)
    if wanted is not None:
        for plan in versions:
            if plan.version == wanted:
                return plan
        abort(404)
    return versions[0] if versions else None


def _default_limit() -> int:
    limit = int(current_app.config["SOLVE_TIME_LIMIT"])
    return limit if limit in TIME_LIMITS else TIME_LIMITS[1]


@bp.route("/<int:centre_id>/help/<int:call_id>/ack", methods=["POST"])
@staff_only
def acknowledge_help(centre_id: int, call_id: int):
    """An instructor has gone to help: the alert goes away on every screen."""
    centre = centre_or_404(current_user, centre_id)
    call = db.session.get(HelpRequest, call_id)
    if call is None or call.participant.centre_id != centre.id:
        abort(404)
    answer_call(call, current_user)
    db.session.commit()
    back = request.form.get("next") or ""
    safe = back.startswith("/") and not back.startswith("//")
    return redirect(back if safe else url_for("planning.index"))


@bp.route("/<int:centre_id>/<week>/solve", methods=["POST"])
@staff_only
def solve(centre_id: int, week: str):
    """Start a solve in the background; the page then shows its progress."""
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    limit = request.form.get("time_limit", type=int)
    from_slot = request.form.get("from_slot") or None
    if limit not in TIME_LIMITS or (from_slot is not None and from_slot not in SLOT_KEYS):
        flash(_("Tarkista suunnittelun asetukset."), "error")
        return redirect(url_for("planning.week", centre_id=centre.id, week=week))
    try:
        run = runs.create_run(centre, week, current_user, time_limit=limit, from_slot=from_slot)
    except runs.RunRefused as refused:
        if str(refused) == "past":
            flash(_("Viikko on jo ohi: julkaistun suunnitelman mennyttä osaa ei suunnitella "
                    "uudelleen."), "error")
        else:
            flash(_("Suunnitelmaa tehdään jo. Odota, että se valmistuu."), "error")
    else:
        queue.start(current_app._get_current_object(), run)
        flash(_("Suunnitelman teko alkoi."), "info")
        if run.from_slot != from_slot:
            flash(_("Viikko on jo alkanut: suunnitelma tehdään alkaen %(slot)s. Mennyt osa "
                    "viikosta pysyy julkaistun suunnitelman mukaisena.",
                    slot=slot_label(run.from_slot)), "info")
    return redirect(url_for("planning.week", centre_id=centre.id, week=week))


@bp.route("/<int:centre_id>/<week>/stop", methods=["POST"])
@staff_only
def stop(centre_id: int, week: str):
    centre = centre_or_404(current_user, centre_id)
    run = runs.active_run(centre, week_or_404(week))
    if run is not None:
        runs.request_stop(run)
        flash(_("Suunnittelu pysäytetään. Edellinen suunnitelma säilyy ennallaan."), "info")
    return redirect(url_for("planning.week", centre_id=centre.id, week=week))


@bp.route("/<int:centre_id>/<week>/run")
@staff_only
def run_status(centre_id: int, week: str):
    """The newest solve of the week as JSON, for polling."""
    centre = centre_or_404(current_user, centre_id)
    run = runs.last_run(centre, week_or_404(week))
    if run is None:
        return jsonify(state=None)
    return jsonify(id=run.id, state=run.state, objective=run.objective, bound=run.bound,
                   elapsed=run.elapsed, time_limit=run.time_limit, status=run.solve_status,
                   message=run.message, plan_id=run.result_plan_id, summary=run_summary(run))


def run_summary(run) -> str:
    """Where a running solve is, in words for an instructor (no solver scores): the best plan's
    people without work and late orders, as the solver last reported them."""
    if run.state == "queued":
        return queue.waiting_words(run)
    if run.objective is None:
        return _("Etsitään ensimmäistä toimivaa suunnitelmaa.")
    best = run.details if run.state in runs.ACTIVE and isinstance(run.details, dict) else None
    if not best:
        return _("Toimiva suunnitelma on löytynyt, ja sitä parannetaan vielä.")
    return _("Paras suunnitelma tähän asti: %(people)s, %(late)s.",
             people=_idle_words(best), late=_late_words(best))


def _idle_words(best: dict) -> str:
    people, half_days = best.get("idle_people") or 0, best.get("unassigned") or 0
    if not people:
        return _("kaikilla on työtä")
    words = ngettext("%(num)d henkilö ilman työtä", "%(num)d henkilöä ilman työtä", people)
    if half_days > people:
        words += " (" + ngettext("yhteensä %(num)d puolipäivä", "yhteensä %(num)d puolipäivää",
                                 half_days) + ")"
    return words


def _late_words(best: dict) -> str:
    orders, minutes = best.get("late_orders") or 0, best.get("late_minutes") or 0
    if not orders:
        return _("kaikki tilaukset ajallaan")
    return ngettext("%(num)d tilaus myöhässä", "%(num)d tilausta myöhässä", orders) + " (" + \
        _("työtä puuttuu %(minutes)d min", minutes=minutes) + ")"


@bp.route("/<int:centre_id>/<week>/publish", methods=["POST"])
@staff_only
def publish(centre_id: int, week: str):
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    plan = store.latest_plan(centre, week)
    if plan is None or plan.state != "draft":
        flash(_("Julkaistavaa luonnosta ei ole."), "error")
        return redirect(url_for("planning.week", centre_id=centre.id, week=week))
    try:
        store.claim(centre, week, _form_seen(plan))
    except store.PlanChanged:
        db.session.rollback()
        flash(_("Suunnitelmaa muutettiin sillä välin, eikä sitä julkaistu. Tarkista nykyinen "
                "tilanne ja julkaise uudelleen."), "error")
    else:
        store.publish(plan, current_user)
        db.session.commit()
        flash(_("Versio %(version)d on julkaistu.", version=plan.version), "info")
    return redirect(url_for("planning.week", centre_id=centre.id, week=week))


@bp.route("/<int:centre_id>/<week>/cell/<int:participant_id>/<slot>", methods=["GET", "POST"])
@staff_only
def cell(centre_id: int, week: str, participant_id: int, slot: str):
    """Change one person's task in one slot by hand."""
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    person = db.session.get(Participant, participant_id)
    if person is None or person.centre_id != centre.id or slot not in SLOT_KEYS:
        abort(404)
    back = url_for("planning.week", centre_id=centre.id, week=week)
    options = edits.step_options(centre, week, person, slot)
    current = store.latest_plan(centre, week)
    held = _held(current, person.id, slot)
    status = 200
    if request.method == "POST":
        step = request.form.get("step") or None
        if step is not None and step not in {o.key for o in options}:
            flash(_("Valitse tehtävä listasta."), "error")
        else:
            try:
                result = edits.set_assignment(centre, week, person.id, slot, step,
                                              locked=bool(request.form.get("locked")),
                                              user=current_user, seen=_form_seen(current))
            except store.PlanChanged:
                db.session.rollback()
                flash(_changed_message(), "error")
                current = store.latest_plan(centre, week)
                held, status = _held(current, person.id, slot), 409
            else:
                if result.needs_confirmation:
                    return redirect(url_for("planning.edit_preview", centre_id=centre.id,
                                            week=week, edit_id=result.edit.id))
                if result.ok:
                    flash(_("Muutos tallennettu luonnokseen."), "info")
                    return redirect(back + f"#row-{person.id}")
                for message in result.messages:
                    flash(message, "error")
    return render_template("planning/cell.html", centre=centre, week=week, person=person,
                           slot=slot, options=options, held=held, back=back,
                           seen=store.seen(current),
                           situation=cell_situation(current, person, slot, held)
                           + wish_words(person)), status


def _changed_message() -> str:
    return _("Suunnitelmaa muutettiin sillä välin, eikä muutostasi tallennettu. "
             "Tässä on nykyinen tilanne: tee muutos uudelleen, jos se on yhä tarpeen.")


def _held(plan: WeekPlan | None, participant_id: int, slot: str):
    return next((a for a in (plan.assignments if plan else [])
                 if a.participant_id == participant_id and store.slot_key(a) == slot), None)


def _form_seen(current: WeekPlan | None) -> store.Seen | None:
    """The plan the form was read from. A form without one, when a plan exists, is treated as
    read from an older plan: it must not overwrite what it never saw."""
    plan_id = request.form.get("plan_id", type=int)
    revision = request.form.get("revision", type=int)
    if plan_id is None or revision is None:
        if current is None:
            return None
        raise store.PlanChanged()
    return store.Seen(plan_id, revision)


@bp.route("/<int:centre_id>/<week>/edit/<int:edit_id>")
@staff_only
def edit_preview(centre_id: int, week: str, edit_id: int):
    """What else a hand edit changes, before the instructor saves it."""
    record = plan_edit_or_404(centre_id, week, edit_id)
    return render_template("planning/edit_preview.html", record=record,
                           person=db.session.get(Participant, record.participant_id),
                           step=edits.step_words(record.centre_id, record.step),
                           moves=edits.described_moves(record),
                           back=url_for("planning.week", centre_id=centre_id, week=week))


@bp.route("/<int:centre_id>/<week>/edit/<int:edit_id>/confirm", methods=["POST"])
@staff_only
def edit_confirm(centre_id: int, week: str, edit_id: int):
    record = plan_edit_or_404(centre_id, week, edit_id)
    result = edits.confirm(record, current_user)
    if result.ok:
        flash(_("Muutos tallennettu luonnokseen."), "info")
    for message in result.messages:
        flash(message, "error")
    return redirect(url_for("planning.week", centre_id=centre_id, week=week)
                    + f"#row-{record.participant_id}")


@bp.route("/<int:centre_id>/<week>/edit/<int:edit_id>/cancel", methods=["POST"])
@staff_only
def edit_cancel(centre_id: int, week: str, edit_id: int):
    edits.cancel(plan_edit_or_404(centre_id, week, edit_id))
    flash(_("Muutosta ei tallennettu."), "info")
    return redirect(url_for("planning.week", centre_id=centre_id, week=week))


@bp.route("/<int:centre_id>/<week>/edit/<int:edit_id>/undo", methods=["POST"])
@staff_only
def edit_undo(centre_id: int, week: str, edit_id: int):
    """Put the draft back as it was before the edit, if nobody changed it since."""
    result = edits.undo(plan_edit_or_404(centre_id, week, edit_id), current_user)
    if result.ok:
        flash(_("Muutos kumottu."), "info")
    for message in result.messages:
        flash(message, "error")
    return redirect(url_for("planning.week", centre_id=centre_id, week=week))


@bp.route("/<int:centre_id>/<week>/instance.json")
@staff_only
def instance_json(centre_id: int, week: str):
    """The week's instance (or, with ?version=N, the one version N was made from). It holds
    every participant's pace and support points: the read is logged."""
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    if request.args.get("version") is None:
        data, name = store.planning_instance(centre, week), f"{week}-instance.json"
    else:
        plan = _chosen_version(store.plan_versions(centre, week))
        if plan is None:
            abort(404)
        data, name = store.instance_of(plan), f"{week}-instance-v{plan.version}.json"
    store.log_health_read(data)
    return _download_json(data, name)


@bp.route("/<int:centre_id>/<week>/plan.json")
@staff_only
def plan_json(centre_id: int, week: str):
    centre, week, plan = _stored_plan(centre_id, week)
    return _download_json(store.plan_json(plan), f"{week}-plan-v{plan.version}.json")


def _stored_plan(centre_id: int, week: str) -> tuple[Centre, str, WeekPlan]:
    """The centre, the week and the version asked for (the newest by default), or 404."""
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    plan = _chosen_version(store.plan_versions(centre, week))
    if plan is None:
        abort(404)
    return centre, week, plan


def _download_json(data: dict, name: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:centre_id>/<week>/week.xlsx")
@staff_only
def week_xlsx(centre_id: int, week: str):
    centre, week, plan = _stored_plan(centre_id, week)
    return Response(export.week_workbook(centre, week, plan),
                    mimetype=XLSX_MIME,
                    headers={"Content-Disposition":
                             f'attachment; filename="{week}-v{plan.version}.xlsx"'})


@bp.route("/<int:centre_id>/<week>/print")
@staff_only
def print_week(centre_id: int, week: str):
    centre, week, plan = _stored_plan(centre_id, week)
    return render_template("planning/print.html", view=week_view(centre, week, plan))


@bp.route("/<int:centre_id>/<week>/pictures")
@staff_only
def picture_schedule(centre_id: int, week: str):
    """A paper picture schedule per person for the wall or the pocket: the published week."""
    centre = centre_or_404(current_user, centre_id)
    week = week_or_404(week)
    plan = store.published_plan(centre, week)
    if plan is None:
        abort(404)
    view = week_view(centre, week, plan)
    wanted = request.args.get("participant", type=int)
    rows = [r for r in view.rows if wanted is None or r.participant.id == wanted]
    return render_template("planning/pictures.html", view=view, rows=rows)
