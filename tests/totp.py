"""The TOTP secret the tests activate and the code of the moment, for every test that logs
in a coordinator with their second factor."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_code(*, valid_for: float = 8.0) -> str:
    """The code of this 30-second period, waiting for the next period when fewer than
    ``valid_for`` seconds are left (with no tolerance a code turns wrong at the boundary, and
    a loaded machine may take seconds between reading a code and posting it)."""
    left = 30 - time.time() % 30
    if left < valid_for:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
