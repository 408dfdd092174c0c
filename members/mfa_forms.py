"""The second-factor form: a code that was just used gets its own message."""

from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from allauth.mfa.utils import decrypt
from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _


def code_was_just_used(user, code: str) -> bool:
    """A correct TOTP code of this user that is marked used (a second login in the same
    30 seconds). Asks the cache for the mark: with the cache down nothing is known."""
    for authenticator in Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        totp = TOTP(authenticator)
        secret = decrypt(authenticator.data["secret"])
        if validate_totp_code(secret, code) and cache.get(totp._get_used_cache_key(code)):
            return True
    return False


class TOTPAuthenticateForm(AuthenticateForm):
    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError:
            code = self.cleaned_data.get("code") or ""
            if code and code_was_just_used(self.user, code):
                raise forms.ValidationError(
                    _("This code has just been used. Please wait for the next code in your app."),
                    code="code_used",
                ) from None
            raise
