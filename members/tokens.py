"""One-time, expiring links for invitations.

The hash covers the password and last login, so a link stops working once it has been
used to set a password, and a new invitation (which resets the unusable password)
invalidates the links sent before it.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens, but valid for ``IKONE_INVITATION_DAYS``.

    Django's ``check_token`` always applies ``PASSWORD_RESET_TIMEOUT`` (three days), so the
    check is done here with the invitation's own lifetime.
    """

    key_salt = "members.tokens.InvitationTokenGenerator"

    @staticmethod
    def lifetime_seconds() -> int:  # read on use so tests can change the setting
        return settings.IKONE_INVITATION_DAYS * 24 * 60 * 60

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= self.lifetime_seconds()


invitation_tokens = InvitationTokenGenerator()


def invitation_path_args(user) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": invitation_tokens.make_token(user),
    }
