"""The catalogue as a spreadsheet for the coordination team (CSV and XLSX)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from ikone.spreadsheet import csv_cell, csv_response, safe_xlsx_cell

from .models import ProjectProfile


def header() -> list[str]:
    return [
        _("Title"),
        _("Municipality"),
        _("Stage"),
        _("Field of action"),
        _("Topics"),
        _("Budget"),
        _("Funding"),
        _("Partner municipalities"),
        _("Outside partners"),
        _("Visibility"),
        _("Status"),
        _("Start"),
        _("End"),
        _("Last updated"),
        pgettext("project profile", "Summary"),
    ]


def rows(queryset) -> list[list]:
    projects = queryset.select_related("municipality").prefetch_related(
        "topics", "partner_municipalities"
    )
    out = [header()]
    for project in projects.order_by("municipality__name", "title"):
        out.append(
            [
                project.title,
                project.municipality.name,
                project.get_stage_display(),
                project.get_field_of_action_display(),
                ", ".join(topic.name for topic in project.topics.all()),
                project.get_budget_band_display() if project.budget_band else "",
                ", ".join(project.funding_labels()),
                ", ".join(p.name for p in project.partner_municipalities.all()),
                ", ".join(project.outside_partner_list),
                project.get_visibility_display(),
                project.get_status_display(),
                project.start,
                project.end,
                timezone.localtime(project.updated_at).date(),
                project.summary,
            ]
        )
    return out


def csv_download(queryset=None) -> HttpResponse:
    response, writer = csv_response("projekte.csv")
    for row in rows(queryset if queryset is not None else ProjectProfile.objects.all()):
        writer.writerow([csv_cell(value) for value in row])
    return response


def xlsx_download(queryset=None) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Projects"))[:31]
    for row in rows(queryset if queryset is not None else ProjectProfile.objects.all()):
        sheet.append([safe_xlsx_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="projekte.xlsx"'
    return response
