"""A name is the same name whatever its letter case and spacing, also with Ä, Ö and Å (which
SQLite's lower() leaves as they are): a centre, a company or a product is never made twice for
"Äänekosken Öljy" and "ÄÄNEKOSKEN ÖLJY", and each is found again by either."""

from __future__ import annotations

from sqlalchemy import func, select

from workcentre.extensions import db
from workcentre.models import Centre, Company, Product
from workcentre.orders.services import catalogue_product
from workcentre.setup import services

from ..factories import make_task_type


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_centre_and_a_company_named_with_umlauts_are_made_once(ctx):
    centre, created = services.create_centre("Äänekosken  työkeskus")
    again, created_again = services.create_centre("ÄÄNEKOSKEN TYÖKESKUS")
    assert created and not created_again and again.id == centre.id
    company, created = services.create_company("Öljy ja Åra Oy")
    again, created_again = services.create_company("öljy JA åra oy")
    assert created and not created_again and again.id == company.id
    db.session.commit()
    assert (_count(Centre), _count(Company)) == (1, 1)
    assert services.find_centre("äänekosken työkeskus").id == centre.id


def test_renaming_a_centre_to_another_ones_name_in_other_case_is_refused(ctx):
    import pytest

    first, _ = services.create_centre("Östermyran keskus")
    second, _ = services.create_centre("Toinen keskus")
    db.session.commit()
    with pytest.raises(services.SetupRefused):
        services.update_centre(second, name="ÖSTERMYRAN KESKUS", address="",
                               half_days=services.centre_half_days(second))


def test_a_product_with_umlauts_is_one_product_and_found_again(ctx):
    centre, _ = services.create_centre("Tuotekeskus")
    company, _ = services.create_company("Ämpäri Oy")
    kind = make_task_type(centre)
    product, created = services.save_product(centre, "Ämpärin kansi", kind, 12, company)
    same, created_again = services.save_product(centre, "ÄMPÄRIN  KANSI", kind, 14, company)
    db.session.commit()
    assert created and not created_again and same.id == product.id
    assert _count(Product) == 1 and product.seconds_per_unit == 14
    assert catalogue_product(company.id, centre.id, "ämpärin kansi").id == product.id
