"""Each member municipality's participation in the meetings of one year (page and CSV)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikone.spreadsheet import csv_response, safe_text_cell
from members.models import Municipality

from ..models import Meeting, Registration


def participation_page(model_admin, request) -> HttpResponse:
    """The meeting admin's participation report; ``?export=csv`` downloads it."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    this_year = timezone.localdate().year
    held_years = sorted(
        {
            start.year
            for start in Meeting.objects.filter(status=Meeting.Status.HELD).dates("start", "year")
        },
        reverse=True,
    )
    # Opens on the latest year in which meetings were held, not on an empty new year.
    latest = held_years[0] if held_years else this_year
    try:
        year = int(request.GET.get("year", latest))
    except ValueError:
        year = latest
    if not 1900 <= year <= this_year + 1:
        year = latest
    tz = timezone.get_current_timezone()
    first = datetime(year, 1, 1, tzinfo=tz)
    last = datetime(year + 1, 1, 1, tzinfo=tz)
    in_year = Q(
        contacts__meeting_registrations__meeting__start__gte=first,
        contacts__meeting_registrations__meeting__start__lt=last,
    )
    held = Meeting.objects.filter(
        start__gte=first, start__lt=last, status=Meeting.Status.HELD
    ).count()
    rows = (
        Municipality.objects.members()
        .annotate(
            attended=Count(
                "contacts__meeting_registrations__meeting",
                filter=in_year & Q(contacts__meeting_registrations__attended=True),
                distinct=True,
            ),
            registered=Count(
                "contacts__meeting_registrations__meeting",
                filter=in_year
                & ~Q(contacts__meeting_registrations__status=Registration.Status.CANCELLED),
                distinct=True,
            ),
        )
        .order_by("-attended", "name")
    )
    if request.GET.get("export") == "csv":
        return participation_csv(rows, year=year, held=held)
    return render(
        request,
        "admin/meetings/meeting/participation.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": _("Participation per municipality in %(year)d") % {"year": year},
            "rows": rows,
            "year": year,
            "held": held,
            "years": sorted({this_year, year, *held_years}, reverse=True),
        },
    )


def participation_csv(rows, *, year: int, held: int) -> HttpResponse:
    """The participation report as CSV (semicolons, UTF-8 with BOM for Excel)."""
    response, writer = csv_response(f"teilnahme-{year}.csv")
    writer.writerow(
        [
            _("municipality"),
            _("meetings attended"),
            _("meetings registered for"),
            _("meetings held in %(year)d") % {"year": year},
        ]
    )
    for row in rows:
        writer.writerow([safe_text_cell(row.name), row.attended, row.registered, held])
    return response
