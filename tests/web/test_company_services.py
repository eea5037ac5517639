"""The company pages' services, called directly: a company's orders, catalogue and estimates
are its own."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from workcentre.clock import today
from workcentre.company import services
from workcentre.extensions import db
from workcentre.models import Product, Role
from workcentre.models._types import name_key

from ..factories import (
    make_centre,
    make_company,
    make_order,
    make_participant,
    make_task_type,
    make_user,
)


def _product(centre, task_type, name: str, company=None) -> Product:
    product = Product(company_id=company.id if company else None, centre_id=centre.id,
                      name=name, name_key=name_key(name), task_type_id=task_type.id,
                      seconds_per_unit=60)
    db.session.add(product)
    return product


@pytest.fixture
def world(app):
    with app.app_context():
        centre = make_centre("Keskus")
        fold = make_task_type(centre, "fold")
        person = make_participant(centre, attends=["mon-am", "tue-am", "wed-am", "thu-am"])
        person.skills = [fold]
        a, b = make_company("A Oy"), make_company("B Oy")
        db.session.flush()
        _product(centre, fold, "Esitteet")  # shared by the centre
        _product(centre, fold, "A:n kortit", a)
        _product(centre, fold, "B:n kortit", b)
        db.session.commit()
        yield {"centre": centre, "a": a, "b": b}


def test_the_catalogue_has_the_companys_own_and_the_shared_products_only(world):
    names = [p.name for p in services.catalogue(world["a"].id, [world["centre"].id])]
    assert names == ["A:n kortit", "Esitteet"]
    assert [p.name for p in services.catalogue(world["b"].id, [world["centre"].id])] == \
        ["B:n kortit", "Esitteet"]
    assert services.catalogue(world["a"].id, []) == []


def test_a_company_sees_only_its_own_orders_newest_first(world):
    older, newer = make_order(world["a"]), make_order(world["a"])
    make_order(world["b"])
    older.created_at = datetime(2027, 1, 4, 9)
    newer.created_at = older.created_at + timedelta(days=1)
    db.session.commit()
    assert [o.id for o in services.company_orders(world["a"].id)] == [newer.id, older.id]


def test_the_order_forms_contact_is_the_companys_else_the_users(world):
    user = make_user(Role.COMPANY, company=world["a"])
    assert services.default_contact(world["a"], user) == (user.name, user.email)
    world["a"].contact_name, world["a"].contact_email = "Anna", "anna@a.example"
    assert services.default_contact(world["a"], user) == ("Anna", "anna@a.example")


def test_the_estimate_knows_only_the_companys_own_and_shared_products(world):
    centre, a = world["centre"], world["a"]
    ready = services.delivery_estimate(a.id, centre.id, " esitteet ", 30)
    assert ready.kind == "ready" and ready.day is not None and ready.day > today()
    assert services.delivery_estimate(a.id, centre.id, "A:n kortit", 30).kind == "ready"
    # Another company's product is a new product to this one.
    assert services.delivery_estimate(a.id, centre.id, "B:n kortit", 30) == \
        services.Estimate("new_product")
    assert services.delivery_estimate(a.id, centre.id, "Esitteet", 10_000_000) == \
        services.Estimate("too_large")
    for centre_id, name, quantity in ((None, "Esitteet", 5), (centre.id, " ", 5),
                                      (centre.id, "Esitteet", 0), (centre.id + 99, "x", 5)):
        assert services.delivery_estimate(a.id, centre_id, name, quantity) == \
            services.Estimate("")
