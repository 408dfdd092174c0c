"""Security middleware: health check, Content-Security-Policy, session lifetime, audit logging.

A tiny CSP middleware instead of django-csp: the policy is one fixed string without nonces
(no inline scripts anywhere), Django 6.0 ships its own CSP support that will replace this,
and one dependency less is one update less to track.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.dispatch import receiver
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

log = logging.getLogger("ikone.security")


def content_security_policy() -> str:
    """The header value of ``settings.IKONE_CSP`` (the one place the policy is written)."""
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in settings.IKONE_CSP.items())


@never_cache
def health(request):
    """Liveness for load balancers and compose health checks.

    Answered by :class:`HealthCheckMiddleware` for GET and HEAD before host checks; the
    URL ``health`` routes other methods here too, so there is one answer.

    503 when the database is unreachable: this process cannot serve. An unreachable cache is
    reported as ``degraded`` with 200, since pages render without it and restarting web
    containers would not bring Redis back.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    ping = getattr(cache, "ping", None)  # ikone.cache.RedisCache; local memory is always there
    if ping is not None and not ping():
        return JsonResponse({"status": "degraded", "cache": "unreachable"})
    return JsonResponse({"status": "ok"})


class HealthCheckMiddleware:
    """Answer ``GET /health/`` first, before host validation and the HTTPS redirect.

    Container health checks and load balancers call ``http://localhost:8000/health/``
    directly; they neither know the public host name nor speak TLS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/health/" and request.method in ("GET", "HEAD"):
            response = health(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy (unless a view set its own) and log every 403."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            log.warning(
                "permission denied: user=%s method=%s path=%s",
                user.pk if user is not None and user.is_authenticated else "anonymous",
                request.method,
                request.path,
            )
        return response


SESSION_STARTED = "ikone_session_started"
SESSION_SEEN = "ikone_session_seen"


class SessionTimeoutMiddleware:
    """End a login after ``IKONE_SESSION_MAX_SECONDS`` in total or ``…_IDLE_SECONDS`` idle.

    Timestamps live in the session itself (database or cache), so any web process can
    enforce them. The idle stamp is written at most once a minute to spare session writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN, started)
            if started is None:
                session[SESSION_STARTED] = session[SESSION_SEEN] = now
            elif (
                now - started > settings.IKONE_SESSION_MAX_SECONDS
                or now - seen > settings.IKONE_SESSION_IDLE_SECONDS
            ):
                log.info("session expired: user=%s", user.pk)
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
            elif now - seen > 60:
                session[SESSION_SEEN] = now
        return self.get_response(request)


def _client_ip(request) -> str:
    if request is None:
        return "-"
    from allauth.account.adapter import get_adapter  # honours ALLAUTH_TRUSTED_PROXY_COUNT

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # a malformed forwarding header must not break logging
        return request.META.get("REMOTE_ADDR", "-")


@receiver(user_logged_in)
def _log_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = time.time()
    log.info("login succeeded: user=%s ip=%s", user.pk, _client_ip(request))


@receiver(user_login_failed)
def _log_login_failed(sender, credentials, request=None, **kwargs):
    # Only the (cleansed) identifier, never the password.
    identifier = credentials.get("email") or credentials.get("username") or "-"
    log.warning("login failed: identifier=%s ip=%s", identifier, _client_ip(request))


@receiver(user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    log.info("logout: user=%s", user.pk if user is not None else "-")
