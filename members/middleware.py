"""Coordinators must use a second factor before they reach the admin."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                _("Coordinators must set up two-factor authentication before using the admin."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        if not settings.IKONE_STAFF_REQUIRE_MFA:
            return False
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if not request.path.startswith(reverse("admin:index")):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
