"""The helpers of the lists written in Python (ikone.listing): the links are those reverse()
gives, the days those the template filters give."""

import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from ikone.listing import day_words, link_to


def test_a_link_is_what_reverse_gives_escaped():
    link = link_to("projects:detail")
    for slug in ("smarte-laternen", "a_b-9", "9007319876543"):
        assert link(slug) == escape(reverse("projects:detail", kwargs={"slug": slug}))


def test_a_link_with_several_arguments_fills_each_in_its_place():
    link = link_to("meetings:slides", "slug", "item_pk")
    assert link("stammtisch-3", 42) == reverse("meetings:slides", args=["stammtisch-3", 42])
    assert link("42", 7) == reverse("meetings:slides", args=["42", 7])


def test_the_day_is_the_one_the_date_filters_give_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    template = Template('{{ value|date:"Y-m-d" }}|{{ value|date:"j. F Y" }}')
    late = dt.datetime(2026, 3, 31, 22, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))  # 1 April in Berlin
    with translation.override("de"), timezone.override("Europe/Berlin"):
        words = day_words()
        for value in (late, dt.date(2026, 12, 2)):
            iso, day = words(value)
            assert f"{iso}|{day}" == template.render(Context({"value": value}))
        assert words(late) == ("2026-04-01", "1. April 2026")
        assert words(dt.date(2026, 3, 2))[1] == "2. März 2026"
        assert words(None) == ("", "")
    with translation.override("en"):
        assert day_words()(dt.date(2026, 3, 2))[1] == "2. March 2026"
