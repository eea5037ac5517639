"""Attack pass on the register's re-plan (docs/register.md): the draft was changed by hand on a
later day before someone was marked away; the re-plan of the rest of today must keep that edit.
Every plan is checked by the evaluator."""

from __future__ import annotations

from scheduling import evaluate, load_instance
from workcentre.extensions import db
from workcentre.models import Centre
from workcentre.planning import edits, runs, store

from .test_register import (  # noqa: F401 - fixtures
    WEDNESDAY,
    WEEK,
    _later_days,
    _tap,
    _wait_for_run,
    _with_work,
    centre_id,
    marja,
)


def test_a_hand_edit_on_a_later_day_survives_the_re_plan_of_today(app, marja, centre_id):  # noqa: F811
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        person = _with_work(centre_id)
        person_id = person.id
        other = next(a for a in store.published_plan(centre, WEEK).assignments
                     if a.participant_id != person_id and a.day > WEDNESDAY)
        cell = (other.participant_id,
                f"{('mon', 'tue', 'wed', 'thu', 'fri')[other.day.weekday()]}-{other.half}")
        # The instructor takes Thursday's (or Friday's) cell off in the draft, by hand.
        result = edits.set_assignment(centre, WEEK, *cell, None, locked=False, user=None,
                                      seen=store.seen(store.latest_plan(centre, WEEK)))
        assert result.ok, result.messages
        db.session.commit()
        edited = store.latest_plan(centre, WEEK)
        assert edited.state == "draft"
        later_edited = _later_days(edited)
        assert (other.participant_id, other.day, other.half, other.step_id) not in \
            later_edited[0]
    _tap(marja, centre_id, person_id, status="absent", reason_code="sairas", whole_day="1")
    response = marja.post(f"/register/{centre_id}/replan")
    assert response.status_code == 302
    _wait_for_run(app, centre_id)
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        plan = store.latest_plan(centre, WEEK)
        assert runs.last_run(centre, WEEK).result_plan_id == plan.id
        data = store.planning_instance(centre, WEEK)
        verdict = evaluate(load_instance(data), store.plan_json(plan, data))
        assert verdict.valid, verdict.violations
        assert _later_days(plan) == later_edited
        assert not [a for a in plan.assignments if a.participant_id == person_id
                    and a.day == WEDNESDAY]


def test_everyone_away_today_re_plans_to_an_empty_day(app, marja, centre_id):  # noqa: F811
    """Nobody came (a storm): the re-plan still ends with a valid plan, with nobody working
    today and the later days as they were."""
    from workcentre.register import services

    from .test_register import _expected

    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        later_before = _later_days(store.published_plan(centre, WEEK))
        for person in _expected(centre_id) + _expected(centre_id, "pm"):
            for half in ("am", "pm"):
                if services.expected(centre, person, WEDNESDAY, half):
                    services.mark(person, WEDNESDAY, half,
                                  services.MarkInput("absent", "muu"), None)
        db.session.commit()
    response = marja.post(f"/register/{centre_id}/replan")
    assert response.status_code == 302
    _wait_for_run(app, centre_id)
    with app.app_context():
        centre = db.session.get(Centre, centre_id)
        plan = store.latest_plan(centre, WEEK)
        data = store.planning_instance(centre, WEEK)
        verdict = evaluate(load_instance(data), store.plan_json(plan, data))
        assert verdict.valid, verdict.violations
        assert not [a for a in plan.assignments if a.day == WEDNESDAY]
        assert _later_days(plan) == later_before
