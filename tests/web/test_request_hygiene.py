"""Every route, walked with ids too large for the database and with NUL bytes: never a 500.

On PostgreSQL an id past bigint was a DataError and a NUL byte in a string a ValueError from the
driver: both 500s on 11 routes. SQLite overflows on the large ids too."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from .test_access import _make_world, client_as

TOO_LARGE = "99999999999999999999"
BIGINT_MAX = 2**63 - 1
ROLES = ["admin", "instructor", "company_a", "kiosk"]
SAMPLE = {"week": "2026-W48", "slot": "mon-am", "code": "fi", "name": "x.jpg", "key": "k",
          "token": "t", "filename": "style.css"}


@pytest.fixture
def world(app):
    with app.app_context():
        return _make_world()


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, world, *, number: str, text: str | None = None) -> str:
    ids = {"centre_id": world["ids"]["centre"], "participant_id": world["ids"]["participant"],
           "order_id": world["ids"]["order_a"]}
    parts = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            parts[name] = number if number else str(ids.get(name, 1))
        else:
            parts[name] = text if text is not None else SAMPLE.get(name, "x")
    url = rule.rule
    for name, value in parts.items():
        url = url.replace(f"<{rule._converters[name].__class__.__name__}:{name}>", value)
        for prefix in ("int:", "path:", ""):
            url = url.replace(f"<{prefix}{name}>", value)
    return url


@pytest.mark.parametrize("role", ROLES)
def test_ids_too_large_for_the_database_are_not_found(app, world, role):
    client = client_as(app, world, role)
    walked = 0
    for rule, method in _rules(app):
        if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            continue
        for number in (TOO_LARGE, str(BIGINT_MAX + 1)):
            response = client.open(_url(rule, world, number=number), method=method)
            assert response.status_code == 404, (rule.rule, method, response.status_code)
            walked += 1
    assert walked > 40


@pytest.mark.parametrize("role", ROLES)
def test_large_numbers_in_query_and_form_values_never_break_a_page(app, world, role):
    client = client_as(app, world, role)
    for rule, method in _rules(app):
        if rule.endpoint in ("auth.logout", "auth.language"):
            continue
        url = _url(rule, world, number="")
        fields = {name: TOO_LARGE for name in ("company", "centre", "participant", "version",
                                               "quantity", "step", "units", "person",
                                               "centre_id", "time_limit")}
        response = client.open(url, method=method, query_string=fields,
                               data=fields if method == "POST" else None)
        assert response.status_code < 500, (rule.rule, method, response.status_code)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_nul_bytes_anywhere_get_a_clear_refusal(app, world, role):
    client = client_as(app, world, role)
    walked = 0
    for rule, method in _rules(app):
        url = _url(rule, world, number="")
        for where in ("query", "form", "path"):
            if where == "form" and method != "POST":
                continue
            if where == "path":
                if all(isinstance(c, IntegerConverter) for c in rule._converters.values()):
                    continue
                url_with_nul = _url(rule, world, number="", text="a%00b")
                response = client.open(url_with_nul, method=method)
            elif where == "query":
                response = client.open(url, method=method, query_string={"next": "a\x00b",
                                                                         "product": "\x00"})
            else:
                response = client.open(url, method=method, data={
                    "email": "a\x00@b.fi", "name": "x\x00", "product_name": "\x00",
                    "reason": "\x00", "key": "\x00"})
            assert response.status_code == 400, (rule.rule, method, where, response.status_code)
            assert "merkki" in response.get_data(as_text=True), rule.rule
            walked += 1
    assert walked > 60


def test_a_long_number_as_a_password_is_still_a_password(app, world):
    client = app.test_client()
    response = client.post("/login", data={"email": world["emails"]["admin"],
                                           "password": TOO_LARGE})
    assert response.status_code == 200
    assert "merkki" not in response.get_data(as_text=True)
