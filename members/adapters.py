"""django-allauth adapted to the portal: no public sign-up, mail through the outbox, and
login throttling that an attacker cannot use to lock an owner out of their account."""

from __future__ import annotations

import hashlib
import ipaddress
import time
from datetime import UTC, datetime

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse

# The internal module gives the usage objects a successful login rolls back; allauth's own
# DefaultAccountAdapter.pre_authenticate works with the same module.
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ikone.outbox import services as outbox

APP = "allauth.account"
# Failed logins per account *and* client address ("key"), and per client address over all
# accounts ("ip"): settings.ACCOUNT_RATE_LIMITS["login_failed"].
PER_CLIENT = "login_failed"
# Failed logins per account over all client addresses: a ceiling against guessing from many
# addresses, settings.ACCOUNT_RATE_LIMITS["login_failed_account"].
PER_ACCOUNT = "login_failed_account"
# Failures on one account are counted for the owner's mail in windows of this length; the
# owner gets at most one mail per window.
ATTACK_WINDOW = 60 * 60


def _digest(account: str) -> str:
    return hashlib.sha256(account.encode()).hexdigest()


def rough_address(ip: str) -> str:
    """The client's network rather than its address: /24 for IPv4, /48 for IPv6."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "?"
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def record_failed_login(*, account: str, client_ip: str, threshold: int) -> None:
    """Count a failed login on ``account``; the owner hears of it once per episode.

    An episode starts when the failures within :data:`ATTACK_WINDOW` reach ``threshold``
    (the number that locks one client out); its mail says since when, how many and from
    where, and at most one such mail is sent per window.
    """
    digest = _digest(account)
    count_key = f"ikone:login-failures:{digest}"
    since_key = f"ikone:login-failures-since:{digest}"
    cache.add(since_key, time.time(), timeout=ATTACK_WINDOW)
    cache.add(count_key, 0, timeout=ATTACK_WINDOW)
    try:
        failures = cache.incr(count_key)
    except ValueError:  # expired between add and incr: this failure starts a new window
        cache.set(count_key, 1, timeout=ATTACK_WINDOW)
        failures = 1
    if failures < threshold:
        return
    if not cache.add(f"ikone:login-attack-mail:{digest}", 1, timeout=ATTACK_WINDOW):
        return
    since = cache.get(since_key) or time.time()
    notify_owner_of_attack(
        account=account,
        failures=failures,
        since=datetime.fromtimestamp(since, tz=UTC),
        client_ip=client_ip,
    )


def notify_owner_of_attack(*, account: str, failures: int, since: datetime, client_ip: str) -> bool:
    """Queue the "someone is trying to log in to your account" mail, if the account exists."""
    from .models import User

    user = (
        User.objects.filter(email__iexact=account, is_active=True).select_related("contact").first()
    )
    if user is None:
        return False
    contact = getattr(user, "contact", None)
    outbox.queue_email(
        to=user.email,
        template="members/login_attack",
        context={
            "failures": failures,
            "since": timezone.localtime(since),
            "until": timezone.localtime(),
            "network": rough_address(client_ip),
            "email": user.email,
        },
        language=contact.language if contact is not None else None,
        reference="account:login_attack",
    )
    return True


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Coordinators land on their cockpit (the admin start page), members on their area;
        a ``next`` address still wins (allauth checks it before asking here)."""
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def is_open_for_signup(self, request) -> bool:
        """Accounts exist only by invitation from the coordination team."""
        return False

    def send_mail(self, template_prefix, email, context) -> None:
        """Render allauth's mail as usual, then queue it in the outbox instead of sending."""
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        outbox.queue_rendered(
            to=email,
            from_email=message.from_email,
            subject=message.subject,
            text=message.body,
            html=html,
            reference=f"account:{template_prefix.rsplit('/', 1)[-1]}",
        )

    # --- Login throttling ---------------------------------------------------------------
    #
    # allauth counts failures per account alone, so anyone who knows an address can keep
    # its owner out. Here a failure counts for the account *from this client* (the owner on
    # another address still gets in), for the client over all accounts, and for the account
    # over all clients with a much higher ceiling. A refused attempt is answered with 429.

    def _login_keys(self, request, credentials) -> tuple[str, str, str]:
        account_key = self._get_login_attempts_cache_key(request, **credentials)
        client_ip = ratelimit.get_ip(request)
        return account_key, f"{account_key}|{client_ip}", client_ip

    def pre_authenticate(self, request, **credentials) -> None:
        account_key, client_key, _ip = self._login_keys(request, credentials)
        # The client's own limit first: attempts it makes while locked out do not use up
        # the account's ceiling.
        per_client = ratelimit.consume(request, app=APP, action=PER_CLIENT, key=client_key)
        per_account = per_client and ratelimit.consume(
            request, app=APP, action=PER_ACCOUNT, key=account_key
        )
        if not per_account:
            if per_client:
                per_client.rollback()
            self._login_failed_rl_usage = None
            raise ImmediateHttpResponse(ratelimit.respond_429(request))
        # DefaultAccountAdapter.authenticate rolls this back when the login succeeds, so
        # only failures count.
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(
            usage=[*per_client.usage, *per_account.usage]
        )

    def authentication_failed(self, request, **credentials) -> None:
        account = credentials.get("email", credentials.get("username", "")).lower()
        if not account:
            return
        threshold = min(
            (
                rate.amount
                for rate in ratelimit.get_rates(app=APP, action=PER_CLIENT)
                if rate.per == "key"
            ),
            default=5,
        )
        record_failed_login(
            account=account, client_ip=ratelimit.get_ip(request), threshold=threshold
        )

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """A password reset (by mail, rate limited itself) lifts the account's ceiling and
        the resetting client's own lock."""
        account_key, client_key, _ip = self._login_keys(request, credentials)
        ratelimit.clear(request, app=APP, action=PER_CLIENT, key=client_key)
        ratelimit.clear(request, app=APP, action=PER_ACCOUNT, key=account_key)
