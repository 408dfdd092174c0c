"""Access expectations of the site-wide pages, allauth and the language switch."""

from urllib.parse import urlencode

from tests.security.access import LOGIN, REDIRECT, Expect, public


def setup(world):
    from django.conf import settings

    logos = settings.MEDIA_ROOT / "logos"
    logos.mkdir(parents=True, exist_ok=True)
    (logos / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    # A letter left at its old public place (before private storage): still never served.
    applications = settings.MEDIA_ROOT / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    (applications / "antrag.pdf").write_bytes(b"%PDF-1.4 Bewerbungsschreiben")


# logged in users are sent on from login/signup/reset pages
LOGGED_IN_AWAY = Expect(200, REDIRECT, REDIRECT, REDIRECT)
# pages of a logged-in account
ACCOUNT = Expect(LOGIN, 200, 200, 200)

# At most 200 characters (the search's limit).
SEARCH_QUERY = urlencode(
    {
        "q": "Glasfaserausbau or Glasfaser or Rundschreiben or Entwurf or Haushalt or Vertraulich "
        "or Laternenauswertung or Mitgliederversammlung or Bürgerportal or Open or Zurückgegeben"
    }
)

EXPECTATIONS = {
    "home": public(),
    # One search over every app's objects: words of their secret texts, each role's hits
    # are checked against world.secrets like every other page.
    "search": public(query=SEARCH_QUERY),
    "imprint": public(),
    "privacy": public(),
    "accessibility": public(),
    "health": public(),
    "favicon": public(),
    "set_language": Expect(REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "switch_language": Expect(
        REDIRECT, REDIRECT, REDIRECT, REDIRECT, kwargs=lambda w: {"language": "en"}
    ),
    "media": public(kwargs=lambda w: {"path": "logos/a.png"}),
    # --- a person's own data (GDPR)
    "privacy_my_data": ACCOUNT,
    "privacy_my_data_export": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),  # re-authenticate
    "privacy_my_data_delete": Expect(LOGIN, 405, 405, 405),  # POST only
    # --- allauth
    "account_login": LOGGED_IN_AWAY,
    "account_logout": Expect(REDIRECT, 200, 200, 200),
    "account_inactive": public(),
    "account_signup": Expect(200, REDIRECT, REDIRECT, REDIRECT),  # "sign-up closed" page
    "account_reauthenticate": ACCOUNT,
    # re-authentication by a mailed code is off: both send on to the password form
    "account_request_reauthentication_code": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    "account_confirm_reauthentication_code": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    # the address is the login: changed by the coordination team, the page explains that
    "account_email": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    "account_email_verification_sent": public(),
    "account_change_password": ACCOUNT,
    "account_set_password": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    "account_reset_password": public(),
    "account_confirm_login_code": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    "account_confirm_email": Expect(200, 200, 200, 200, kwargs=lambda w: {"key": "invalid"}),
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": Expect(
        200, 200, 200, 200, kwargs=lambda w: {"uidb36": "1", "key": "invalid-key"}
    ),
    "account_reset_password_done": public(),
    "mfa_index": ACCOUNT,
    "mfa_authenticate": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    "mfa_reauthenticate": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    # setting up a second factor asks for the password again first (re-authentication)
    "mfa_activate_totp": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    "mfa_deactivate_totp": Expect(LOGIN, 404, 404, 404),
    "mfa_view_recovery_codes": Expect(LOGIN, 404, 404, 404),
    "mfa_generate_recovery_codes": Expect(LOGIN, REDIRECT, REDIRECT, REDIRECT),
    "mfa_download_recovery_codes": Expect(LOGIN, 404, 404, 404),
}
