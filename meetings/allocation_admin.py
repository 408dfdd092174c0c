"""The coordinator's side of the workshop allocation by preference (registered from admin.py).

*Workshop allocations* holds an event's mode and preference deadline. *Run the allocation*
shows a preview (GET, writes nothing): seats per rank, who got fewer than asked or none, the
fill of each workshop, the seed. Another seed or adjusted capacities are a new preview;
*Confirm* (POST) writes the seats once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ikone.admin_inlines import ModelAdmin

from .allocation import MAX_SEED, AllocationError, new_seed
from .allocation_services import confirm_allocation, preview_allocation
from .models import WorkshopAllocation, WorkshopSeat


class AllocationRunForm(forms.Form):
    """The seed and each workshop's capacity of one run; the same fields preview and confirm."""

    seed = forms.IntegerField(label=_("seed"), min_value=0, max_value=MAX_SEED)

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshops = list(workshops)
        for workshop in self.workshops:
            self.fields[f"capacity_{workshop.pk}"] = forms.IntegerField(
                label=workshop.title, min_value=1, initial=workshop.capacity, required=False
            )

    def capacities(self) -> dict[int, int]:
        """Each workshop's capacity for this run (left empty: the stored one)."""
        return {w.pk: self.cleaned_data[f"capacity_{w.pk}"] or w.capacity for w in self.workshops}


@admin.register(WorkshopAllocation)
class WorkshopAllocationAdmin(ModelAdmin):
    list_display = ["meeting", "mode", "preference_deadline", "wish_count", "confirmed_at"]
    list_filter = ["mode"]
    list_select_related = ["meeting__series"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["run_link", "seed", "confirmed_at", "confirmed_by"]
    fields = ["meeting", "mode", "preference_deadline", "run_link", "seed", "confirmed_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(wishes=Count("meeting__registrations__workshop_wish"))
        )

    @admin.display(description=_("wishes"), ordering="wishes")
    def wish_count(self, obj):
        return obj.wishes

    @admin.display(description=_("allocation"))
    def run_link(self, obj):
        if obj.pk is None or not obj.by_preference:
            return "–"
        label = gettext("Show the result") if obj.is_confirmed else gettext("Run the allocation")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:meetings_workshopallocation_run", args=[obj.pk]),
            label,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/verteilen/",
                self.admin_site.admin_view(self.run_view),
                name="meetings_workshopallocation_run",
            ),
            *super().get_urls(),
        ]

    def run_view(self, request, pk):
        setting = get_object_or_404(WorkshopAllocation.objects.select_related("meeting"), pk=pk)
        if not self.has_change_permission(request, setting):
            raise PermissionDenied
        meeting = setting.meeting
        workshops = list(meeting.workshops.order_by("round", "position", "pk"))
        if request.method == "POST":
            form = AllocationRunForm(request.POST, workshops=workshops)
        elif "seed" in request.GET:
            form = AllocationRunForm(request.GET, workshops=workshops)
        else:
            seed = setting.seed if setting.seed is not None else new_seed()
            form = AllocationRunForm({"seed": seed, **_capacities(workshops)}, workshops=workshops)
        preview, status = None, 200
        if setting.is_confirmed and request.method != "POST":
            pass  # the result is in the seats now; nothing to compute
        elif form.is_valid():
            try:
                if request.method == "POST":
                    confirm_allocation(
                        meeting=meeting,
                        seed=form.cleaned_data["seed"],
                        capacities=form.capacities(),
                        by=request.user,
                    )
                    self.message_user(
                        request,
                        gettext("The allocation is confirmed: seats written, mails queued."),
                        messages.SUCCESS,
                    )
                    return redirect("admin:meetings_workshopallocation_change", setting.pk)
                preview = preview_allocation(
                    meeting=meeting,
                    seed=form.cleaned_data["seed"],
                    capacities=form.capacities(),
                )
            except AllocationError as error:
                form.add_error(None, error.message)
                status = 400
        else:
            status = 400
        return render(
            request,
            "admin/meetings/workshopallocation/run.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": setting,
                "meeting": meeting,
                "title": gettext("Workshop allocation"),
                "form": form,
                "preview": preview,
                "rows": _rows(preview, form) if preview else [],
                "ranks": sorted(preview.allocation.statistics.by_rank.items()) if preview else [],
                "without_seat": _names(preview, "without_seat") if preview else [],
                "fewer": _names(preview, "fewer_than_wanted") if preview else [],
                "another_seed": new_seed(),
                "seats": _seats(meeting) if setting.is_confirmed else [],
            },
            status=status,
        )


def _seats(meeting):
    """Each workshop with its confirmed seats and waiting list, as they are now."""
    return meeting.workshops.annotate(
        confirmed=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.CONFIRMED)),
        waiting=Count("seats", filter=Q(seats__status=WorkshopSeat.Status.WAITING)),
    ).order_by("round", "position", "pk")


def _capacities(workshops) -> dict[str, int]:
    return {f"capacity_{w.pk}": w.capacity for w in workshops}


def _rows(preview, form):
    fill = preview.allocation.statistics.workshops
    return [
        {
            "workshop": workshop,
            "field": field,
            "assigned": fill[workshop.pk].assigned if workshop.pk in fill else workshop.taken,
            "capacity": preview.capacities[workshop.pk],
        }
        for workshop, field in zip(preview.workshops, _fields(form, preview), strict=True)
    ]


def _fields(form, preview):
    return [form[f"capacity_{w.pk}"] for w in preview.workshops]


def _names(preview, key) -> list[str]:
    ids = getattr(preview.allocation.statistics, key)
    return sorted(preview.registrations[pk].name for pk in ids)
