"""A member's own data: the JSON download and the request to delete it."""

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ikone.outbox import services as outbox

from .privacy import Subject, export_subject


@login_required
@require_GET
def my_data(request):
    return render(request, "privacy/my_data.html")


@never_cache
@login_required
@reauthentication_required  # everything about a person: ask for the password again
@require_GET
def my_data_export(request):
    data = export_subject(Subject.for_user(request.user))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ikone-meine-daten-{stamp}.json"'
    return response


@login_required
@require_POST
def my_data_delete(request):
    """Ask the coordination team to anonymise the account (they keep the network's records)."""
    subject = Subject.for_user(request.user)
    coordinators = get_user_model().objects.filter(is_staff=True, is_active=True)
    with transaction.atomic():
        for coordinator in coordinators:
            outbox.queue_email(
                to=coordinator.email,
                template="privacy/deletion_requested",
                context={
                    "user": request.user,
                    "contact": subject.contact,
                    "admin_url": settings.SITE_URL + reverse("admin:members_contact_changelist"),
                },
                reference=f"privacy:deletion:{request.user.pk}",
            )
    messages.success(
        request,
        _(
            "Your request has been sent to the coordination team. They will delete your "
            "personal data and confirm it by e-mail."
        ),
    )
    return redirect("privacy_my_data")
