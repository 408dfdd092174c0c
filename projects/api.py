"""Open data: the public profiles as JSON (``/api/projekte/``) with a published JSON Schema.

Only what the public pages show: no contact persons, nothing of members-only profiles,
reuse only when its source municipality confirmed it. Pages of ``PAGE_SIZE``; the schema at
``/api/projekte/schema.json`` describes one page.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from ikone.dates import iso
from members.models import Municipality, Topic

from .models import ProjectProfile, Reuse, Stage

PAGE_SIZE = 50


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def project_json(request, project: ProjectProfile) -> dict:
    return {
        "id": project.slug,
        "url": _absolute(request, project.get_absolute_url()),
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "municipality": {
            "name": project.municipality.name,
            "id": project.municipality.slug,
            "ags": project.municipality.ags,
            "url": _absolute(request, project.municipality.get_absolute_url()),
        },
        "topics": [{"id": topic.slug, "name": topic.name} for topic in project.topics.all()],
        "field_of_action": project.field_of_action,
        "stage": project.stage,
        "stage_reason": project.stage_reason,
        "start": iso(project.start),
        "end": iso(project.end),
        "budget_band": project.budget_band or None,
        "funding": list(project.funding),
        "partner_municipalities": [m.name for m in project.partner_municipalities.all()],
        "outside_partners": project.outside_partner_list,
        "links": [{"title": title, "url": url} for title, url in project.link_list],
        "lessons_learned": project.lessons_learned,
        "obstacles": project.obstacles,
        "software": (
            {
                "repository": project.repository_url or None,
                "license": project.software_license or None,
                "version": project.software_version or None,
                "publiccode": _absolute(
                    request, reverse("projects:publiccode_export", args=[project.slug])
                ),
            }
            if project.is_software
            else None
        ),
        "reused_by": [
            {
                "municipality": reuse.municipality.name,
                "stage": reuse.stage,
                "since": iso(reuse.date),
            }
            for reuse in project.confirmed_reuses
        ],
        "published_at": iso(project.published_at),
        "updated_at": iso(project.updated_at),
    }


@require_GET
def project_list(request):
    projects = (
        ProjectProfile.objects.public()
        .select_related("municipality")
        .prefetch_related(
            "topics",
            "partner_municipalities",
            Prefetch(
                "reuses",
                queryset=Reuse.objects.filter(confirmation=Reuse.Confirmation.CONFIRMED)
                .select_related("municipality")
                .order_by("date", "pk"),
                to_attr="confirmed_reuses",
            ),
        )
        .order_by("-updated_at", "pk")
    )
    errors = {}
    topic = request.GET.get("topic")
    if topic:
        found = Topic.objects.filter(slug=topic).first()
        if found is None:
            errors["topic"] = "unknown topic"
        projects = projects.filter(topics=found)
    stage = request.GET.get("stage")
    if stage:
        if stage not in Stage.values:
            errors["stage"] = f"one of {', '.join(Stage.values)}"
        projects = projects.filter(stage=stage)
    municipality = request.GET.get("municipality")
    if municipality:
        found = Municipality.objects.filter(slug=municipality).first()
        if found is None:
            errors["municipality"] = "unknown municipality"
        projects = projects.filter(municipality=found)
    since = request.GET.get("updated_since")
    if since:
        try:
            day = parse_date(since) if len(since) == 10 else None
        except ValueError:  # the form of a date, but none of the calendar (2026-13-45)
            day = None
        if day is None:
            errors["updated_since"] = "a date: YYYY-MM-DD"
        else:
            projects = projects.filter(updated_at__date__gte=day)
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    paginator = Paginator(projects, PAGE_SIZE)
    try:
        number = int(request.GET.get("page", "1"))
        page = paginator.page(number)
    except (ValueError, EmptyPage):
        return JsonResponse({"errors": {"page": "no such page"}}, status=404)

    def link(to: int | None) -> str | None:
        if to is None:
            return None
        query = request.GET.copy()
        query["page"] = str(to)
        return _absolute(request, f"{request.path}?{query.urlencode()}")

    data = {
        "$schema": _absolute(request, reverse("projects:api_schema")),
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number() if page.has_next() else None),
        "previous": link(page.previous_page_number() if page.has_previous() else None),
        "results": [project_json(request, project) for project in page.object_list],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data, no credentials involved
    return response


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def schema(request) -> dict:
    string = {"type": "string"}
    date = {"type": ["string", "null"], "format": "date"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _absolute(request, reverse("projects:api_schema")),
        "title": "IKONE DS – Projektkatalog (eine Seite)",
        "type": "object",
        "required": ["count", "page", "pages", "next", "previous", "results"],
        "properties": {
            "$schema": {"type": "string", "format": "uri"},
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "next": _nullable("string", format="uri"),
            "previous": _nullable("string", format="uri"),
            "results": {"type": "array", "items": {"$ref": "#/$defs/project"}},
        },
        "$defs": {
            "project": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "url",
                    "title",
                    "summary",
                    "municipality",
                    "topics",
                    "field_of_action",
                    "stage",
                    "updated_at",
                ],
                "properties": {
                    "id": string,
                    "url": {"type": "string", "format": "uri"},
                    "title": string,
                    "summary": string,
                    "description": {"type": "string", "description": "Markdown"},
                    "municipality": {
                        "type": "object",
                        "required": ["name", "id", "ags", "url"],
                        "properties": {
                            "name": string,
                            "id": string,
                            "ags": {"type": "string", "pattern": "^[0-9]{8}$"},
                            "url": {"type": "string", "format": "uri"},
                        },
                    },
                    "topics": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "name"],
                            "properties": {"id": string, "name": string},
                        },
                    },
                    "field_of_action": {
                        "enum": list(ProjectProfile.FieldOfAction.values),
                    },
                    "stage": {"enum": list(Stage.values)},
                    "stage_reason": string,
                    "start": date,
                    "end": date,
                    "budget_band": {
                        "enum": [v for v in ProjectProfile.BudgetBand.values if v] + [None]
                    },
                    "funding": {
                        "type": "array",
                        "items": {"enum": list(ProjectProfile.Funding.values)},
                    },
                    "partner_municipalities": {"type": "array", "items": string},
                    "outside_partners": {"type": "array", "items": string},
                    "links": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["title", "url"],
                            "properties": {"title": string, "url": {"type": "string"}},
                        },
                    },
                    "lessons_learned": string,
                    "obstacles": string,
                    "software": {
                        "type": ["object", "null"],
                        "properties": {
                            "repository": _nullable("string"),
                            "license": _nullable("string"),
                            "version": _nullable("string"),
                            "publiccode": {"type": "string", "format": "uri"},
                        },
                    },
                    "reused_by": {
                        "type": "array",
                        "description": "Only reuse the source municipality confirmed.",
                        "items": {
                            "type": "object",
                            "required": ["municipality", "stage", "since"],
                            "properties": {
                                "municipality": string,
                                "stage": {"enum": list(Reuse.Stage.values)},
                                "since": date,
                            },
                        },
                    },
                    "published_at": _nullable("string", format="date-time"),
                    "updated_at": {"type": "string", "format": "date-time"},
                },
            }
        },
    }


@require_GET
def schema_view(request):
    response = JsonResponse(schema(request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/schema+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response
