"""Site-wide pages: home, legal pages, error pages, uploaded media (the health check is
``ikone.security.health``)."""

import mimetypes
import posixpath
import sys
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from ikone.pagecache import cache_anonymous_page
from ikone.storage import FULL_DISK, PUBLIC_MEDIA_PREFIXES, is_inside
from meetings.selectors import next_public_meeting
from members.models import Municipality, Topic
from members.permissions import contact_of
from news.selectors import latest_posts

# Uploaded files served inline; everything else is a download, never rendered as a page.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


@cache_anonymous_page(params=())
def home(request):
    municipalities = Municipality.objects.members()
    context = {
        "member_count": municipalities.count(),
        "newest_members": municipalities.exclude(member_since=None).order_by(
            "-member_since", "name"
        )[:6],
        "topics": Topic.objects.filter(is_active=True)[:12],
        "latest_posts": latest_posts(),
        "next_meeting": next_public_meeting(),
    }
    return render(request, "home.html", context)


@never_cache
@require_GET
def switch_language(request, language):
    """The language links in the header: set the language cookie and go back.

    A link rather than Django's POST form, so that anonymous pages carry no CSRF token and
    their cached copies are served without per-visitor work. Choosing a language changes
    nothing but how pages read, so a request from another site can do no harm with it.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; the same mark as favicon.svg."""
    path = Path(settings.BASE_DIR) / "static" / "img" / "favicon.ico"
    return FileResponse(path.open("rb"), content_type="image/x-icon")


def imprint(request):
    return render(request, "pages/imprint.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")


@login_required
def email_managed_by_coordinators(request):
    """Replaces allauth's e-mail management: the address is changed by the coordination team."""
    messages.info(
        request,
        _(
            "Your e-mail address is your login and the address the network writes to. "
            "To change it, please contact the coordination team."
        ),
    )
    return redirect("members:profile" if contact_of(request.user) else "members:area")


def public_media_path(path: str) -> str | None:
    """The normalised path of a public upload, or None if the public route must not serve it.

    Decided on the path as ``serve`` will open it (normalised, leading slashes dropped), so
    ``//applications/x``, ``x/../applications/x`` and their encoded forms are judged by where
    they lead. Only the folders of public uploads (``PUBLIC_MEDIA_PREFIXES``, exact case) are
    served; backslashes, NUL and other control characters are refused outright. Private
    uploads are not under MEDIA_ROOT at all (``ikone.storage``): this is the second fence.
    """
    if not path or any(char == "\\" or not char.isprintable() for char in path):
        return None
    normalised = posixpath.normpath(path).lstrip("/")
    parts = PurePosixPath(normalised).parts
    if len(parts) < 2 or parts[0] not in PUBLIC_MEDIA_PREFIXES or ".." in parts:
        return None
    return normalised


def media(request, path):
    """Serve public uploads: images inline, anything else as an attachment with ``nosniff``."""
    normalised = public_media_path(path)
    if normalised is None:
        raise Http404
    full = Path(settings.MEDIA_ROOT) / normalised
    if is_inside(full, settings.PRIVATE_MEDIA_ROOT):
        raise Http404  # a misconfigured PRIVATE_MEDIA_ROOT inside MEDIA_ROOT (check E001)
    response = serve(request, normalised, document_root=settings.MEDIA_ROOT)
    content_type, _encoding = mimetypes.guess_type(path)
    if isinstance(response, FileResponse) and content_type not in INLINE_MEDIA_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


# The machine-readable interfaces (open data, OParl): their errors are JSON as their pages are.
JSON_PREFIXES = ("/api/", "/oparl/")


def _json_error(request, status: int, message: str) -> JsonResponse | None:
    if not request.path.startswith(JSON_PREFIXES):
        return None
    return JsonResponse({"error": message, "status": status}, status=status)


def page_not_found(request, exception=None):
    response = _json_error(request, 404, "not found")
    return response if response is not None else render(request, "errors/404.html", status=404)


DATABASE_RETRY_SECONDS = 30


def server_error(request):
    """The 500 page, or a 503 when the server could not do its part.

    A database that cannot be reached (a restart, a failover, a full connection limit) or a
    disk too full to store an upload is not a fault of the page or the request: the visitor
    is told to try again (the ``Retry-After`` header says when, for browsers, proxies and
    monitoring alike), and the error is logged as any other. Django calls this handler while
    it handles the exception, so ``sys.exc_info()`` names it.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = _json_error(request, 503, "temporarily unavailable")
        if response is None:
            response = render(request, "errors/503.html", status=503)
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    if isinstance(error, OSError) and error.errno in FULL_DISK:
        return render(request, "errors/503_storage.html", status=503)
    response = _json_error(request, 500, "server error")
    return response if response is not None else render(request, "errors/500.html", status=500)
