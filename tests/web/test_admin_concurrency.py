"""Two admins at the same moment, with real threads through the app (one client each)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from tests.factories import login, make_centre, make_user
from workcentre.extensions import db
from workcentre.models import Role, User

ROUNDS = 5


def _together(*works: Callable[[], int]) -> list[int]:
    """Run the works at once (a barrier); their results in order."""
    barrier = threading.Barrier(len(works))
    results: list[int] = [0] * len(works)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = works[n]()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def _close(client, user_id: int) -> Callable[[], int]:
    return lambda: client.post(f"/admin/users/{user_id}/deactivate").status_code


def _admins(app) -> tuple[int, int]:
    with app.app_context():
        first = make_user(Role.ADMIN, email="eka@test.example")
        second = make_user(Role.ADMIN, email="toka@test.example")
        db.session.commit()
        return first.id, second.id


def test_two_admins_closing_each_other_at_once_leave_one_admin(app):
    for _ in range(ROUNDS):
        with app.app_context():
            db.session.execute(db.delete(User))
            db.session.commit()
        first, second = _admins(app)
        a, b = app.test_client(), app.test_client()
        login(a, "eka@test.example")
        login(b, "toka@test.example")
        codes = _together(_close(a, second), _close(b, first))
        assert codes == [302, 302]  # each is told something, nobody gets an error page
        with app.app_context():
            active = db.session.scalar(select(func.count()).select_from(User).where(
                User.role == "admin", User.active.is_(True)))
        assert active == 1


def test_two_admins_saving_the_same_user_at_once_one_is_told(app):
    first, _ = _admins(app)
    with app.app_context():
        centre = make_centre("Keskus")
        teacher = make_user(Role.INSTRUCTOR, centre=centre, email="ohjaaja@test.example")
        db.session.commit()
        teacher_id, version, centre_id = teacher.id, teacher.version, centre.id
    a, b = app.test_client(), app.test_client()
    login(a, "eka@test.example")
    login(b, "toka@test.example")

    def save(client, name: str) -> Callable[[], int]:
        return lambda: client.post(f"/admin/users/{teacher_id}", data={
            "version": version, "name": name, "email": "ohjaaja@test.example",
            "role": "instructor", "centres": [centre_id]}).status_code

    codes = _together(save(a, "Nimi A"), save(b, "Nimi B"))
    assert sorted(codes) == [302, 409]
    with app.app_context():
        saved = db.session.get(User, teacher_id)
        winner = "Nimi A" if codes[0] == 302 else "Nimi B"
        assert (saved.name, saved.version) == (winner, version + 1)
