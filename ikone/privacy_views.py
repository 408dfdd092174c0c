"""A member's own data: the JSON download and the request to delete it."""

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .privacy import Subject, export_subject, request_deletion


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
    request_deletion(by=request.user)
    messages.success(
        request,
        _(
            "Your request has been sent to the coordination team. They will delete your "
            "personal data and confirm it by e-mail."
        ),
    )
    return redirect("privacy_my_data")
