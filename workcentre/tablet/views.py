import re
import secrets
from datetime import date

from flask import abort, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm

from ..access import kiosk_person, kiosk_person_or_404
from ..clock import now_local, today
from ..closures import is_working_day
from ..extensions import db, picture_code_limit
from ..floor.services import call_state
from ..labels import PIN_PICTURES
from ..models import OrderStep, Participant, ProgressReport, Role, utcnow
from ..security import roles_required
from ..voice.feelings import feeling_of
from . import bp, language
from .guard import check_code, issue_pass, locked_until, read_pass
from .services import complete_enrolment, expected_today, pending_enrolment
from .work import (
    MAX_UNITS_PER_REPORT,
    ask_for_help,
    correct_report,
    current_half,
    planned_slots,
    report_units,
    todays_work,
    waiting_units,
)

kiosk_only = roles_required(Role.KIOSK)
PERSON = "tablet_person"
PIN_FOR, PIN_ENTERED = "pin_for", "pin_entered"
KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@bp.route("/")
@kiosk_only
def index():
    """Who am I: a big tile for each person expected today (first names and photos only)."""
    for key in (PERSON, PIN_FOR, PIN_ENTERED):
        session.pop(key, None)
    language.forget()
    day = today()
    if not is_working_day(current_user.centre_id, day):
        return render_template("tablet/index.html", people=[], day_off=True, form=FlaskForm())
    people = expected_today(current_user.centre_id, day)
    return render_template("tablet/index.html", people=people, form=FlaskForm())


@bp.route("/me/<int:participant_id>", methods=["POST"])
@kiosk_only
def choose(participant_id: int):
    form = FlaskForm()
    if not form.validate_on_submit():
        return redirect(url_for("tablet.index"))
    person = kiosk_person_or_404(participant_id)
    if person.picture_pin:  # their language only once the code is right: it is theirs to show
        session[PIN_FOR], session[PIN_ENTERED] = person.id, []
        return redirect(url_for("tablet.pin"))
    session[PERSON] = person.id
    language.speak_as(person)
    return redirect(url_for("tablet.work"))


@bp.route("/pin", methods=["GET", "POST"])
@picture_code_limit
@kiosk_only
def pin():
    """The person's picture code: a few big pictures in their own order, instead of digits."""
    person_id = session.get(PIN_FOR)
    person = db.session.get(Participant, person_id) if person_id else None
    if person is None or person.centre_id != current_user.centre_id or not person.picture_pin:
        return redirect(url_for("tablet.index"))
    form = FlaskForm()
    again = False
    wait = locked_until(person.id, current_user.id)
    if request.method == "POST" and form.validate_on_submit() and wait is None:
        picture = request.form.get("picture", "")
        entered = [*session.get(PIN_ENTERED, []), picture][: len(person.picture_pin)]
        session[PIN_ENTERED] = entered if len(entered) < len(person.picture_pin) else []
        if len(entered) == len(person.picture_pin):
            right, wait = check_code(person, current_user.id, entered)
            db.session.commit()
            if right:
                session.pop(PIN_FOR, None)
                session[PERSON] = person.id
                language.speak_as(person)
                return redirect(url_for("tablet.work"))
            again = wait is None
    if wait is not None:
        minutes = max(1, -(-int((wait - utcnow()).total_seconds()) // 60))
        return render_template("tablet/pin_wait.html", person=person, minutes=minutes)
    return render_template("tablet/pin.html", person=person, form=form, pictures=PIN_PICTURES,
                           entered=len(session.get(PIN_ENTERED, [])),
                           length=len(person.picture_pin), again=again)


def _chosen() -> Participant | None:
    person_id = session.get(PERSON)
    if person_id is None:
        return None
    return kiosk_person(person_id)


@bp.route("/work")
@kiosk_only
def work():
    """My work today: one big card for now, the rest of the day below."""
    person = _chosen()
    if person is None:
        return redirect(url_for("tablet.index"))
    items = todays_work(person, today())
    half = current_half(person.centre, now_local())
    now = next((i for i in items if i.half == half), None)
    return render_template("tablet/work.html", person=person, now=now,
                           help_state=call_state(person.id),
                           later=[i for i in items if i is not now], form=FlaskForm(),
                           new_key=_new_key(),
                           person_pass=issue_pass(current_user.id, person.id, today()))


def _new_key() -> str:
    return secrets.token_hex(16)


@bp.context_processor
def _tablet_globals() -> dict:
    return {"tablet_language": language.current(), "task_name": language.task_name}


@bp.route("/language", methods=["GET", "POST"])
@kiosk_only
def choose_language():
    """The person's language, from big picture buttons; remembered for them."""
    person = _chosen()
    if person is None:
        return redirect(url_for("tablet.index"))
    form = FlaskForm()
    if request.method == "POST":
        if form.validate_on_submit() and language.choose(person, request.form.get("language", "")):
            db.session.commit()
            return redirect(url_for("tablet.work"))
        return redirect(url_for("tablet.choose_language"))
    return render_template("tablet/language.html", person=person, form=form,
                           languages=language.LANGUAGES.values())


@bp.route("/report", methods=["POST"])
@kiosk_only
def report():
    """Units made. Sent again (a double tap, a resend after the Wi-Fi came back) it counts once.

    400: the report itself is broken; 403: not this person's to report (for good: the tablet
    drops it); anything else (429, 5xx) the tablet sends again later with the same key."""
    wants_json = request.accept_mimetypes.best == "application/json"
    form = FlaskForm()
    key = request.form.get("key", "")
    step = db.session.get(OrderStep, request.form.get("step", type=int) or 0)
    units = request.form.get("units", type=int)
    half = request.form.get("half", "")
    valid = (form.validate_on_submit() and KEY.match(key) and step is not None
             and units is not None and 0 < units <= MAX_UNITS_PER_REPORT and half in ("am", "pm"))
    if not valid:
        return _refused(wants_json, 400)
    person, day = _reporter()
    if person is None or (step.id, half) not in planned_slots(person, day):
        return _refused(wants_json, 403)
    result = report_units(current_user, person, step, day, half, units, key)
    db.session.commit()
    if wants_json:
        return jsonify(ok=True, duplicate=result.duplicate, units=result.report.units,
                       to_check=result.to_check)
    return redirect(url_for("tablet.done", key=key))


def _refused(wants_json: bool, code: int):
    if wants_json:
        return jsonify(ok=False, message=_("Se ei onnistunut. Kysy ohjaajalta.")), code
    return redirect(url_for("tablet.work", problem=1))


def _reporter() -> tuple[Participant | None, date]:
    """Whose report, and for which day. A queued report names its person and carries the pass
    the tablet got when that person was chosen (it may be sent after the tablet moved on);
    otherwise it is the person chosen now. A report for anyone else is nobody's."""
    person_id = request.form.get("person", type=int)
    chosen = _chosen()
    if person_id is None or (chosen is not None and chosen.id == person_id):
        return chosen, today()
    person = kiosk_person(person_id)
    if person is None:
        return None, today()
    day = read_pass(request.form.get("pass", ""), current_user.id, person.id)
    return (person, day) if day is not None else (None, today())


@bp.route("/done/<key>", methods=["GET", "POST"])
@kiosk_only
def done(key: str):
    """Well done! The count can still be corrected for a few minutes."""
    saved = db.session.scalars(
        db.select(ProgressReport).where(ProgressReport.idempotency_key == key)).first()
    if saved is None or saved.kiosk_id != current_user.id:
        abort(404)
    form = FlaskForm()
    corrected = too_late = False
    if request.method == "POST" and form.validate_on_submit():
        units = request.form.get("units", type=int)
        if units is not None and 0 < units <= MAX_UNITS_PER_REPORT:
            corrected = correct_report(saved, units)
            too_late = not corrected
            db.session.commit()
    person = _chosen()
    own = person is not None and person.id == saved.participant_id and saved.day == today()
    return render_template("tablet/done.html", report=saved, form=form, corrected=corrected,
                           too_late=too_late, waiting=waiting_units(saved), can_feel=own,
                           felt=request.args.get("felt"),
                           feeling=feeling_of(saved.participant_id, _kind_of(saved),
                                              saved.day) if own else None)


def _kind_of(report: ProgressReport) -> int:
    """The task type of a report: what "Miltä tuntui?" asks about."""
    return db.session.get(OrderStep, report.step_id).task_type_id


@bp.route("/help", methods=["POST"])
@kiosk_only
def help_call():
    """"I need help": an alert in the instructors' view of the area until someone answers."""
    person = _chosen()
    form = FlaskForm()
    if person is None or not form.validate_on_submit():
        return redirect(url_for("tablet.index"))
    items = todays_work(person, today())
    half = current_half(person.centre, now_local())
    now = next((i for i in items if i.half == half), None)
    ask_for_help(current_user, person, now.step.task_type.area_id if now else None)
    db.session.commit()
    return render_template("tablet/help.html", person=person, help_state="waiting")


@bp.route("/help/status")
@kiosk_only
def help_status():
    """The chosen person's own help call, polled while it waits: "waiting", "coming" or "none".
    A tablet learns nothing about anyone else's calls."""
    person = _chosen()
    return jsonify(state=call_state(person.id) if person else "none")


@bp.route("/not-enrolled")
def not_enrolled():
    """What a tablet shows before it is enrolled, or after it has been revoked."""
    return render_template("tablet/not_enrolled.html")


@bp.route("/enroll/<token>", methods=["GET", "POST"])
def enroll(token: str):
    """Open a one-time enrolment link and turn this browser into a kiosk of the centre."""
    kiosk = pending_enrolment(token)
    if kiosk is None:
        return render_template("tablet/not_enrolled.html", link_used=True), 404
    form = FlaskForm()
    if form.validate_on_submit():
        if not complete_enrolment(kiosk):
            db.session.commit()
            return render_template("tablet/not_enrolled.html", link_used=True), 404
        db.session.commit()
        session.clear()
        login_user(kiosk, remember=True)
        return redirect(url_for("tablet.index"))
    return render_template("tablet/enroll.html", kiosk=kiosk, form=form)
