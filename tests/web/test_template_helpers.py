"""The filters and helpers templates format with: display only, no parsing in templates."""

from __future__ import annotations

from flask import render_template_string

from workcentre.labels import grouped, weekday_label


def test_counts_are_grouped_by_thousands_with_a_space():
    assert [grouped(n) for n in (0, 999, 1200, 1234567)] == ["0", "999", "1 200", "1 234 567"]


def test_a_weekday_label_comes_from_a_day_or_a_slot_key(app):
    with app.test_request_context():
        assert weekday_label("mon") == weekday_label("mon-am") == "ma"
        assert weekday_label("fri-pm") == "pe"
        assert render_template_string("{{ 1200 | grouped }} {{ weekday_label('tue') }}") == \
            "1 200 ti"


def test_the_lock_icon_is_one_decorative_macro(app):
    with app.test_request_context():
        html = render_template_string('{% from "_macros.html" import lock_icon %}{{ lock_icon() }}')
    assert html.startswith('<svg class="icon-lock"') and 'aria-hidden="true"' in html
