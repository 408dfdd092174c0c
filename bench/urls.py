from django.http import HttpResponse
from django.template import engines
from django.urls import path

from ikone.urls import handler403, handler404, handler500  # noqa: F401
from ikone.urls import urlpatterns as portal_urls

REFERENCE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Bench{% endblock title %}'
    "{% block content %}<h1>Bench</h1><p>A page of the portal with nothing in it.</p>"
    "{% endblock content %}"
)


def trivial(request):
    """The floor: what Django and gunicorn cost without any work of ours."""
    return HttpResponse("ok", content_type="text/plain")


def layout(request):
    """The fair reference for an uncached page: the portal's whole middleware stack and its
    base layout (navigation, context processors, language switch) around a minimal body."""
    return HttpResponse(REFERENCE.render({}, request))


urlpatterns = [path("bench/trivial/", trivial), path("bench/layout/", layout), *portal_urls]
