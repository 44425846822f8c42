"""The first of the month is « 1er » in French pages, and only there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from grappe.core.i18n import date_format, first_of_month


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (dt.date(2026, 3, 1), "1er mars 2026"),
        (dt.date(2026, 8, 1), "1er août 2026"),
        (dt.date(2026, 3, 11), "11 mars 2026"),
        (dt.date(2026, 3, 21), "21 mars 2026"),
        (dt.date(2026, 3, 2), "2 mars 2026"),
    ],
)
def test_a_french_page_writes_the_first_of_the_month_as_an_ordinal(day, shown):
    with translation.override("fr"):
        assert render('{{ day|date:"DATE_FORMAT" }}', day=day) == shown


def test_a_weekday_before_the_first_keeps_it_an_ordinal():
    with translation.override("fr"):
        assert (
            render('{{ day|date:"l j F Y" }}', day=dt.date(2026, 12, 1))
            == "mardi 1er décembre 2026"
        )


def test_english_and_numeric_dates_are_left_alone():
    day = dt.date(2026, 3, 1)
    with translation.override("en"):
        assert render('{{ day|date:"DATE_FORMAT" }}', day=day) == "1 March 2026"
    with translation.override("fr"):
        assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', day=day) == "01/03/2026"
        assert render('{{ day|date:"j/n" }}', day=day) == "1/3"


def test_a_date_and_time_keeps_its_time():
    moment = dt.datetime(2026, 6, 1, 14, 30, tzinfo=dt.UTC)
    with translation.override("fr"):
        assert render('{{ moment|date:"j F Y, H:i" }}', moment=moment) == "1er juin 2026, 16:30"


def test_the_rule_alone():
    assert first_of_month("du 1 au 11 mai") == "du 1 au 11 mai"
    assert first_of_month("1 mai – 31 mai") == "1er mai – 31 mai"


def test_messages_formatted_in_python_write_it_too():
    with translation.override("fr"):
        assert date_format(dt.date(2026, 4, 1), "DATE_FORMAT") == "1er avril 2026"
    with translation.override("en"):
        assert date_format(dt.date(2026, 4, 1), "DATE_FORMAT") == "1 April 2026"
