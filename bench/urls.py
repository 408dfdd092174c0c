from django.http import HttpResponse
from django.urls import path

from ikone.urls import handler403, handler404, handler500  # noqa: F401
from ikone.urls import urlpatterns as portal_urls


def trivial(request):
    """The baseline: what Django and gunicorn cost without any work of ours."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *portal_urls]
