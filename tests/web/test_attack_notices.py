"""Attack pass on the notices: an order changed by two instructors at the same moment mails
each real change once, to the company's users only (a real SMTP server, real threads)."""

from __future__ import annotations

from tests.web.test_admin_concurrency import _together

from ..factories import make_user
from .test_notices import (  # noqa: F401 - the mailing app and its world
    SOON,
    _accept,
    _send_order,
    _signed_in,
    _text,
    app,
    inbox,
    world,
)


def test_the_same_change_sent_twice_at_once_mails_once(app, world, inbox):  # noqa: F811
    from workcentre.extensions import db
    from workcentre.models import Centre, Role

    with app.app_context():
        colleague = make_user(Role.INSTRUCTOR, centre=db.session.get(Centre, world["centre"]))
        db.session.commit()
        second_email = colleague.email
    order = _send_order(app, world)
    staff, line = _accept(app, world, order)
    other = _signed_in(app, second_email)
    form = {f"quantity-{line}": "1500", "confirmed_date": SOON.isoformat()}
    statuses = _together(
        lambda: staff.post(f"/orders/{order.id}/change", data=form).status_code,
        lambda: other.post(f"/orders/{order.id}/change", data=form).status_code)
    assert statuses == [302, 302]
    changed = [m for m in inbox.to("liisa@a.example") if "muutettu" in str(m["Subject"])]
    assert len(changed) == 1 and "1200 → 1500" in _text(changed[0])
    assert inbox.to(world["other"]) == []
    assert all("Salainen" not in _text(m) for _, m in inbox.received)
